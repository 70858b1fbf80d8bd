package claims_test

import (
	"slices"
	"testing"
	"time"

	"github.com/opkit-dev/opkit/claims"
)

// TestServiceFollowsReorgedChallengeSeed: the service has computed the
// challenged segments from the seed block and started verifying them when a
// reorganisation replaces the seed block, and with it the challenge set.
// The service must follow the chain: every segment the new seed challenges
// is verified before endVerificationBlock, so no missed-verification slash
// is possible.
func TestServiceFollowsReorgedChallengeSeed(t *testing.T) {
	w := newWorld(t)
	store := w.openStore(w.storePath(), nil)
	t.Cleanup(func() { _ = store.Close() })
	w.putReceipts(store, 0, 40)
	svc := w.service(store, w.txm(), nil, func(c *claims.Config) { c.MaxSegments = 40 })
	if _, err := svc.Step(w.ctx); err != nil {
		t.Fatal(err)
	}
	c := w.claimsOf(store)[0]
	w.mineTo(claims.SeedBlock(c.ClaimBlock) + 1)
	if _, err := svc.Step(w.ctx); err != nil {
		t.Fatal(err)
	}
	first := w.claimsOf(store)[0].Challenged
	rate, err := w.jm.VerificationRate(w.call())
	if err != nil {
		t.Fatal(err)
	}
	claimHdr, err := w.rpc.HeaderByNumber(w.ctx, u(c.ClaimBlock))
	if err != nil {
		t.Fatal(err)
	}
	var second []uint64
	for shift := 1; ; shift++ {
		if err := w.dn.Reorg(claimHdr.Hash(), time.Duration(shift)*time.Second); err != nil {
			t.Fatal(err)
		}
		seed, err := w.rpc.HeaderByNumber(w.ctx, u(claims.SeedBlock(c.ClaimBlock)))
		if err != nil {
			t.Fatal(err)
		}
		second = claims.ChallengedSegments(c.ClaimBlock, seed.Hash(), c.Start, c.End, rate.Uint64())
		if len(second) > 0 && !slices.Equal(first, second) {
			break
		}
		if shift == 20 {
			t.Fatal("no reorganised seed gave another challenge set")
		}
	}
	t.Logf("challenged before the reorg %v, after %v", first, second)
	for !w.allSubmitted(c.ClaimID, second) {
		if w.head()+2 >= c.EndVerify {
			t.Fatalf("segments %v, challenged by the canonical seed, not all verified before block %d", second, c.EndVerify)
		}
		if _, err := svc.Step(w.ctx); err != nil {
			t.Logf("step: %v", err)
		}
		w.dn.Mine(1)
	}
	if got := w.claimsOf(store)[0].Challenged; !slices.Equal(got, second) {
		t.Fatalf("recorded challenge set %v, want the canonical %v", got, second)
	}
}

// allSubmitted reports whether every one of segs has a verify() on chain.
func (w *world) allSubmitted(claim uint64, segs []uint64) bool {
	w.t.Helper()
	for _, seg := range segs {
		st, err := w.jm.SegmentStatus(w.call(), u(w.job), u(claim), u(seg))
		if err != nil {
			w.t.Fatal(err)
		}
		if st == 0 {
			return false
		}
	}
	return true
}
