package txmgr

import (
	"context"
	"fmt"
	"math/big"
)

// acquireQueue takes the numbering token: only one Send at a time goes from
// taking a nonce to the node's first acceptance of its transaction, so a
// Send that fails before then can give its nonce back without a gap.
func (m *Manager) acquireQueue(ctx context.Context, a *attempt) error {
	if a.holdsQueue {
		return nil
	}
	select {
	case m.queue <- struct{}{}:
	case <-m.closed:
		return ErrClosed
	case <-ctx.Done():
		return fmt.Errorf("txmgr: waiting for the numbering queue: %w", ctx.Err())
	}
	a.holdsQueue = true
	if m.isClosed() {
		m.releaseQueue(a)
		return ErrClosed
	}
	return nil
}

func (m *Manager) releaseQueue(a *attempt) {
	if a.holdsQueue {
		a.holdsQueue = false
		<-m.queue
	}
}

// takeNonce returns the nonce for a new transaction: the pinned one, or
// the larger of the local nonce and the chain's pending nonce, so that
// transactions sent by others from the same account are not collided with.
// The local nonce moves past it.
func (m *Manager) takeNonce(ctx context.Context, pinned *uint64) (uint64, error) {
	if pinned != nil {
		return m.checkPinned(ctx, *pinned)
	}
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

// checkPinned refuses a pinned nonce the chain has already used.
func (m *Manager) checkPinned(ctx context.Context, n uint64) (uint64, error) {
	latest, err := m.cfg.Backend.NonceAt(ctx, m.cfg.From, nil)
	if err != nil {
		return 0, fmt.Errorf("read nonce: %w", err)
	}
	if latest > n {
		return 0, fmt.Errorf("%w: pinned nonce %d, the account's nonce is %d", ErrNonceConsumed, n, latest)
	}
	m.raiseNonce(n + 1)
	return n, nil
}

// raiseNonce makes the local nonce at least next.
func (m *Manager) raiseNonce(next uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.nonce == nil || *m.nonce < next {
		m.nonce = &next
	}
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

// heldNonce is a Send's nonce and fee cap, as capFor sees it.
type heldNonce struct {
	nonce    uint64
	maxPrice *big.Int
}

// holdNonce registers a as holding nonce n, until dropNonce.
func (m *Manager) holdNonce(a *attempt, n uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.inflight[a] = heldNonce{nonce: n, maxPrice: a.maxPrice}
}

func (m *Manager) dropNonce(a *attempt) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.inflight, a)
}

// capFor is the fee cap a's transaction may be priced up to: its own, or
// the highest cap of any later-numbered Send in flight, since none of those
// can be mined before a's nonce is. A verify() allowed to pay more lifts
// the reward() stuck ahead of it.
func (m *Manager) capFor(a *attempt) *big.Int {
	m.mu.Lock()
	defer m.mu.Unlock()
	capWei := a.maxPrice
	own, ok := m.inflight[a]
	if !ok {
		return capWei
	}
	for o, h := range m.inflight {
		if o != a && h.nonce > own.nonce && h.maxPrice.Cmp(capWei) > 0 {
			capWei = h.maxPrice
		}
	}
	return capWei
}
