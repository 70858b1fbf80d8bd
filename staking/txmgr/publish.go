package txmgr

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/core/types"
	"go.uber.org/zap"
)

// publish hands tx to the node and acts on the answer. It returns an error
// only when the Send must end: the node refused the transaction for a reason
// retrying cannot fix, and nothing of this Send is in the pool.
func (m *Manager) publish(ctx context.Context, a *attempt, tx *types.Transaction, log *zap.Logger) error {
	err := m.cfg.Backend.SendTransaction(ctx, tx)
	res := classifySendError(err)
	m.cfg.Metrics.TxSent(a.label, res.String())
	now := m.cfg.Clock.Now()
	txlog := log.With(zap.Stringer("tx", tx.Hash()), zap.Uint64("nonce", tx.Nonce()))
	if res != resultOK && res != resultAlreadyKnown {
		m.resetNonce() // after any send error the next transaction reads the chain's nonce
	}
	switch res {
	case resultOK, resultAlreadyKnown:
		if a.inPool {
			m.cfg.Metrics.TxReplaced()
		}
		a.remember(tx)
		a.inPool, a.lastSent = true, now
		if a.firstSent.IsZero() {
			a.firstSent = now
		}
		txlog.Info("transaction sent", zap.String("result", res.String()), zap.Uint64("gas", tx.Gas()),
			zap.Stringer("tip_wei", tx.GasTipCap()), zap.Stringer("fee_cap_wei", tx.GasFeeCap()))
		return nil
	case resultUnknown:
		// The node may have taken it: look for its receipt, and resend the
		// same transaction (same hash) on the next poll.
		a.remember(tx)
		a.lastSent = now
		if a.firstSent.IsZero() {
			a.firstSent = now
		}
		txlog.Warn("send failed; retrying", zap.Error(err))
		return nil
	case resultNonceTooLow:
		if a.inPool || len(a.sent) > 0 {
			a.inPool = true // one of ours may hold the nonce; receipts will tell
			txlog.Info("nonce already used; looking for receipts of our transactions")
			return nil
		}
		a.current = nil // nothing of ours was sent: number it again from the chain
		txlog.Warn("nonce too low; re-reading it from the chain")
		return nil
	case resultNonceTooHigh:
		if !a.inPool {
			a.current, a.sent = nil, nil
			txlog.Warn("nonce too high; re-reading it from the chain")
		}
		return nil
	case resultUnderpriced:
		if a.inPool {
			a.lastSent = now
			txlog.Warn("replacement refused as underpriced; keeping the transaction already sent", zap.Error(err))
			return nil
		}
		a.reprice = true
		txlog.Warn("transaction refused as underpriced; bumping fees", zap.Error(err))
		return nil
	}
	// Insufficient funds or rejected.
	if a.inPool {
		a.lastSent = now
		txlog.Warn("replacement refused; keeping the transaction already sent", zap.Error(err))
		return nil
	}
	sentinel := ErrRejected
	if res == resultInsufficientFunds {
		sentinel = ErrInsufficientFunds
		err = m.explainFunds(ctx, tx, err)
	}
	return fmt.Errorf("%w: %s tx %s: %w", sentinel, a.label, tx.Hash(), err)
}

// explainFunds adds the balance and the cost of tx to an insufficient funds
// error.
func (m *Manager) explainFunds(ctx context.Context, tx *types.Transaction, err error) error {
	bal, berr := m.cfg.Backend.BalanceAt(ctx, m.cfg.From, nil)
	if berr != nil {
		return err
	}
	return fmt.Errorf("balance %s wei, cost up to %s wei: %w", bal, tx.Cost(), err)
}

// findReceipt looks up the receipts of every transaction this Send may have
// put in a pool. A receipt with enough confirmations ends the Send. With no
// receipt, a chain nonce past ours for several polls means another
// transaction took it.
func (m *Manager) findReceipt(ctx context.Context, a *attempt, log *zap.Logger) (*types.Receipt, error) {
	for i := len(a.sent) - 1; i >= 0; i-- {
		tx := a.sent[i]
		r, err := m.cfg.Backend.TransactionReceipt(ctx, tx.Hash())
		if errors.Is(err, ethereum.NotFound) {
			continue
		}
		if err != nil {
			log.Debug("receipt lookup failed", zap.Stringer("tx", tx.Hash()), zap.Error(err))
			continue
		}
		return m.confirm(ctx, a, tx, r, log)
	}
	a.mined = false
	if !a.inPool {
		return nil, nil
	}
	n, err := m.cfg.Backend.NonceAt(ctx, m.cfg.From, nil)
	if err != nil || n <= a.nonce {
		a.consumedPolls = 0
		if err == nil && n < a.nonce {
			m.checkGap(ctx, a, n, log)
		}
		return nil, nil
	}
	a.consumedPolls++
	if a.consumedPolls < consumedGracePolls {
		return nil, nil
	}
	m.resetNonce()
	return nil, fmt.Errorf("%w: %s nonce %d (sent %d transactions, none mined)",
		ErrNonceConsumed, a.label, a.nonce, len(a.sent))
}

// confirm returns r once it has ConfirmBlocks confirmations.
func (m *Manager) confirm(ctx context.Context, a *attempt, tx *types.Transaction, r *types.Receipt, log *zap.Logger) (*types.Receipt, error) {
	head, err := m.cfg.Backend.HeaderByNumber(ctx, nil)
	if err != nil {
		log.Debug("head lookup failed", zap.Error(err))
		return nil, nil
	}
	a.mined = true
	if confirmations(head.Number, r.BlockNumber) < m.cfg.ConfirmBlocks {
		return nil, nil
	}
	m.confirmedNonce(tx.Nonce())
	m.cfg.Metrics.TxConfirmed(m.cfg.Clock.Now().Sub(a.firstSent))
	fields := []zap.Field{zap.Stringer("tx", r.TxHash), zap.Uint64("nonce", tx.Nonce()),
		zap.Stringer("block", r.BlockNumber), zap.Uint64("gas_used", r.GasUsed)}
	if r.Status != types.ReceiptStatusSuccessful {
		log.Warn("transaction reverted", fields...)
		return r, fmt.Errorf("%w: %s tx %s in block %s", ErrReverted, a.label, r.TxHash, r.BlockNumber)
	}
	log.Info("transaction confirmed", fields...)
	return r, nil
}

// abandon ends a Send whose context ended and says what became of it.
func (m *Manager) abandon(a *attempt, cause error, log *zap.Logger) error {
	switch {
	case len(a.sent) > 0:
		m.resetNonce()
		log.Warn("stopped waiting for transaction; it may still be mined",
			zap.Stringer("tx", a.current.Hash()), zap.Uint64("nonce", a.nonce))
		return fmt.Errorf("%w: %s tx %s (nonce %d): %w", ErrNotConfirmed, a.label, a.current.Hash(), a.nonce, cause)
	case a.capped:
		return fmt.Errorf("%w: %s needs %s wei per gas, cap is %s: %w",
			ErrGasPriceAboveCap, a.label, a.needWei, a.maxPrice, cause)
	default:
		return fmt.Errorf("txmgr: %s not sent: %w", a.label, cause)
	}
}

// confirmations is how many blocks from block to head, counting block; 0
// when the head is behind the block (a lagging node behind a load
// balancer answered the head).
func confirmations(head, block *big.Int) uint64 {
	if head == nil || block == nil || head.Cmp(block) < 0 {
		return 0
	}
	return new(big.Int).Sub(head, block).Uint64() + 1
}

func isNonceConsumed(err error) bool { return errors.Is(err, ErrNonceConsumed) }
