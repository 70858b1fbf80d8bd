// Package rounds owns the round watcher: it follows the chain head (polling
// over HTTP, a head subscription where the endpoint offers one), re-reads the
// RoundsManager's state at every new head, and hands the result to the duty
// loop through a channel. It never trusts a single log or event: a NewRound
// log only triggers an early re-read, and a reorg is handled by reading the
// state again at the new head. The first read happens when Run starts, so a
// daemon restarted mid-round acts on the round the chain is in.
package rounds

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"go.uber.org/zap"
)

// State is the round state the RoundsManager reports at one block.
type State struct {
	Round       uint64
	StartBlock  uint64
	Length      uint64
	Initialized bool
	Locked      bool
}

// EndBlock is the first block of the next round.
func (s State) EndBlock() uint64 { return s.StartBlock + s.Length }

// Event is one observation of the chain: the head and the round state read
// at that head.
type Event struct {
	State
	Head     uint64
	HeadHash common.Hash
	// Reorg is set when the head replaced a block the watcher had seen.
	Reorg bool
}

// Chain is what the watcher reads. RoundState reads at the given block
// number (nil: latest).
type Chain interface {
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
	RoundState(ctx context.Context, block *big.Int) (State, error)
}

// HeadSubscriber is implemented by chains reached over a transport with
// notifications (WebSocket, IPC). Over HTTP the subscription fails and the
// watcher polls only.
type HeadSubscriber interface {
	SubscribeNewHead(ctx context.Context, ch chan<- *types.Header) (ethereum.Subscription, error)
}

// NewRoundSubscriber delivers the RoundsManager's NewRound logs where the
// transport allows. A log only triggers a re-read of the state at the head:
// it may come from a block that a reorg removes.
type NewRoundSubscriber interface {
	SubscribeNewRound(ctx context.Context, ch chan<- types.Log) (ethereum.Subscription, error)
}

// Config configures a Watcher.
type Config struct {
	Chain Chain
	// PollInterval is how often the head is polled (default 2s). Ignored
	// when Tick is set.
	PollInterval time.Duration
	// Tick, when set, replaces the poll ticker (tests feed it by hand).
	Tick <-chan time.Time
	// ReadTimeout bounds each poll's RPC calls (default 10s).
	ReadTimeout time.Duration
	Logger      *zap.Logger
}

// ErrInvalidConfig is returned by New for an unusable Config.
var ErrInvalidConfig = errors.New("rounds: invalid config")

// Watcher follows the chain and emits Events.
type Watcher struct {
	cfg  Config
	log  *zap.Logger
	out  chan Event
	trig chan struct{}

	lastHead uint64
	lastHash common.Hash
	seen     bool
}

// New returns a watcher; Run starts it.
func New(cfg Config) (*Watcher, error) {
	if cfg.Chain == nil {
		return nil, fmt.Errorf("%w: no chain", ErrInvalidConfig)
	}
	if cfg.PollInterval < 0 || cfg.ReadTimeout < 0 {
		return nil, fmt.Errorf("%w: negative interval", ErrInvalidConfig)
	}
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 2 * time.Second
	}
	if cfg.ReadTimeout == 0 {
		cfg.ReadTimeout = 10 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	return &Watcher{
		cfg:  cfg,
		log:  cfg.Logger,
		out:  make(chan Event, 1),
		trig: make(chan struct{}, 1),
	}, nil
}

// Events delivers observations. It holds at most one: a slow reader gets
// the latest state, never a backlog. It is closed when Run returns.
func (w *Watcher) Events() <-chan Event { return w.out }

// Trigger asks for an immediate re-read (e.g. after a NewRound log). It
// never blocks.
func (w *Watcher) Trigger() {
	select {
	case w.trig <- struct{}{}:
	default:
	}
}

// Run polls until ctx ends. It reads the chain once at start.
func (w *Watcher) Run(ctx context.Context) error {
	defer close(w.out)
	tick := w.cfg.Tick
	if tick == nil {
		t := time.NewTicker(w.cfg.PollInterval)
		defer t.Stop()
		tick = t.C
	}
	if sub, ok := w.cfg.Chain.(HeadSubscriber); ok {
		defer follow(ctx, w, "head", func(ch chan<- *types.Header) (ethereum.Subscription, error) {
			return sub.SubscribeNewHead(ctx, ch)
		})()
	}
	if sub, ok := w.cfg.Chain.(NewRoundSubscriber); ok {
		defer follow(ctx, w, "NewRound log", func(ch chan<- types.Log) (ethereum.Subscription, error) {
			return sub.SubscribeNewRound(ctx, ch)
		})()
	}
	w.poll(ctx)
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick:
			w.poll(ctx)
		case <-w.trig:
			w.poll(ctx)
		}
	}
}

// follow turns notifications into triggers. It returns a function that
// stops the goroutine and waits for it.
func follow[T any](ctx context.Context, w *Watcher, what string, subscribe func(chan<- T) (ethereum.Subscription, error)) func() {
	ch := make(chan T, 16)
	sub, err := subscribe(ch)
	if err != nil {
		w.log.Debug("subscription unavailable; polling", zap.String("what", what), zap.Error(err))
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-ctx.Done():
				return
			case err := <-sub.Err():
				w.log.Warn("subscription ended; polling", zap.String("what", what), zap.Error(err))
				return
			case <-ch:
				w.Trigger()
			}
		}
	}()
	return func() { sub.Unsubscribe(); <-done }
}

func (w *Watcher) poll(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, w.cfg.ReadTimeout)
	defer cancel()
	ev, changed, err := w.read(ctx)
	if err != nil {
		if ctx.Err() == nil {
			w.log.Warn("read round state", zap.Error(err))
		}
		return
	}
	if !changed {
		return
	}
	select { // keep only the latest event
	case <-w.out:
	default:
	}
	w.out <- ev // cannot block: this goroutine is the only sender
}

// read fetches the head and, if it is new, the round state at that head.
func (w *Watcher) read(ctx context.Context) (Event, bool, error) {
	head, err := w.cfg.Chain.HeaderByNumber(ctx, nil)
	if err != nil {
		return Event{}, false, fmt.Errorf("read head: %w", err)
	}
	hash := head.Hash()
	if w.seen && hash == w.lastHash {
		return Event{}, false, nil
	}
	num := head.Number.Uint64()
	reorg := w.seen && (num <= w.lastHead || (num == w.lastHead+1 && head.ParentHash != w.lastHash))
	st, err := w.cfg.Chain.RoundState(ctx, new(big.Int).SetUint64(num))
	if err != nil {
		return Event{}, false, fmt.Errorf("read round state at block %d: %w", num, err)
	}
	if reorg {
		w.log.Info("chain reorganised; state re-read", zap.Uint64("block", num), zap.Uint64("round", st.Round))
	}
	w.seen, w.lastHead, w.lastHash = true, num, hash
	return Event{State: st, Head: num, HeadHash: hash, Reorg: reorg}, true, nil
}
