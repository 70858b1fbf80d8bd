package txmgr

import (
	"context"
	"math/big"

	"go.uber.org/zap"
)

// gapGracePolls is how many polls in a row a sent transaction must sit
// behind a nonce gap before the manager fills the gap: the node's pending
// nonce can lag a publication briefly.
const gapGracePolls = 5

// LabelNonceGap labels the zero-value self-transfers that fill a nonce gap.
const LabelNonceGap = "nonce_gap"

// checkGap looks at whether a's transaction waits behind nonces that no
// Send of this run holds: transactions the node lost, or ones a
// reorganisation took out of blocks after their Sends returned (on the new
// branch the base fee may be above what they pay). After a grace period it
// pushes each such nonce through.
func (m *Manager) checkGap(ctx context.Context, a *attempt, latest uint64, log *zap.Logger) {
	if m.holdsAllBelow(latest, a.nonce) {
		a.gapPolls = 0
		return
	}
	a.gapPolls++
	if a.gapPolls < gapGracePolls {
		return
	}
	a.gapPolls = 0
	log.Warn("transaction waits behind nonces nothing of this run pushes; pushing them",
		zap.Uint64("nonce", a.nonce), zap.Uint64("account_nonce", latest))
	for n := latest; n < a.nonce; n++ {
		m.fillNonce(n, log)
	}
}

// holdsAllBelow reports whether every nonce in [from, to) is held by a Send.
func (m *Manager) holdsAllBelow(from, to uint64) bool {
	for n := from; n < to; n++ {
		if !m.nonceHeld(n) {
			return false
		}
	}
	return true
}

// fillNonce makes sure something is mined at nonce n: the Send holding it
// republishes on its own, a journaled transaction of it is taken over, and
// otherwise a zero-value transfer to the account itself is sent there (it
// replaces whatever unknown transaction sits there unmined).
func (m *Manager) fillNonce(n uint64, log *zap.Logger) {
	if m.nonceHeld(n) {
		return
	}
	if m.takeOverJournaled(n, log) {
		return
	}
	if !m.startFilling(n) {
		return
	}
	self := m.cfg.From
	pinned := n
	a := newAttempt(Candidate{To: &self, Value: new(big.Int), GasLimit: 21000, Label: LabelNonceGap, Nonce: &pinned}, m.cfg.MaxGasPrice)
	m.cfg.Metrics.TxGapFilled()
	m.bgWG.Add(1)
	go func() {
		defer m.bgWG.Done()
		defer m.doneFilling(n)
		if _, err := m.run(m.bg, a); err != nil && !isNonceConsumed(err) {
			log.Warn("filling a nonce gap failed", zap.Uint64("nonce", n), zap.Error(err))
		}
	}()
}

// takeOverJournaled takes over the journaled transaction at nonce n that
// is still pending, or that was mined on a branch since reorganised away,
// and fee-bumps it.
func (m *Manager) takeOverJournaled(n uint64, log *zap.Logger) bool {
	if m.cfg.Journal == nil {
		return false
	}
	entries, err := m.cfg.Journal.Entries()
	if err != nil {
		log.Warn("read the journal for a nonce gap", zap.Error(err))
		return false
	}
	for _, e := range entries {
		if e.Nonce != n || e.State == EntryFailed {
			continue
		}
		e.State = EntryPending
		if err := m.takeOver(e); err != nil {
			log.Warn("take over the journaled transaction in a nonce gap", zap.Uint64("nonce", n), zap.Error(err))
		}
		return true
	}
	return false
}

func (m *Manager) nonceHeld(n uint64) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, h := range m.inflight {
		if h.nonce == n {
			return true
		}
	}
	return false
}

func (m *Manager) startFilling(n uint64) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.filling[n] || m.isClosed() {
		return false
	}
	m.filling[n] = true
	return true
}

func (m *Manager) doneFilling(n uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.filling, n)
}
