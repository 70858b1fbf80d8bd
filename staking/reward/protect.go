package reward

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/core/types"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/staking/alert"
	"github.com/opkit-dev/opkit/staking/protection"
)

// This file holds the protection rules every duty transaction passes: an
// intent recorded before anything is sent, at most one nonce per duty and
// round, and the checks that decide whether a (re)send is allowed.

// protectedSend fulfils one duty with at most one nonce per round. It reads
// the nonces first and the duty's state second, so that a consumed nonce
// with the duty still unfulfilled proves our transaction had no effect.
// It reports whether this call's transaction fulfilled the duty.
func (s *Service) protectedSend(ctx context.Context, rs *roundState, duty protection.Duty, call Call,
	fulfilled func(context.Context, uint64) (bool, error)) (bool, error) {
	round := rs.round
	key := protection.Key{ChainID: s.cfg.ChainID, Controller: s.cfg.Controller, Account: s.cfg.Account, Duty: duty, Round: round}
	log := s.log.With(zap.Uint64("round", round), zap.Stringer("duty", duty))
	latest, err := s.cfg.Chain.NonceAt(ctx, s.cfg.Account, nil)
	if err != nil {
		return false, fmt.Errorf("read nonce: %w", err)
	}
	pending, err := s.cfg.Chain.PendingNonceAt(ctx, s.cfg.Account)
	if err != nil {
		return false, fmt.Errorf("read pending nonce: %w", err)
	}
	done, err := fulfilled(ctx, round)
	if err != nil {
		return false, err
	}
	rec, err := s.cfg.DB.Get(key)
	if err != nil {
		return false, fmt.Errorf("%w: %w", ErrProtection, err)
	}
	if done {
		return s.markFulfilled(log, rec), nil
	}
	var adopt *protection.Record
	if rec == nil && duty == protection.DutyReward {
		if adopt, err = s.earlierPendingReward(key, latest, pending); err != nil {
			return false, err
		}
	}
	if rec == nil {
		// No intent this round: nothing of ours for this duty is in flight,
		// whatever else of the account's is pending.
		r, _, err := s.cfg.DB.PutIntent(key, s.cfg.Clock.Now())
		if err != nil {
			return false, fmt.Errorf("%w: %w", ErrProtection, err)
		}
		if adopt != nil {
			if err := s.adoptNonce(log, &r, adopt); err != nil {
				return false, err
			}
		}
		rec = &r
		log.Info("intent recorded")
	}
	if err := s.checkRecord(log, rec, latest, pending); err != nil {
		return false, err
	}
	call.DeadlineBlock = rs.lastBlock
	return s.send(ctx, log, rs, rec, s.protectedCall(call, rec), fulfilled)
}

// earlierPendingReward returns the record of the last round's reward when
// its signed transaction is still unmined in the pool: reward() rewards the
// round it is mined in, so that transaction, mined now, is this round's
// reward, and a second one at another nonce would revert.
func (s *Service) earlierPendingReward(key protection.Key, latest, pending uint64) (*protection.Record, error) {
	if key.Round == 0 {
		return nil, nil
	}
	prev := key
	prev.Round--
	rec, err := s.cfg.DB.Get(prev)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrProtection, err)
	}
	if rec == nil || rec.State != protection.StateIntent || rec.NonceSource != protection.NonceSigned {
		return nil, nil
	}
	if latest <= rec.Nonce && pending > rec.Nonce {
		return rec, nil
	}
	return nil, nil
}

// adoptNonce makes this round's reward take the last round's pending nonce:
// sent there, it replaces that transaction (re-priced), so exactly one of
// the two can be mined, and either rewards this round.
func (s *Service) adoptNonce(log *zap.Logger, rec, prev *protection.Record) error {
	rec.Nonce, rec.TxHash, rec.NonceSource = prev.Nonce, prev.TxHash, protection.NonceSigned
	rec.Updated = s.cfg.Clock.Now().UTC()
	if err := s.cfg.DB.Put(*rec); err != nil {
		return fmt.Errorf("%w: %w", ErrProtection, err)
	}
	log.Info("the last round's reward is still pending and would reward this round: replacing it at its nonce",
		zap.Uint64("nonce", prev.Nonce), zap.Uint64("last_round", prev.Key.Round))
	return nil
}

// markFulfilled closes an open intent of a duty found fulfilled; it
// reports whether our recorded transaction is what landed.
func (s *Service) markFulfilled(log *zap.Logger, rec *protection.Record) bool {
	ours := rec != nil && rec.State == protection.StateIntent
	if ours {
		rec.State, rec.Updated = protection.StateDone, s.cfg.Clock.Now().UTC()
		if err := s.cfg.DB.Put(*rec); err != nil {
			log.Warn("record duty done", zap.Error(err))
		}
	}
	return ours
}

// protectedCall ties call to rec: it is idempotent by the duty's key, a
// nonce already signed for the duty pins the re-send to it, and every
// transaction signed for it is recorded (nonce and hash) before it is
// published, so that a restart knows exactly which nonce is the duty's.
func (s *Service) protectedCall(call Call, rec *protection.Record) Call {
	k := rec.Key
	call.Key = fmt.Sprintf("%s/%d/%s/%d", k.Duty, k.ChainID, k.Controller.Hex(), k.Round)
	if rec.NonceSource == protection.NonceSigned {
		n := rec.Nonce
		call.Nonce = &n
	}
	call.OnSigned = func(tx *types.Transaction) error {
		rec.Nonce, rec.TxHash, rec.NonceSource = tx.Nonce(), tx.Hash(), protection.NonceSigned
		rec.Updated = s.cfg.Clock.Now().UTC()
		if err := s.cfg.DB.Put(*rec); err != nil {
			return fmt.Errorf("%w: %w", ErrProtection, err)
		}
		return nil
	}
	return call
}

// checkRecord decides whether a recorded intent allows a (re)send. A
// record with the nonce of its signed transaction is re-sent pinned to that
// nonce (the transaction manager resumes or replaces it there, or refuses
// when the nonce is used). A legacy record, whose nonce is the account's
// pending nonce at intent time, allows a send only while that nonce is
// unused and nothing is pending with it.
func (s *Service) checkRecord(log *zap.Logger, rec *protection.Record, latest, pending uint64) error {
	switch rec.State {
	case protection.StateFailed:
		return fmt.Errorf("%w (%s round %d, tx %s)", ErrDutyFailed, rec.Key.Duty, rec.Key.Round, rec.TxHash.Hex())
	case protection.StateDone:
		// Recorded done but the chain no longer shows it (a reorg): the
		// mined transaction may come back; never send a second one.
		return fmt.Errorf("%w: %s round %d recorded done but not on chain", ErrAwaitingTx, rec.Key.Duty, rec.Key.Round)
	}
	if rec.NonceSource != protection.NonceLegacy {
		return nil
	}
	switch {
	case latest > rec.Nonce:
		return s.nonceUsed(rec)
	case pending > rec.Nonce:
		return fmt.Errorf("%w: %s round %d nonce %d", ErrAwaitingTx, rec.Key.Duty, rec.Key.Round, rec.Nonce)
	case pending < rec.Nonce:
		log.Warn("account nonce is below the recorded one (chain reset or reorg); re-recording",
			zap.Uint64("recorded", rec.Nonce), zap.Uint64("pending", pending))
		rec.Nonce, rec.Updated = pending, s.cfg.Clock.Now().UTC()
		if err := s.cfg.DB.Put(*rec); err != nil {
			return fmt.Errorf("%w: %w", ErrProtection, err)
		}
	}
	return nil
}

// nonceUsed records that the duty's nonce was used without the duty taking
// effect: no further transaction is sent for the round.
func (s *Service) nonceUsed(rec *protection.Record) error {
	rec.State, rec.Updated = protection.StateFailed, s.cfg.Clock.Now().UTC()
	if err := s.cfg.DB.Put(*rec); err != nil {
		return fmt.Errorf("%w: %w", ErrProtection, err)
	}
	s.cfg.Alerts.Raise(alert.Alert{Kind: alert.KindTxFailed, Account: s.cfg.Account.Hex(), Round: rec.Key.Round,
		Message: fmt.Sprintf("nonce %d was used without %s taking effect; not retrying this round", rec.Nonce, rec.Key.Duty)})
	return fmt.Errorf("%w (%s round %d, nonce %d used)", ErrDutyFailed, rec.Key.Duty, rec.Key.Round, rec.Nonce)
}
