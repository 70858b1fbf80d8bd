package claims

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/contracts/bindings"
	"github.com/opkit-dev/opkit/staking/txmgr"
)

// claimReady claims the ready run of every job that has unclaimed receipts.
func (s *Service) claimReady(ctx context.Context, head uint64) error {
	jobs, err := s.cfg.Store.Jobs()
	if err != nil {
		return err
	}
	var errs []error
	for _, job := range jobs {
		if err := s.claimJob(ctx, head, job); err != nil {
			if errors.Is(err, ErrStore) {
				return err
			}
			errs = append(errs, fmt.Errorf("claim job %d: %w", job, err))
		}
	}
	return errors.Join(errs...)
}

// claimJob claims the ready runs of job, one after the other, until none is ready or a claim
// fails.
func (s *Service) claimJob(ctx context.Context, head, job uint64) error {
	for {
		claimed, err := s.claimRun(ctx, head, job)
		if err != nil || !claimed {
			return err
		}
	}
}

// claimRun claims the first run of unclaimed receipts of job if it is ready: full, idle for
// ClaimIdle, or the job ends within EndMargin blocks. It reports whether it claimed.
func (s *Service) claimRun(ctx context.Context, head, job uint64) (bool, error) {
	run, err := s.cfg.Store.UnclaimedRun(job, s.cfg.MaxSegments)
	if err != nil || len(run) == 0 {
		return false, err
	}
	j, err := s.jm.GetJob(s.call(ctx), u256(job))
	if err != nil {
		return false, fmt.Errorf("read job: %w", err)
	}
	log := s.log.With(zap.Uint64("job", job), zap.String("stream", j.StreamId))
	if reason := s.unclaimable(head, j, run[0]); reason != "" {
		return false, s.rejectRun(job, run, reason, log)
	}
	run, err = s.signedPrefix(job, j, run, log)
	if err != nil || len(run) == 0 {
		return err == nil, err // a rejected first receipt may uncover another run
	}
	run, err = s.affordablePrefix(ctx, j, run)
	if err != nil || len(run) == 0 {
		return false, err
	}
	newest := run[0].Received
	for _, r := range run {
		if r.Received.After(newest) {
			newest = r.Received
		}
	}
	full := len(run) == s.cfg.MaxSegments
	idle := s.cfg.Now().Sub(newest) >= s.cfg.ClaimIdle
	ending := head+s.cfg.EndMargin >= j.EndBlock
	if !full && !idle && !ending {
		return false, nil
	}
	receipts := make([]Receipt, len(run))
	for i, r := range run {
		receipts[i] = r.Receipt
	}
	cl, err := NewClaim(receipts)
	if err != nil {
		return false, err
	}
	start, end := cl.Range()
	rec := ClaimRecord{Job: job, Start: start, End: end, Root: cl.Root(), ClaimsBefore: j.NumClaims, IntentBlock: head}
	if err := s.cfg.Store.RecordClaimIntent(rec); err != nil {
		return false, err
	}
	log.Info("claiming work", zap.Uint64("start", start), zap.Uint64("end", end), zap.Stringer("root", rec.Root))
	return true, s.sendClaim(ctx, rec, j.EndBlock, log)
}

// unclaimable says why no receipt of the job can be claimed by this account, or "".
func (s *Service) unclaimable(head uint64, j bindings.JobsManagerJob, first Record) string {
	switch {
	case j.Transcoder != s.cfg.Account:
		return fmt.Sprintf("job's transcoder is %s, not %s", j.Transcoder, s.cfg.Account)
	case j.StreamId != first.Receipt.StreamID:
		return fmt.Sprintf("job is stream %q, receipt is stream %q", j.StreamId, first.Receipt.StreamID)
	case head+1 >= j.EndBlock:
		return fmt.Sprintf("job ended at block %d", j.EndBlock)
	}
	return ""
}

func (s *Service) rejectRun(job uint64, run []Record, reason string, log *zap.Logger) error {
	log.Error("receipts can never be claimed; setting them aside", zap.Uint64("start", run[0].Receipt.Seg),
		zap.Int("segments", len(run)), zap.String("reason", reason))
	for _, r := range run {
		if err := s.cfg.Store.Reject(job, r.Receipt.Seg, reason); err != nil {
			return err
		}
	}
	return nil
}

// signedPrefix cuts run before the first receipt not signed by the job's broadcaster: its
// verify() would revert and cost a missed-verification slash. A bad first receipt is rejected.
func (s *Service) signedPrefix(job uint64, j bindings.JobsManagerJob, run []Record, log *zap.Logger) ([]Record, error) {
	for i, r := range run {
		signer, err := RecoverBroadcaster(r.Receipt.SegmentHash(), r.Receipt.BroadcasterSig)
		if err == nil && signer == j.Broadcaster {
			continue
		}
		if i > 0 {
			return run[:i], nil
		}
		reason := fmt.Sprintf("signature is not the broadcaster's (%s)", j.Broadcaster)
		if err != nil {
			reason = err.Error()
		}
		log.Error("receipt not signed by the job's broadcaster; setting it aside", zap.Uint64("seg", r.Receipt.Seg), zap.String("reason", reason))
		return nil, s.cfg.Store.Reject(job, r.Receipt.Seg, reason)
	}
	return run, nil
}

// affordablePrefix cuts run to what the broadcaster's deposit pays for; claimWork reverts
// beyond it. Nothing is claimed while the deposit covers no segment.
func (s *Service) affordablePrefix(ctx context.Context, j bindings.JobsManagerJob, run []Record) ([]Record, error) {
	b, err := s.jm.Broadcasters(s.call(ctx), j.Broadcaster)
	if err != nil {
		return nil, fmt.Errorf("read broadcaster deposit: %w", err)
	}
	perSeg := new(big.Int).Mul(u256(j.Profiles), j.PricePerSegment)
	if perSeg.Sign() == 0 {
		return run, nil
	}
	n := new(big.Int).Div(b.Deposit, perSeg)
	if n.IsUint64() && n.Uint64() < uint64(len(run)) {
		if n.Uint64() == 0 {
			s.log.Warn("broadcaster deposit covers no segment; waiting", zap.Uint64("job", run[0].Job), zap.Stringer("deposit_wei", b.Deposit))
		}
		return run[:n.Uint64()], nil
	}
	return run, nil
}

// sendClaim sends claimWork for rec, whose intent is recorded, and records the outcome. The
// nonce it is signed with is recorded before it is published; a recorded nonce pins the send.
func (s *Service) sendClaim(ctx context.Context, rec ClaimRecord, jobEnd uint64, log *zap.Logger) error {
	cand, err := s.candidate(txmgr.LabelClaimWork, "claimWork", u256(rec.Job), [2]*big.Int{u256(rec.Start), u256(rec.End)}, rec.Root)
	if err != nil {
		return err
	}
	cand.Key = claimKey(rec)
	cand.Nonce, cand.DeadlineBlock = rec.ClaimNonce, jobEnd-1
	cand.OnSigned = func(tx *types.Transaction) error {
		n := tx.Nonce()
		return s.cfg.Store.UpdateClaim(rec.Job, rec.Start, func(c *ClaimRecord) error {
			c.ClaimNonce, c.ClaimTx = &n, tx.Hash()
			return nil
		})
	}
	r, err := s.cfg.Sender.Send(ctx, cand)
	switch {
	case err == nil:
		return s.claimMined(ctx, rec, r, log)
	case errors.Is(err, txmgr.ErrEstimateGas):
		// Refused before anything was sent: free the receipts and try again later.
		s.cfg.Metrics.ClaimSubmitted(ClaimResultError)
		if derr := s.cfg.Store.DropIntent(rec.Job, rec.Start); derr != nil {
			return errors.Join(err, derr)
		}
		return fmt.Errorf("claimWork for [%d, %d] would revert; will retry: %w", rec.Start, rec.End, err)
	case errors.Is(err, txmgr.ErrReverted):
		// A reverted claimWork made no claim, and its nonce is used: the receipts are free to
		// be claimed again, by a new intent under a new key. The chain moved under the send
		// (e.g. it was mined in a round's first blocks, before initializeRound made the
		// transcoder active again); the gas estimate before each send keeps a lasting cause
		// from being sent again.
		s.cfg.Metrics.ClaimSubmitted(ClaimResultReverted)
		log.Warn("claimWork reverted; its receipts will be claimed again", zap.Uint64("start", rec.Start), zap.Uint64("end", rec.End), zap.Error(err))
		if derr := s.cfg.Store.DropIntent(rec.Job, rec.Start); derr != nil {
			return errors.Join(err, derr)
		}
		return fmt.Errorf("claimWork for [%d, %d] reverted; will claim again: %w", rec.Start, rec.End, err)
	default:
		s.cfg.Metrics.ClaimSubmitted(ClaimResultError)
		return fmt.Errorf("send claimWork: %w", err)
	}
}

// claimKey names an intent's claimWork send; a new intent for the same range after a revert
// is a new send (records from before IntentBlock keep their key).
func claimKey(rec ClaimRecord) string {
	key := fmt.Sprintf("claim/%d/%d/%s", rec.Job, rec.Start, rec.Root.Hex())
	if rec.IntentBlock != 0 {
		key += fmt.Sprintf("/%d", rec.IntentBlock)
	}
	return key
}

// claimMined records the claim created by the mined claimWork r.
func (s *Service) claimMined(ctx context.Context, rec ClaimRecord, r *types.Receipt, log *zap.Logger) error {
	var id *big.Int
	for _, l := range r.Logs {
		if l.Address != s.cfg.JobsManager {
			continue
		}
		if ev, err := s.ev.ParseWorkClaimed(*l); err == nil {
			id = ev.ClaimId
		}
	}
	if id == nil {
		return fmt.Errorf("claimWork %s mined without a WorkClaimed event", r.TxHash)
	}
	if err := s.markClaimed(ctx, rec, id.Uint64(), r.TxHash); err != nil {
		return err
	}
	s.cfg.Metrics.ClaimSubmitted(ClaimResultClaimed)
	log.Info("work claimed", zap.Uint64("claim", id.Uint64()), zap.Uint64("start", rec.Start), zap.Uint64("end", rec.End),
		zap.Stringer("tx", r.TxHash), zap.Uint64("block", r.BlockNumber.Uint64()))
	return nil
}

// markClaimed reads claim id of rec's job and records it.
func (s *Service) markClaimed(ctx context.Context, rec ClaimRecord, id uint64, tx common.Hash) error {
	c, err := s.jm.GetClaim(s.call(ctx), u256(rec.Job), u256(id))
	if err != nil {
		return fmt.Errorf("read claim %d: %w", id, err)
	}
	return s.cfg.Store.UpdateClaim(rec.Job, rec.Start, func(r *ClaimRecord) error {
		r.State, r.ClaimID, r.ClaimBlock = ClaimClaimed, id, c.ClaimBlock
		r.EndVerify, r.EndSlashing, r.Fees = c.EndVerificationBlock, c.EndSlashingBlock, c.Fees.String()
		if tx != (common.Hash{}) {
			r.ClaimTx = tx
		}
		return nil
	})
}

// resolveIntent settles a claim whose claimWork may have been sent without its outcome being
// recorded (a restart, a dropped connection). The claim is looked up on chain by range and
// root; claimWork is sent again only when it is not there and the account has no transaction
// in flight, so a segment is never claimed twice.
func (s *Service) resolveIntent(ctx context.Context, rec ClaimRecord) error {
	log := s.log.With(zap.Uint64("job", rec.Job), zap.Uint64("start", rec.Start), zap.Uint64("end", rec.End))
	// The account's nonce is read before the claims: a nonce used before the lookup, with no
	// claim of ours found after it, was used by something else.
	latest, err := s.cfg.Backend.NonceAt(ctx, s.cfg.Account, nil)
	if err != nil {
		return fmt.Errorf("read nonce: %w", err)
	}
	j, err := s.jm.GetJob(s.call(ctx), u256(rec.Job))
	if err != nil {
		return fmt.Errorf("read job: %w", err)
	}
	for id := rec.ClaimsBefore; id < j.NumClaims; id++ {
		c, err := s.jm.GetClaim(s.call(ctx), u256(rec.Job), u256(id))
		if err != nil {
			return fmt.Errorf("read claim %d: %w", id, err)
		}
		if c.ClaimRoot == rec.Root && c.SegmentStart == rec.Start && c.SegmentEnd == rec.End {
			if err := s.markClaimed(ctx, rec, id, common.Hash{}); err != nil {
				return err
			}
			s.cfg.Metrics.ClaimSubmitted(ClaimResultRecovered)
			log.Info("found the claim sent before; not sending it again", zap.Uint64("claim", id))
			return nil
		}
	}
	return s.resendClaim(ctx, rec, latest, j.EndBlock, log)
}

// resendClaim sends claimWork again for an intent whose claim is not on chain: at the nonce
// its first transaction was signed with, so it can only replace that one; afresh once that
// nonce was used without making the claim; and, for an intent without a recorded nonce,
// only while the account has nothing in flight.
func (s *Service) resendClaim(ctx context.Context, rec ClaimRecord, latest, jobEnd uint64, log *zap.Logger) error {
	switch {
	case rec.ClaimNonce != nil && latest > *rec.ClaimNonce:
		log.Warn("claimWork's nonce was used without making the claim; sending it at a new nonce", zap.Uint64("nonce", *rec.ClaimNonce))
		rec.ClaimNonce = nil
	case rec.ClaimNonce != nil:
		log.Info("claim not on chain yet; sending claimWork again at its nonce", zap.Uint64("nonce", *rec.ClaimNonce))
		return s.sendClaim(ctx, rec, jobEnd, log)
	default:
		inFlight, err := s.inFlight(ctx)
		if err != nil {
			return err
		}
		if inFlight {
			log.Info("claim not on chain yet and a transaction of the account is in flight; waiting")
			return nil
		}
	}
	log.Info("claim not on chain and nothing of it in flight; sending claimWork")
	return s.sendClaim(ctx, rec, jobEnd, log)
}

// inFlight reports whether the account has a transaction in the node's pool: its pending nonce
// is past its mined nonce.
func (s *Service) inFlight(ctx context.Context) (bool, error) {
	pending, err := s.cfg.Backend.PendingNonceAt(ctx, s.cfg.Account)
	if err != nil {
		return false, fmt.Errorf("read pending nonce: %w", err)
	}
	mined, err := s.cfg.Backend.NonceAt(ctx, s.cfg.Account, nil)
	if err != nil {
		return false, fmt.Errorf("read nonce: %w", err)
	}
	return pending > mined, nil
}
