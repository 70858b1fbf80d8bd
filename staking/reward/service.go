// Package reward owns the operator's per-round duty: initialize the round if
// the operator opted in and nobody else has, then call reward() exactly once
// while the transcoder is active and lastRewardRound < currentRound, retrying
// within the round until it lands or the round ends.
//
// The loop (Run) selects on ctx.Done() and round events from the watcher;
// each round's work gets a context that ends when the next round starts.
// Before any duty transaction is sent, the intent and the nonce it will use
// are recorded in the protection DB (package protection). A recorded intent
// is never followed by a transaction with another nonce for the same round:
// the service waits for the pending one, re-sends only when that nonce is
// still unused, and refuses to act when the DB cannot be used. Missed rounds
// are counted and alerted. RunOnce is the same check-and-call for cron.
package reward

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/staking/alert"
	"github.com/opkit-dev/opkit/staking/protection"
	"github.com/opkit-dev/opkit/staking/rounds"
)

// Transcoder is the part of the transcoder's on-chain state the duty needs.
type Transcoder struct {
	Active          bool
	LastRewardRound uint64
}

// Chain is what the duty reads. Reads take the latest block.
type Chain interface {
	RoundState(ctx context.Context, block *big.Int) (rounds.State, error)
	Transcoder(ctx context.Context, addr common.Address) (Transcoder, error)
	NonceAt(ctx context.Context, addr common.Address, block *big.Int) (uint64, error)
	PendingNonceAt(ctx context.Context, addr common.Address) (uint64, error)
	BalanceAt(ctx context.Context, addr common.Address, block *big.Int) (*big.Int, error)
}

// Call is one duty transaction.
type Call struct {
	To       common.Address
	Data     []byte
	GasLimit uint64 // 0: estimate
	Label    string
	// Key makes the send idempotent: a send with the key of one in flight,
	// or journaled by an earlier run, resumes that transaction.
	Key string
	// Nonce, when set, pins the send to this nonce: it is sent there or not
	// at all (ErrNonceUsed).
	Nonce *uint64
	// OnSigned is called with every transaction signed for the call before
	// it is published; if it fails, nothing is published.
	OnSigned func(tx *types.Transaction) error
	// DeadlineBlock, when set: once the head reaches it, the call is no
	// longer published or re-priced (a duty transaction mined in the next
	// round acts on that round).
	DeadlineBlock uint64
}

// Sender sends a transaction from the operator account and blocks until it
// is mined or ctx ends (the transaction manager). A mined, reverted
// transaction comes back with its receipt.
type Sender interface {
	Send(ctx context.Context, c Call) (*types.Receipt, error)
}

// Protection is the part of the protection DB the duty uses.
type Protection interface {
	Get(k protection.Key) (*protection.Record, error)
	Put(r protection.Record) error
	PutIntent(k protection.Key, now time.Time) (protection.Record, bool, error)
}

// Clock is the service's source of time.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time                         { return time.Now() }
func (systemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Config configures a Service.
type Config struct {
	ChainID    uint64
	Controller common.Address
	Account    common.Address
	Chain      Chain
	Sender     Sender
	DB         Protection
	// Reward and Initialize are the calls to reward() and initializeRound().
	Reward     Call
	Initialize Call
	// RewardHint, when set, builds each round's reward call with the pool
	// position hints (rewardWithHint); on error Reward is sent.
	RewardHint func(ctx context.Context, round uint64) (Call, error)
	// InitializeRound opts in to initializing rounds nobody else has.
	InitializeRound bool
	// InitDelayMax bounds the random delay before initializing, so that not
	// every operator sends at the same moment.
	InitDelayMax time.Duration
	// Rand returns a duration in [0, max); nil uses math/rand/v2.
	Rand func(max time.Duration) time.Duration
	// RetryInterval is how long a failed attempt waits when no new head
	// arrives first (default 5s).
	RetryInterval time.Duration
	// BlockTime, when known, also ends a round's context at the estimated
	// start of the next round.
	BlockTime time.Duration
	// MinBalance raises a low-balance alert below it (nil: no alert).
	MinBalance *big.Int
	Clock      Clock
	Metrics    Metrics
	Alerts     alert.Sink
	Logger     *zap.Logger
	// OnOutcome, if set, is called when a round's work ends.
	OnOutcome func(round uint64, o Outcome, err error)
}

// Service runs the duty.
type Service struct {
	cfg Config
	log *zap.Logger
}

// New checks cfg and fills defaults.
func New(cfg Config) (*Service, error) {
	switch {
	case cfg.Chain == nil, cfg.Sender == nil, cfg.DB == nil:
		return nil, fmt.Errorf("%w: chain, sender and protection DB are required", ErrInvalidConfig)
	case cfg.Account == (common.Address{}):
		return nil, fmt.Errorf("%w: no account", ErrInvalidConfig)
	case cfg.Reward.To == (common.Address{}) || len(cfg.Reward.Data) == 0:
		return nil, fmt.Errorf("%w: no reward call", ErrInvalidConfig)
	case cfg.InitializeRound && (cfg.Initialize.To == (common.Address{}) || len(cfg.Initialize.Data) == 0):
		return nil, fmt.Errorf("%w: initializing rounds needs the initializeRound call", ErrInvalidConfig)
	case cfg.InitDelayMax < 0 || cfg.RetryInterval < 0 || cfg.BlockTime < 0:
		return nil, fmt.Errorf("%w: negative duration", ErrInvalidConfig)
	}
	if cfg.RetryInterval == 0 {
		cfg.RetryInterval = 5 * time.Second
	}
	if cfg.Rand == nil {
		cfg.Rand = func(max time.Duration) time.Duration {
			if max <= 0 {
				return 0
			}
			return time.Duration(rand.Int64N(int64(max)))
		}
	}
	if cfg.Clock == nil {
		cfg.Clock = systemClock{}
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NoopMetrics{}
	}
	if cfg.Alerts == nil {
		cfg.Alerts = alert.Discard{}
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	return &Service{cfg: cfg, log: cfg.Logger.With(zap.Stringer("account", cfg.Account))}, nil
}

// roundWork is the goroutine doing one round's duty.
type roundWork struct {
	round  uint64
	cancel context.CancelCauseFunc
	pokes  chan struct{}
	done   chan struct{}
}

func (w *roundWork) poke() {
	select {
	case w.pokes <- struct{}{}:
	default:
	}
}

// stop ends the work with cause and waits for it.
func (w *roundWork) stop(cause error) {
	if w == nil {
		return
	}
	w.cancel(cause)
	<-w.done
}

// Run is the duty loop. It returns when ctx ends or events is closed,
// after the current round's work has stopped.
func (s *Service) Run(ctx context.Context, events <-chan rounds.Event) error {
	var cur *roundWork
	defer func() { cur.stop(context.Canceled) }()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-events:
			if !ok {
				return nil
			}
			s.cfg.Metrics.SetCurrentRound(ev.Round)
			if cur != nil && ev.Round <= cur.round {
				cur.poke() // same round (or a reorg back): the work re-reads
				continue
			}
			cur.stop(ErrRoundEnded)
			cur = s.start(ctx, ev)
		}
	}
}

func (s *Service) start(parent context.Context, ev rounds.Event) *roundWork {
	ctx, cancel := context.WithCancelCause(parent)
	if s.cfg.BlockTime > 0 && ev.EndBlock() > ev.Head {
		left := time.Duration(ev.EndBlock()-ev.Head) * s.cfg.BlockTime
		var stopTimer context.CancelFunc
		ctx, stopTimer = context.WithDeadlineCause(ctx, s.cfg.Clock.Now().Add(left), ErrRoundEnded)
		c := cancel
		cancel = func(cause error) { c(cause); stopTimer() }
	}
	w := &roundWork{round: ev.Round, cancel: cancel, pokes: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		o, err := s.runRound(ctx, ev.Round, w.pokes, false)
		s.finish(ctx, ev.Round, o, err)
	}()
	return w
}

// finish accounts for a round's end: a round left without the reward while
// the round really ended (not a shutdown) is a missed round.
func (s *Service) finish(ctx context.Context, round uint64, o Outcome, err error) {
	log := s.log.With(zap.Uint64("round", round), zap.Stringer("outcome", o))
	if cb := s.cfg.OnOutcome; cb != nil {
		defer cb(round, o, err)
	}
	if o.Fulfilled() {
		log.Info("round duty done")
		return
	}
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, ErrRoundEnded) {
		log.Info("round duty stopped by shutdown", zap.Error(err))
		return
	}
	s.cfg.Metrics.MissedRound()
	log.Warn("missed round", zap.Error(err))
	msg := "round ended without reward"
	if err != nil {
		msg += ": " + err.Error()
	}
	s.cfg.Alerts.Raise(alert.Alert{Kind: alert.KindMissedRound, Account: s.cfg.Account.Hex(), Round: round, Message: msg})
}
