// Package txmgr owns sending an account's transactions: nonces tracked
// locally against the chain, EIP-1559 pricing under a hard gas price cap,
// fee-bumped replacement of transactions that stay unmined, recognition of
// transactions that were mined anyway, a journal of every signed transaction
// so that a restarted process takes over what the last one left pending, and
// metrics for all of it. It is modelled on Optimism's op-service/txmgr.
//
// Sends of one account are numbered one at a time, but only the numbering
// is serialised: a Send held back by its gas price cap, or waiting for its
// receipt, holds its nonce and nothing else, so a later Send (a slash-avoiding
// verify() behind a capped reward()) goes ahead.
package txmgr

import (
	"context"
	"fmt"
	"math/big"
	"sync"
	"sync/atomic"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"go.uber.org/zap"
)

// Candidate is a transaction to send. The manager fills in nonce and fees.
type Candidate struct {
	To    *common.Address
	Data  []byte
	Value *big.Int // nil means zero
	// GasLimit is used as is when set; zero means estimate (plus headroom).
	GasLimit uint64
	// Label names the transaction in logs and metrics: one of the Label*
	// constants; anything else is counted as LabelOther.
	Label string
	// Key makes the Send idempotent: a Send whose Key matches one in flight
	// waits for that one's result, and one whose Key is in the journal
	// (pending or mined, in this process or an earlier one) resumes that
	// transaction at its nonce instead of sending another. Use a key that
	// names the action, e.g. "reward/<round>". Empty: not idempotent.
	Key string
	// Nonce, when set, pins the nonce of a Send that has no journal entry:
	// it is sent at exactly this nonce, or not at all (ErrNonceConsumed when
	// the chain's nonce is past it), so a re-send can never act twice.
	Nonce *uint64
	// MaxGasPrice, when set, replaces Config.MaxGasPrice for this Send.
	MaxGasPrice *big.Int
	// DeadlineBlock, when set, ends the Send with ErrDeadline once the head
	// reaches it unmined: past it the transaction is worth nothing.
	DeadlineBlock uint64
	// OnSigned, when set, is called with every signed transaction (the
	// first and each replacement) after it is journaled and before it is
	// published. If it fails the transaction is not published and the Send
	// ends with its error: callers record the nonce of their intent here.
	OnSigned func(tx *types.Transaction) error
}

// Manager sends transactions for one account.
type Manager struct {
	cfg Config
	log *zap.Logger

	queue     chan struct{} // holds one token while a Send is numbered and first published
	closed    chan struct{}
	closeOnce sync.Once
	pending   atomic.Int64
	lock      *AccountLock // nil without Config.LockDir

	// bg is the context of the takeovers Recover starts; Close cancels it
	// and waits for them.
	bg       context.Context
	bgCancel context.CancelFunc
	bgWG     sync.WaitGroup

	mu       sync.Mutex // guards everything below
	nonce    *uint64    // next nonce to use; nil means read it from the chain
	chainID  *big.Int
	flights  map[string]*flight
	inflight map[*attempt]heldNonce // attempts holding a nonce, for the effective cap
	filling  map[uint64]bool        // nonces a gap filler works on
}

// flight is one keyed Send that others with the same Key wait for.
type flight struct {
	done chan struct{}
	rcpt *types.Receipt
	err  error
}

// New checks cfg, fills defaults and returns a Manager.
func New(cfg Config) (*Manager, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	bg, cancel := context.WithCancel(context.Background())
	m := &Manager{
		cfg: cfg, log: cfg.Logger.With(zap.Stringer("from", cfg.From)),
		queue: make(chan struct{}, 1), closed: make(chan struct{}),
		bg: bg, bgCancel: cancel,
		flights: map[string]*flight{}, inflight: map[*attempt]heldNonce{}, filling: map[uint64]bool{},
	}
	if cfg.ChainID != nil {
		m.chainID = new(big.Int).Set(cfg.ChainID)
	}
	if cfg.LockDir != "" {
		lock, err := LockAccount(cfg.LockDir, cfg.ChainID, cfg.From)
		if err != nil {
			cancel()
			return nil, err
		}
		m.lock = lock
	}
	return m, nil
}

// From returns the sending account.
func (m *Manager) From() common.Address { return m.cfg.From }

// Pending returns how many Sends are queued or in flight.
func (m *Manager) Pending() int { return int(m.pending.Load()) }

// Close makes every later Send, and every Send still waiting to be
// numbered, return ErrClosed, stops the takeovers Recover started (their
// transactions stay in the journal for the next start) and releases the
// account lock. A transaction already sent is still seen through by its
// Send: stop the callers first, then Close.
func (m *Manager) Close() {
	m.closeOnce.Do(func() {
		close(m.closed)
		m.bgCancel()
		m.bgWG.Wait()
		if err := m.lock.Release(); err != nil {
			m.log.Warn("release the account lock", zap.Error(err))
		}
	})
}

func (m *Manager) isClosed() bool {
	select {
	case <-m.closed:
		return true
	default:
		return false
	}
}

func (m *Manager) addPending(d int64) {
	m.cfg.Metrics.SetPending(int(m.pending.Add(d)))
}

// Send sends c and blocks until it is mined with ConfirmBlocks confirmations
// or ctx ends. A reverted transaction returns its receipt and an error that
// wraps ErrReverted. While the fee needed is above the cap nothing is sent;
// if ctx ends first the error wraps ErrGasPriceAboveCap.
func (m *Manager) Send(ctx context.Context, c Candidate) (*types.Receipt, error) {
	if m.isClosed() {
		return nil, ErrClosed
	}
	m.addPending(1)
	defer m.addPending(-1)
	if c.Key == "" {
		return m.run(ctx, newAttempt(c, m.cfg.MaxGasPrice))
	}
	f, lead := m.joinFlight(c.Key)
	if !lead {
		return m.await(ctx, c, f)
	}
	rcpt, err := m.lead(ctx, c)
	m.landFlight(c.Key, f, rcpt, err)
	return rcpt, err
}

// joinFlight returns the flight of key and whether the caller leads it.
func (m *Manager) joinFlight(key string) (*flight, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if f, ok := m.flights[key]; ok {
		return f, false
	}
	f := &flight{done: make(chan struct{})}
	m.flights[key] = f
	return f, true
}

func (m *Manager) landFlight(key string, f *flight, rcpt *types.Receipt, err error) {
	m.mu.Lock()
	delete(m.flights, key)
	m.mu.Unlock()
	f.rcpt, f.err = rcpt, err
	close(f.done)
}

// await waits for the flight another Send (or a takeover) leads.
func (m *Manager) await(ctx context.Context, c Candidate, f *flight) (*types.Receipt, error) {
	m.log.Debug("joining the send in flight", zap.String("key", c.Key))
	select {
	case <-f.done:
		return f.rcpt, f.err
	case <-ctx.Done():
		return nil, fmt.Errorf("%w: %s (key %s) still in flight: %w", ErrNotConfirmed, metricLabel(c.Label), c.Key, ctx.Err())
	}
}

// lead runs a keyed Send: it resumes the journaled transaction of the key,
// if there is one still pending or mined, and sends a new one otherwise.
func (m *Manager) lead(ctx context.Context, c Candidate) (*types.Receipt, error) {
	if m.cfg.Journal != nil {
		e, err := m.cfg.Journal.Get(c.Key)
		if err != nil {
			return nil, err
		}
		if e != nil && e.State != EntryFailed {
			a, err := m.resumeAttempt(*e, false)
			if err != nil {
				return nil, err
			}
			a.onSigned = c.OnSigned
			m.log.Info("resuming the journaled transaction", zap.String("key", c.Key), zap.Uint64("nonce", a.nonce))
			return m.run(ctx, a)
		}
	}
	return m.run(ctx, newAttempt(c, m.cfg.MaxGasPrice))
}

func (m *Manager) getChainID(ctx context.Context) (*big.Int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.chainID == nil {
		id, err := m.cfg.Backend.ChainID(ctx)
		if err != nil {
			return nil, fmt.Errorf("read chain id: %w", err)
		}
		m.chainID = id
	}
	return m.chainID, nil
}
