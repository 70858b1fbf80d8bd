package claims

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/staking/txmgr"
)

// errInFlight: a verify() for the segment may still be in flight; look again next block.
var errInFlight = errors.New("verify transaction in flight")

// On-chain enums of JobsManager.
const (
	claimStatusPending  = 0
	claimStatusSlashed  = 1
	claimStatusComplete = 2
	segmentStatusNone   = 0
)

// verifyClaim computes the challenged segments once the seed block is mined and submits each
// with its Merkle proof before endVerificationBlock; the claim is verified once every one is
// handled. Until endVerificationBlock (in the verified state too) the claim block and the seed
// are read again on every step, and every challenged segment's status is read from the chain,
// so a reorganisation that changes the seed, or drops a verify(), is followed.
func (s *Service) verifyClaim(ctx context.Context, head uint64, rec ClaimRecord) error {
	log := s.log.With(zap.Uint64("job", rec.Job), zap.Uint64("claim", rec.ClaimID))
	// The contract reads blockhash(claimBlock+1), so verify() runs (and its gas is estimated)
	// from block claimBlock+2 on.
	if head < SeedBlock(rec.ClaimBlock)+1 {
		return nil
	}
	rec, err := s.refreshChallenge(ctx, head, rec, log)
	if err != nil {
		return err
	}
	receipts, err := s.cfg.Store.Receipts(rec.Job, rec.Start, rec.End)
	if err != nil {
		return err
	}
	cl, err := NewClaim(receipts)
	if err != nil {
		return err
	}
	if cl.Root() != rec.Root {
		return fmt.Errorf("stored receipts give root %s, the claim has %s", cl.Root(), rec.Root)
	}
	handled, err := s.verifySegments(ctx, head, &rec, cl, log)
	want := ClaimClaimed
	if handled && err == nil {
		want = ClaimVerified
	}
	if want == rec.State {
		return err
	}
	if want == ClaimVerified {
		log.Info("every challenged segment handled", zap.Int("challenged", len(rec.Challenged)))
	} else {
		log.Warn("a challenged segment is no longer verified on chain (reorganisation); verifying again")
	}
	return errors.Join(err, s.cfg.Store.UpdateClaim(rec.Job, rec.Start, func(c *ClaimRecord) error {
		c.State = want
		return nil
	}))
}

// verifySegments submits every challenged segment not on chain yet and records outcomes that
// changed. It reports whether every segment has an outcome.
func (s *Service) verifySegments(ctx context.Context, head uint64, rec *ClaimRecord, cl *Claim, log *zap.Logger) (bool, error) {
	waiting := false
	var errs []error
	for _, seg := range rec.Challenged {
		outcome, err := s.verifySegment(ctx, head, *rec, cl, seg, log)
		if errors.Is(err, errInFlight) {
			waiting = true
			continue
		}
		if errors.Is(err, ErrStore) || ctx.Err() != nil {
			return false, errors.Join(append(errs, err)...)
		}
		if err != nil { // the others may still go through; this one is retried next block
			errs = append(errs, err)
			continue
		}
		if err := s.recordOutcome(rec, seg, outcome); err != nil {
			return false, err
		}
	}
	return !waiting && len(errs) == 0, errors.Join(errs...)
}

// recordOutcome stores seg's outcome when it changed.
func (s *Service) recordOutcome(rec *ClaimRecord, seg uint64, outcome string) error {
	if prev, ok := rec.Verified[seg]; ok && prev == outcome {
		return nil
	}
	if err := s.cfg.Store.UpdateClaim(rec.Job, rec.Start, func(c *ClaimRecord) error {
		if c.Verified == nil {
			c.Verified = map[uint64]string{}
		}
		c.Verified[seg] = outcome
		return nil
	}); err != nil {
		return err
	}
	if rec.Verified == nil {
		rec.Verified = map[uint64]string{}
	}
	rec.Verified[seg] = outcome
	return nil
}

// refreshChallenge reads the claim's block and the seed block's hash from the chain and, when
// either differs from the record (first time, or a reorganisation), records them with the
// segments the new seed challenges.
func (s *Service) refreshChallenge(ctx context.Context, head uint64, rec ClaimRecord, log *zap.Logger) (ClaimRecord, error) {
	c, err := s.jm.GetClaim(s.call(ctx), u256(rec.Job), u256(rec.ClaimID))
	if err != nil {
		return rec, fmt.Errorf("read claim %d: %w", rec.ClaimID, err)
	}
	if c.ClaimBlock == 0 || c.ClaimRoot != rec.Root {
		return rec, fmt.Errorf("claim %d is not on the chain as recorded (reorganised away?)", rec.ClaimID)
	}
	moved := c.ClaimBlock != rec.ClaimBlock
	if moved {
		log.Warn("claim block changed (reorganisation)", zap.Uint64("was", rec.ClaimBlock), zap.Uint64("now", c.ClaimBlock))
		rec.ClaimBlock, rec.EndVerify, rec.EndSlashing = c.ClaimBlock, c.EndVerificationBlock, c.EndSlashingBlock
		if head < SeedBlock(rec.ClaimBlock)+1 {
			return rec, fmt.Errorf("claim re-mined in block %d; its seed block is not mined yet", rec.ClaimBlock)
		}
	}
	hdr, err := s.cfg.Backend.HeaderByNumber(ctx, u256(SeedBlock(rec.ClaimBlock)))
	if err != nil {
		return rec, fmt.Errorf("read seed block %d: %w", SeedBlock(rec.ClaimBlock), err)
	}
	if !moved && hdr.Hash() == rec.ChallengeSeed {
		return rec, nil
	}
	return s.seed(ctx, rec, hdr.Hash(), log)
}

// seed records the seed block's hash and the challenged segments.
func (s *Service) seed(ctx context.Context, rec ClaimRecord, seed common.Hash, log *zap.Logger) (ClaimRecord, error) {
	rate, err := s.jm.VerificationRate(s.call(ctx))
	if err != nil {
		return rec, fmt.Errorf("read verification rate: %w", err)
	}
	if !rate.IsUint64() || rate.Sign() == 0 {
		return rec, fmt.Errorf("verification rate %v out of range", rate)
	}
	if rec.ChallengeSeed != (common.Hash{}) {
		log.Warn("challenge seed changed (reorganisation); following the chain",
			zap.Stringer("was", rec.ChallengeSeed), zap.Stringer("now", seed))
	}
	rec.ChallengeSeed = seed
	rec.Challenged = ChallengedSegments(rec.ClaimBlock, rec.ChallengeSeed, rec.Start, rec.End, rate.Uint64())
	log.Info("challenged segments", zap.Uint64s("segs", rec.Challenged), zap.Uint64("end_verification_block", rec.EndVerify))
	err = s.cfg.Store.UpdateClaim(rec.Job, rec.Start, func(c *ClaimRecord) error {
		c.ClaimBlock, c.EndVerify, c.EndSlashing = rec.ClaimBlock, rec.EndVerify, rec.EndSlashing
		c.ChallengeSeed, c.Challenged = rec.ChallengeSeed, rec.Challenged
		return nil
	})
	return rec, err
}

// verifySegment submits one challenged segment unless that is done or too late, and returns
// its outcome. An error leaves the segment for the next step.
func (s *Service) verifySegment(ctx context.Context, head uint64, rec ClaimRecord, cl *Claim, seg uint64, log *zap.Logger) (string, error) {
	log = log.With(zap.Uint64("seg", seg), zap.String("stream", cl.receipts[0].StreamID))
	st, err := s.jm.SegmentStatus(s.call(ctx), u256(rec.Job), u256(rec.ClaimID), u256(seg))
	if err != nil {
		return "", fmt.Errorf("read segment %d status: %w", seg, err)
	}
	prev, seen := rec.Verified[seg]
	switch {
	case st != segmentStatusNone && seen && (prev == VerifyResultSubmitted || prev == VerifyResultAlready):
		return prev, nil
	case st != segmentStatusNone:
		s.cfg.Metrics.Verification(VerifyResultAlready)
		return VerifyResultAlready, nil
	case seen && prev == VerifyResultReverted:
		return prev, nil // it would revert again
	case seen && (prev == VerifyResultSubmitted || prev == VerifyResultAlready):
		log.Warn("a verify on chain before is not any more (reorganisation); sending it again")
	}
	if head+1 >= rec.EndVerify {
		s.cfg.Metrics.Verification(VerifyResultMissed)
		log.Error("verification period ended before the segment was submitted", zap.Uint64("end_verification_block", rec.EndVerify))
		return VerifyResultMissed, nil
	}
	if slices.Contains(rec.VerifySent, seg) {
		inFlight, err := s.inFlight(ctx)
		if err != nil {
			return "", err
		}
		if inFlight {
			log.Info("an earlier verify may still be in flight; waiting")
			return "", errInFlight
		}
	}
	r, proof, err := cl.Receipt(seg)
	if err != nil {
		return "", err
	}
	p := make([][32]byte, len(proof))
	for i := range proof {
		p[i] = proof[i]
	}
	cand, err := s.candidate(txmgr.LabelVerify, "verify", u256(rec.Job), u256(rec.ClaimID), u256(seg),
		r.DataHash, r.TranscodedDataHash, r.BroadcasterSig, p)
	if err != nil {
		return "", err
	}
	// Slash-avoiding: its own cap, and worthless once the verification period is over.
	cand.Key = fmt.Sprintf("verify/%d/%d/%d", rec.Job, rec.ClaimID, seg)
	cand.MaxGasPrice, cand.DeadlineBlock = s.cfg.VerifyMaxGasPrice, rec.EndVerify-1
	if err := s.cfg.Store.UpdateClaim(rec.Job, rec.Start, func(c *ClaimRecord) error {
		if !slices.Contains(c.VerifySent, seg) {
			c.VerifySent = append(c.VerifySent, seg)
		}
		return nil
	}); err != nil {
		return "", err
	}
	tx, err := s.cfg.Sender.Send(ctx, cand)
	switch {
	case err == nil:
		s.cfg.Metrics.Verification(VerifyResultSubmitted)
		log.Info("segment verification submitted", zap.Stringer("tx", tx.TxHash))
		return VerifyResultSubmitted, nil
	case errors.Is(err, txmgr.ErrReverted):
		s.cfg.Metrics.Verification(VerifyResultReverted)
		log.Error("verify failed", zap.Error(err))
		return VerifyResultReverted, nil
	default: // includes a refused gas estimate: retried every block until the period ends
		s.cfg.Metrics.Verification(VerifyResultError)
		return "", fmt.Errorf("send verify for segment %d: %w", seg, err)
	}
}

// distribute calls distributeFees once the slashing window is over, unless the claim was
// settled on chain already.
func (s *Service) distribute(ctx context.Context, head uint64, rec ClaimRecord) error {
	if head+1 < rec.EndSlashing+distributeBackoff*rec.DistributeReverts {
		return nil
	}
	log := s.log.With(zap.Uint64("job", rec.Job), zap.Uint64("claim", rec.ClaimID))
	c, err := s.jm.GetClaim(s.call(ctx), u256(rec.Job), u256(rec.ClaimID))
	if err != nil {
		return fmt.Errorf("read claim: %w", err)
	}
	switch c.Status {
	case claimStatusSlashed:
		log.Error("claim was slashed; no fees")
		return s.setState(rec, ClaimSlashed, common.Hash{})
	case claimStatusComplete:
		log.Info("claim fees already distributed")
		return s.setState(rec, ClaimDistributed, common.Hash{})
	}
	cand, err := s.candidate(txmgr.LabelDistributeFees, "distributeFees", u256(rec.Job), u256(rec.ClaimID))
	if err != nil {
		return err
	}
	cand.Key = distributeKey(rec)
	r, err := s.cfg.Sender.Send(ctx, cand)
	if errors.Is(err, txmgr.ErrReverted) {
		// The claim was still pending when read, so the revert came from the chain moving
		// under the send. The key's receipt stays reverted: the next try is a new send.
		log.Warn("distributeFees reverted; sending it again later", zap.Error(err), zap.Uint64("reverts", rec.DistributeReverts+1))
		if uerr := s.cfg.Store.UpdateClaim(rec.Job, rec.Start, func(c *ClaimRecord) error {
			c.DistributeReverts++
			return nil
		}); uerr != nil {
			return errors.Join(fmt.Errorf("send distributeFees: %w", err), uerr)
		}
	}
	if err != nil {
		return fmt.Errorf("send distributeFees: %w", err) // the status is read again next step
	}
	s.feesFrom(r, log)
	return s.setState(rec, ClaimDistributed, r.TxHash)
}

// distributeBackoff is how many blocks later each retry of a reverted distributeFees goes.
const distributeBackoff = 2

// distributeKey names a claim's distributeFees send; a retry after a revert is a new send.
func distributeKey(rec ClaimRecord) string {
	if rec.DistributeReverts == 0 {
		return fmt.Sprintf("distribute/%d/%d", rec.Job, rec.ClaimID)
	}
	return fmt.Sprintf("distribute/%d/%d/retry-%d", rec.Job, rec.ClaimID, rec.DistributeReverts)
}

// feesFrom counts the fees of the ClaimFeesDistributed event in r.
func (s *Service) feesFrom(r *types.Receipt, log *zap.Logger) {
	for _, l := range r.Logs {
		if l.Address != s.cfg.JobsManager {
			continue
		}
		if ev, err := s.ev.ParseClaimFeesDistributed(*l); err == nil {
			s.cfg.Metrics.FeesDistributed(ev.Fees)
			log.Info("fees distributed", zap.Stringer("fees_wei", ev.Fees), zap.Stringer("round", ev.Round), zap.Stringer("tx", r.TxHash))
		}
	}
}

func (s *Service) setState(rec ClaimRecord, st ClaimState, tx common.Hash) error {
	return s.cfg.Store.UpdateClaim(rec.Job, rec.Start, func(c *ClaimRecord) error {
		c.State = st
		if tx != (common.Hash{}) {
			c.Distributed = tx
		}
		return nil
	})
}
