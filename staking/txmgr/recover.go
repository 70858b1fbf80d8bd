package txmgr

import (
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"go.uber.org/zap"
)

// journalRetention is how long entries that are no longer pending stay in
// the journal, so that a keyed Send re-sent after a restart finds its mined
// transaction instead of sending another.
const journalRetention = 14 * 24 * time.Hour

// record journals tx, the newest transaction of a, and then hands it to
// the caller's OnSigned: both before it is published, so that no
// transaction reaches a node that a restart would not know of.
func (m *Manager) record(a *attempt, tx *types.Transaction, log *zap.Logger) error {
	if m.cfg.Journal != nil {
		raw, err := tx.MarshalBinary()
		if err != nil {
			return fmt.Errorf("%w: encode %s tx: %w", ErrJournal, a.label, err)
		}
		if len(a.signed) > 0 && a.signedNonce != tx.Nonce() {
			a.signed = nil // renumbered: nothing signed at the old nonce was accepted
		}
		if a.key == "" {
			a.key = fmt.Sprintf("auto/%s/%d/%s", a.label, tx.Nonce(), tx.Hash().Hex())
		}
		a.signed, a.signedNonce = append(a.signed, raw), tx.Nonce()
		if err := m.cfg.Journal.Put(m.entry(a, EntryPending)); err != nil {
			if !errors.Is(err, ErrJournal) {
				err = fmt.Errorf("%w: %w", ErrJournal, err)
			}
			return fmt.Errorf("txmgr: %s not published: %w", a.label, err)
		}
	}
	if a.onSigned != nil {
		if err := a.onSigned(tx); err != nil {
			return fmt.Errorf("txmgr: %s not published: recording its nonce: %w", a.label, err)
		}
	}
	log.Debug("transaction signed", zap.Stringer("tx", tx.Hash()), zap.Uint64("nonce", tx.Nonce()))
	return nil
}

func (m *Manager) entry(a *attempt, st EntryState) Entry {
	return Entry{Key: a.key, Label: a.label, Nonce: a.signedNonce, MaxGasPrice: a.maxPrice.String(),
		Txs: a.signed, State: st, Updated: m.cfg.Clock.Now().UTC()}
}

// settle records how a Send ended in the journal and passes its result on.
// A Send that may still be mined stays pending, for Recover to take over.
func (m *Manager) settle(a *attempt, rcpt *types.Receipt, err error, log *zap.Logger) (*types.Receipt, error) {
	if m.cfg.Journal == nil || len(a.signed) == 0 {
		return rcpt, err
	}
	e := m.entry(a, EntryPending)
	switch {
	case rcpt != nil:
		e.State, e.MinedTx = EntryMined, rcpt.TxHash
	case errors.Is(err, ErrNotConfirmed):
		return rcpt, err
	case errors.Is(err, ErrNonceConsumed) || (!a.inPool && len(a.sent) == 0):
		e.State = EntryFailed
	default:
		return rcpt, err
	}
	if perr := m.cfg.Journal.Put(e); perr != nil {
		log.Error("journal the outcome of a transaction", zap.String("key", a.key), zap.Error(perr))
	}
	return rcpt, err
}

// resumeAttempt rebuilds the Send of a journal entry: its transactions, its
// nonce (held again) and its cap. The newest transaction is published again
// first; a pending one is then fee-bumped at once when bump is set.
func (m *Manager) resumeAttempt(e Entry, bump bool) (*attempt, error) {
	txs, err := entryTxs(e)
	if err != nil {
		return nil, err
	}
	cur := txs[len(txs)-1]
	capWei, ok := new(big.Int).SetString(e.MaxGasPrice, 10)
	if !ok || capWei.Sign() <= 0 {
		capWei = m.cfg.MaxGasPrice
	}
	a := newAttempt(Candidate{To: cur.To(), Data: cur.Data(), Value: cur.Value(), GasLimit: cur.Gas(),
		Label: e.Label, Key: e.Key}, capWei)
	a.current, a.nonce, a.fees = cur, cur.Nonce(), fees{tip: cur.GasTipCap(), feeCap: cur.GasFeeCap()}
	a.sent, a.signed, a.signedNonce = txs, e.Txs, cur.Nonce()
	a.inPool = e.State == EntryMined // a pending one is published again first
	a.bumpNow = bump && e.State == EntryPending
	a.firstSent = m.cfg.Clock.Now()
	m.holdNonce(a, a.nonce)
	m.raiseNonce(a.nonce + 1)
	return a, nil
}

// Recover takes over every transaction the journal holds as pending: each
// is published again and fee-bumped at its nonce, in a goroutine the
// manager owns until it is mined, its nonce is used by another transaction,
// or Close. A keyed Send for the same key joins it. It also forgets entries
// settled more than two weeks ago. It returns how many it took over.
func (m *Manager) Recover() (int, error) {
	if m.cfg.Journal == nil {
		return 0, nil
	}
	entries, err := m.cfg.Journal.Entries()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		if e.State != EntryPending {
			m.prune(e)
			continue
		}
		if err := m.takeOver(e); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func (m *Manager) prune(e Entry) {
	if m.cfg.Clock.Now().Sub(e.Updated) < journalRetention {
		return
	}
	if err := m.cfg.Journal.Delete(e.Key); err != nil {
		m.log.Warn("prune the journal", zap.String("key", e.Key), zap.Error(err))
	}
}

// takeOver runs the Send of a pending entry in the background.
func (m *Manager) takeOver(e Entry) error {
	if m.isClosed() {
		return ErrClosed
	}
	f, lead := m.joinFlight(e.Key)
	if !lead {
		return nil
	}
	a, err := m.resumeAttempt(e, true)
	if err != nil {
		m.landFlight(e.Key, f, nil, err)
		return err
	}
	log := m.log.With(zap.String("key", e.Key), zap.String("label", e.Label), zap.Uint64("nonce", e.Nonce))
	log.Warn("taking over a transaction left pending by an earlier run", zap.Stringer("tx", a.current.Hash()))
	m.cfg.Metrics.TxTakenOver()
	m.addPending(1)
	m.bgWG.Add(1)
	go func() {
		defer m.bgWG.Done()
		defer m.addPending(-1)
		rcpt, err := m.run(m.bg, a)
		m.landFlight(e.Key, f, rcpt, err)
		if err != nil && !errors.Is(err, ErrReverted) {
			log.Warn("taken-over transaction not settled", zap.Error(err))
		}
	}()
	return nil
}
