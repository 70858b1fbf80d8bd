package reward

import (
	"context"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/core/types"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/staking/alert"
	"github.com/opkit-dev/opkit/staking/protection"
)

// errRoundOver is returned by an attempt that finds the chain in a later
// round than the one being worked on.
var errRoundOver = fmt.Errorf("%w: chain moved to a later round", ErrRoundEnded)

// roundState is what one round's work remembers between attempts.
type roundState struct {
	round      uint64
	delayed    bool // the random initialize delay has been waited
	balanceChk bool // the balance was checked this round
	sent       bool // our reward() was mined in this round
	sendAlert  bool // a failed send was alerted this round
	// lastBlock is the round's last block: a duty transaction is published
	// (or re-priced) only while the head is before it.
	lastBlock uint64
}

// runRound works on round until its duty is fulfilled, a final outcome is
// reached, or ctx ends. In once mode a round nobody initialized is final.
func (s *Service) runRound(ctx context.Context, round uint64, pokes <-chan struct{}, once bool) (Outcome, error) {
	rs := &roundState{round: round}
	log := s.log.With(zap.Uint64("round", round))
	for {
		o, err := s.attempt(ctx, rs)
		switch {
		case err == nil && (o.Fulfilled() || (once && o == OutcomeNotInitialized)):
			return o, nil
		case errors.Is(err, ErrDutyFailed), errors.Is(err, errRoundOver):
			return o, err
		case errors.Is(err, ErrProtection):
			s.cfg.Metrics.RewardCall(ResultRefused)
			s.cfg.Alerts.Raise(alert.Alert{Kind: alert.KindProtectionDB, Account: s.cfg.Account.Hex(), Round: round, Message: err.Error()})
			log.Error("refusing to act", zap.Error(err))
		case err != nil && ctx.Err() == nil:
			log.Warn("round duty attempt failed; retrying", zap.Error(err))
		}
		select {
		case <-ctx.Done():
			if err == nil {
				err = context.Cause(ctx)
			} else {
				err = errors.Join(context.Cause(ctx), err)
			}
			return o, err
		case <-pokes:
		case <-s.cfg.Clock.After(s.cfg.RetryInterval):
		}
	}
}

// attempt is one pass of check-and-act.
func (s *Service) attempt(ctx context.Context, rs *roundState) (Outcome, error) {
	st, err := s.cfg.Chain.RoundState(ctx, nil)
	if err != nil {
		return OutcomeUnknown, fmt.Errorf("read round state: %w", err)
	}
	if st.Round > rs.round {
		return OutcomeUnknown, errRoundOver
	}
	if st.Round < rs.round { // a reorg moved the head back; wait for the chain
		return OutcomeUnknown, fmt.Errorf("chain is in round %d, before round %d", st.Round, rs.round)
	}
	rs.lastBlock = st.EndBlock() - 1
	s.checkBalance(ctx, rs)
	if !st.Initialized {
		if !s.cfg.InitializeRound {
			return OutcomeNotInitialized, nil
		}
		if err := s.initialize(ctx, rs); err != nil {
			return OutcomeNotInitialized, err
		}
		// Initialized now (by us or by someone else): go on to reward.
	}
	sent, err := s.protectedSend(ctx, rs, protection.DutyReward, s.rewardCall(ctx, rs.round), s.rewardFulfilled)
	if err != nil {
		var tr *transcoderErr
		if errors.As(err, &tr) && !tr.active {
			// Read after the next round began and before it was initialized,
			// nobody is active yet: that is this round ending, not an
			// inactive transcoder.
			if now, rerr := s.cfg.Chain.RoundState(ctx, nil); rerr == nil && now.Round > rs.round {
				return OutcomeUnknown, errRoundOver
			}
			return OutcomeNotActive, nil
		}
		return OutcomeUnknown, err
	}
	s.cfg.Metrics.SetLastRewardRound(rs.round)
	if sent || rs.sent {
		rs.sent = true
		return OutcomeRewarded, nil
	}
	return OutcomeAlreadyRewarded, nil
}

// transcoderErr stops a reward when the transcoder is not active.
type transcoderErr struct{ active bool }

func (e *transcoderErr) Error() string { return "transcoder is not active this round" }

// rewardFulfilled reads the transcoder: fulfilled when its reward for round
// is on chain; an inactive transcoder ends the duty.
func (s *Service) rewardFulfilled(ctx context.Context, round uint64) (bool, error) {
	tr, err := s.cfg.Chain.Transcoder(ctx, s.cfg.Account)
	if err != nil {
		return false, fmt.Errorf("read transcoder: %w", err)
	}
	// The active set is frozen for the round, so a transcoder rewarded in
	// it is still active; checking activity first keeps round 0 (where
	// lastRewardRound is 0 for everyone) from reading as rewarded.
	if !tr.Active {
		return false, &transcoderErr{active: false}
	}
	return tr.LastRewardRound >= round, nil
}

func (s *Service) initializedFulfilled(ctx context.Context, round uint64) (bool, error) {
	st, err := s.cfg.Chain.RoundState(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("read round state: %w", err)
	}
	if st.Round > round {
		return false, errRoundOver
	}
	return st.Initialized, nil
}

// initialize waits the random delay once per round, then initializes the
// round unless someone else did meanwhile.
func (s *Service) initialize(ctx context.Context, rs *roundState) error {
	if !rs.delayed {
		d := s.cfg.Rand(s.cfg.InitDelayMax)
		s.log.Info("round not initialized; initializing after a random delay",
			zap.Uint64("round", rs.round), zap.Duration("delay", d))
		if d > 0 {
			select {
			case <-ctx.Done():
				return context.Cause(ctx)
			case <-s.cfg.Clock.After(d):
			}
		}
		rs.delayed = true
	}
	_, err := s.protectedSend(ctx, rs, protection.DutyInitialize, s.cfg.Initialize, s.initializedFulfilled)
	if errors.Is(err, ErrDutyFailed) {
		// Someone else won the race (our call reverted): check the chain.
		ok, rerr := s.initializedFulfilled(ctx, rs.round)
		if rerr == nil && ok {
			return nil
		}
	}
	return err
}

// send hands the call to the transaction manager and records the result.
func (s *Service) send(ctx context.Context, log *zap.Logger, rs *roundState, rec *protection.Record, call Call,
	fulfilled func(context.Context, uint64) (bool, error)) (bool, error) {
	reward := rec.Key.Duty == protection.DutyReward
	receipt, err := s.cfg.Sender.Send(ctx, call)
	if receipt != nil && receipt.Status != types.ReceiptStatusSuccessful {
		rec.State, rec.TxHash, rec.Updated = protection.StateFailed, receipt.TxHash, s.cfg.Clock.Now().UTC()
		perr := s.cfg.DB.Put(*rec)
		if reward {
			s.cfg.Metrics.RewardCall(ResultReverted)
		}
		s.cfg.Alerts.Raise(alert.Alert{Kind: alert.KindTxFailed, Account: s.cfg.Account.Hex(), Round: rec.Key.Round,
			Tx: receipt.TxHash.Hex(), Message: rec.Key.Duty.String() + " transaction reverted"})
		log.Warn("duty transaction reverted", zap.Stringer("tx", receipt.TxHash))
		return false, errors.Join(fmt.Errorf("%w (%s reverted in tx %s)", ErrDutyFailed, rec.Key.Duty, receipt.TxHash.Hex()), perr)
	}
	if errors.Is(err, ErrNonceUsed) {
		// Mined meanwhile, by the transaction whose answer was lost: only a
		// duty still undone means the nonce went without effect.
		if done, ferr := fulfilled(ctx, rec.Key.Round); ferr == nil && done {
			return s.markFulfilled(log, rec), nil
		}
		return false, s.nonceUsed(rec)
	}
	if err != nil {
		if ctx.Err() == nil {
			if reward {
				s.cfg.Metrics.RewardCall(ResultError)
			}
			if !rs.sendAlert { // once per round: retries follow
				rs.sendAlert = true
				s.cfg.Alerts.Raise(alert.Alert{Kind: alert.KindTxFailed, Account: s.cfg.Account.Hex(), Round: rec.Key.Round,
					Message: fmt.Sprintf("sending %s failed (retrying this round): %v", rec.Key.Duty, err)})
			}
		}
		return false, fmt.Errorf("send %s: %w", rec.Key.Duty, err)
	}
	if receipt == nil {
		return false, fmt.Errorf("send %s: no receipt", rec.Key.Duty)
	}
	rec.State, rec.TxHash, rec.Updated = protection.StateDone, receipt.TxHash, s.cfg.Clock.Now().UTC()
	if err := s.cfg.DB.Put(*rec); err != nil {
		log.Warn("record duty done", zap.Error(err)) // the chain holds the truth now
	}
	if reward {
		s.cfg.Metrics.RewardCall(ResultSuccess)
	}
	log.Info("duty transaction mined", zap.Stringer("tx", receipt.TxHash), zap.Uint64("block", receipt.BlockNumber.Uint64()))
	return true, nil
}

// checkBalance exports the balance and alerts once per round when it is low.
func (s *Service) checkBalance(ctx context.Context, rs *roundState) {
	if rs.balanceChk {
		return
	}
	bal, err := s.cfg.Chain.BalanceAt(ctx, s.cfg.Account, nil)
	if err != nil {
		return // the next attempt reads it again
	}
	rs.balanceChk = true
	s.cfg.Metrics.SetBalance(bal)
	if s.cfg.MinBalance != nil && bal.Cmp(s.cfg.MinBalance) < 0 {
		s.log.Warn("ETH balance below minimum", zap.Stringer("balance_wei", bal), zap.Stringer("min_wei", s.cfg.MinBalance))
		s.cfg.Alerts.Raise(alert.Alert{Kind: alert.KindLowBalance, Account: s.cfg.Account.Hex(), Round: rs.round,
			Message: fmt.Sprintf("balance %s wei is below %s wei", bal, s.cfg.MinBalance)})
	}
}

// rewardCall is the reward transaction for round: rewardWithHint with the
// transcoder's new place in the pool when RewardHint can compute it, else
// the plain reward().
func (s *Service) rewardCall(ctx context.Context, round uint64) Call {
	if s.cfg.RewardHint == nil {
		return s.cfg.Reward
	}
	c, err := s.cfg.RewardHint(ctx, round)
	if err != nil {
		s.log.Warn("cannot compute the reward's pool hint; sending plain reward()", zap.Uint64("round", round), zap.Error(err))
		return s.cfg.Reward
	}
	return c
}
