// Package txmgr owns sending an account's transactions: one queue per
// account, nonces tracked locally against the chain, EIP-1559 pricing under a
// hard gas price cap, fee-bumped replacement of transactions that stay
// unmined, recognition of transactions that were mined anyway, and metrics for
// all of it. It is modelled on Optimism's op-service/txmgr.
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
}

// Manager sends transactions for one account, one at a time.
type Manager struct {
	cfg Config
	log *zap.Logger

	queue     chan struct{} // holds one token while a Send is sending
	closed    chan struct{}
	closeOnce sync.Once
	pending   atomic.Int64
	lock      *AccountLock // nil without Config.LockDir

	mu      sync.Mutex // guards nonce and chainID
	nonce   *uint64    // next nonce to use; nil means read it from the chain
	chainID *big.Int
}

// New checks cfg, fills defaults and returns a Manager.
func New(cfg Config) (*Manager, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	m := &Manager{
		cfg:    cfg,
		log:    cfg.Logger.With(zap.Stringer("from", cfg.From)),
		queue:  make(chan struct{}, 1),
		closed: make(chan struct{}),
	}
	if cfg.ChainID != nil {
		m.chainID = new(big.Int).Set(cfg.ChainID)
	}
	if cfg.LockDir != "" {
		lock, err := LockAccount(cfg.LockDir, cfg.ChainID, cfg.From)
		if err != nil {
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

// Close makes every later Send, and every Send still queued, return
// ErrClosed, and releases the account lock. A transaction already sent is
// still seen through by its Send: stop the callers first, then Close.
func (m *Manager) Close() {
	m.closeOnce.Do(func() {
		close(m.closed)
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
// wraps ErrReverted. While the fee needed is above MaxGasPrice nothing is
// sent; if ctx ends first the error wraps ErrGasPriceAboveCap.
func (m *Manager) Send(ctx context.Context, c Candidate) (*types.Receipt, error) {
	if m.isClosed() {
		return nil, ErrClosed
	}
	m.addPending(1)
	defer m.addPending(-1)
	select {
	case m.queue <- struct{}{}:
	case <-m.closed:
		return nil, ErrClosed
	case <-ctx.Done():
		return nil, fmt.Errorf("txmgr: waiting for queue: %w", ctx.Err())
	}
	defer func() { <-m.queue }()
	if m.isClosed() {
		return nil, ErrClosed
	}
	return m.send(ctx, c)
}

// takeNonce returns the nonce for a new transaction: the larger of the local
// nonce and the chain's pending nonce, so that transactions sent by others
// from the same account are not collided with. The local nonce moves past it.
func (m *Manager) takeNonce(ctx context.Context) (uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	pending, err := m.cfg.Backend.PendingNonceAt(ctx, m.cfg.From)
	if err != nil {
		return 0, fmt.Errorf("read pending nonce: %w", err)
	}
	n := pending
	if m.nonce != nil && *m.nonce > n {
		n = *m.nonce
	}
	next := n + 1
	m.nonce = &next
	return n, nil
}

// rollbackNonce undoes takeNonce(n) when the transaction was never sent.
func (m *Manager) rollbackNonce(n uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.nonce != nil && *m.nonce == n+1 {
		*m.nonce = n
	}
}

// resetNonce forgets the local nonce; the next transaction reads it from the
// chain. Called after every send error and every abandoned transaction.
func (m *Manager) resetNonce() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.nonce = nil
}

// confirmedNonce records that nonce n was mined.
func (m *Manager) confirmedNonce(n uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.nonce != nil && *m.nonce <= n {
		next := n + 1
		m.nonce = &next
	}
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
