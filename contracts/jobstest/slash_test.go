package jobstest

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/opkit-dev/opkit/claims"
	"github.com/opkit-dev/opkit/contracts/protocoltest"
)

const (
	claimPending  = 0
	claimSlashed  = 1
	segmentFailed = 3
)

// slashCheck records the balances a slash moves, to compare after it.
type slashCheck struct {
	w                                *world
	bonded, finderLPT, supply, depos *big.Int
}

func (w *world) beforeSlash(finder *protocoltest.Account) slashCheck {
	w.t.Helper()
	return slashCheck{w: w, bonded: w.bonded(w.T1), finderLPT: w.BalanceOf(finder.Addr),
		supply: w.Big("totalSupply", w.Token.TotalSupply), depos: w.brDeposit()}
}

// expect checks that T1 lost slashPPM of its bond, finder got finderFee of that, the rest was
// burned, and the claim's fees went back to the broadcaster.
func (s slashCheck) expect(finder *protocoltest.Account, slashPPM uint64, finderPaid bool, refund *big.Int) {
	w := s.w
	w.t.Helper()
	penalty := ppmOf(s.bonded, slashPPM)
	reward := new(big.Int)
	if finderPaid {
		reward = ppmOf(penalty, w.Params.FinderFee)
	}
	if got, want := w.bonded(w.T1), new(big.Int).Sub(s.bonded, penalty); got.Cmp(want) != 0 {
		w.t.Fatalf("T1 bond after slash = %v, want %v (penalty %v)", got, want, penalty)
	}
	if got, want := w.BalanceOf(finder.Addr), new(big.Int).Add(s.finderLPT, reward); got.Cmp(want) != 0 {
		w.t.Fatalf("finder LPT = %v, want %v", got, want)
	}
	burned := new(big.Int).Sub(penalty, reward)
	if got, want := w.Big("totalSupply", w.Token.TotalSupply), new(big.Int).Sub(s.supply, burned); got.Cmp(want) != 0 {
		w.t.Fatalf("total supply = %v, want %v (burned %v)", got, want, burned)
	}
	if got, want := w.brDeposit(), new(big.Int).Add(s.depos, refund); got.Cmp(want) != 0 {
		w.t.Fatalf("broadcaster deposit = %v, want %v", got, want)
	}
}

func (w *world) claimStatus(jobID, claimID *big.Int) uint8 {
	w.t.Helper()
	cl, err := w.JobsManager.GetClaim(w.call(), jobID, claimID)
	if err != nil {
		w.t.Fatal(err)
	}
	return cl.Status
}

// unchallenged returns a segment of [0, n) not in challenged.
func unchallenged(t *testing.T, challenged []uint64, n uint64) uint64 {
	t.Helper()
	in := map[uint64]bool{}
	for _, s := range challenged {
		in[s] = true
	}
	for s := uint64(0); s < n; s++ {
		if !in[s] {
			return s
		}
	}
	t.Fatal("every segment challenged")
	return 0
}

func TestMissedVerificationSlash(t *testing.T) {
	w := newWorld(t)
	jobID, _ := w.newJob(price1, 150)
	receipts, work := w.receipts(0, 100)
	claimID, cl := w.claim(jobID, 0, 99, work.Root())
	challenged := w.challenged(jobID, claimID, cl)
	if len(challenged) < 2 {
		t.Fatalf("only %d segments challenged", len(challenged))
	}
	verified, missed := challenged[0], challenged[1]
	req := w.verifySegment(jobID, claimID, work, verified)
	w.tx("submitResult", w.Solver, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.Verifier.SubmitResult(o, req.RequestId, true)
	})

	slash := func(seg uint64) func(*bind.TransactOpts) (*types.Transaction, error) {
		return func(o *bind.TransactOpts) (*types.Transaction, error) {
			return w.JobsManager.MissedVerificationSlash(o, jobID, claimID, u(seg))
		}
	}
	w.reverts("slash in verification period", "verification period not over", w.Fnd, slash(missed))
	w.mineTo(cl.EndVerificationBlock)
	w.reverts("verify after its window", "verification period over", w.T1, func(o *bind.TransactOpts) (*types.Transaction, error) {
		r := receipts[missed]
		return w.JobsManager.Verify(o, jobID, claimID, u(missed), r.DataHash, r.TranscodedDataHash, r.BroadcasterSig, proofOf(t, work, missed))
	})
	w.reverts("slash unchallenged", "segment not challenged", w.Fnd, slash(unchallenged(t, challenged, 100)))
	w.reverts("slash verified", "segment was submitted", w.Fnd, slash(verified))
	w.reverts("slash outside claim", "segment not in claim", w.Fnd, slash(100))

	check := w.beforeSlash(w.Fnd)
	rcpt := w.tx("missedVerificationSlash", w.Fnd, slash(missed))
	check.expect(w.Fnd, w.Params.MissedVerificationSlashAmount, true, cl.Fees)
	expectSlashEvent(t, w, rcpt, 0, w.Fnd.Addr)
	if st := w.claimStatus(jobID, claimID); st != claimSlashed {
		t.Fatalf("claim status = %d, want Slashed", st)
	}
	w.reverts("slash the claim twice", "claim is not pending", w.Fnd, slash(challenged[len(challenged)-1]))
	w.mineTo(cl.EndSlashingBlock)
	w.reverts("distribute a slashed claim", "claim is not pending", w.D1, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.JobsManager.DistributeFees(o, jobID, claimID)
	})
	w.logGas("missedVerificationSlash")
}

func TestMissedVerificationSlashWindowEnds(t *testing.T) {
	w := newWorld(t)
	jobID, _ := w.newJob(price1, 150)
	_, work := w.receipts(0, 40)
	claimID, cl := w.claim(jobID, 0, 39, work.Root())
	challenged := w.challenged(jobID, claimID, cl)
	if len(challenged) == 0 {
		t.Fatal("no segment challenged")
	}
	w.mineTo(cl.EndSlashingBlock)
	w.reverts("slash after the slashing period", "slashing period over", w.Fnd, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.JobsManager.MissedVerificationSlash(o, jobID, claimID, u(challenged[0]))
	})
}

func TestDoubleClaimSegmentSlash(t *testing.T) {
	w := newWorld(t)
	jobID, _ := w.newJob(price1, 150)
	_, workA := w.receipts(0, 10)
	_, workB := w.receipts(5, 10)
	claim1, _ := w.claim(jobID, 0, 9, workA.Root())
	claim2, cl2 := w.claim(jobID, 5, 14, workB.Root())

	slash := func(c1, c2 *big.Int, seg uint64) func(*bind.TransactOpts) (*types.Transaction, error) {
		return func(o *bind.TransactOpts) (*types.Transaction, error) {
			return w.JobsManager.DoubleClaimSegmentSlash(o, jobID, c1, c2, u(seg))
		}
	}
	w.reverts("same claim twice", "claims must differ", w.Fnd, slash(claim1, claim1, 5))
	w.reverts("segment in one claim only", "segment not in both claims", w.Fnd, slash(claim1, claim2, 2))
	w.reverts("segment in neither claim", "segment not in both claims", w.Fnd, slash(claim1, claim2, 20))
	w.reverts("no such claim", "no such claim", w.Fnd, slash(claim1, big.NewInt(7), 5))

	check := w.beforeSlash(w.Fnd)
	rcpt := w.tx("doubleClaimSegmentSlash", w.Fnd, slash(claim1, claim2, 7))
	check.expect(w.Fnd, w.Params.DoubleClaimSegmentSlashAmount, true, cl2.Fees)
	expectSlashEvent(t, w, rcpt, 1, w.Fnd.Addr)
	if st := w.claimStatus(jobID, claim2); st != claimSlashed {
		t.Fatalf("second claim status = %d, want Slashed", st)
	}
	if st := w.claimStatus(jobID, claim1); st != claimPending {
		t.Fatalf("first claim status = %d, want Pending", st)
	}
	w.reverts("slash the second claim again", "second claim is not pending", w.Fnd, slash(claim1, claim2, 8))
	w.reverts("slash back with the slashed claim", "first claim already slashed", w.Fnd, slash(claim2, claim1, 8))
	w.logGas("doubleClaimSegmentSlash")
}

func TestFailedVerificationSlash(t *testing.T) {
	w := newWorld(t)
	jobID, _ := w.newJob(price1, 150)
	receipts, work := w.receipts(0, 100)
	claimID, cl := w.claim(jobID, 0, 99, work.Root())
	challenged := w.challenged(jobID, claimID, cl)
	if len(challenged) < 2 {
		t.Fatalf("only %d segments challenged", len(challenged))
	}
	seg := challenged[0]
	req := w.verifySegment(jobID, claimID, work, seg)

	answer := func(pass bool) func(*bind.TransactOpts) (*types.Transaction, error) {
		return func(o *bind.TransactOpts) (*types.Transaction, error) {
			return w.Verifier.SubmitResult(o, req.RequestId, pass)
		}
	}
	w.reverts("answer by a stranger", "caller is not a trusted solver", w.T1, answer(true))
	w.reverts("receiveVerification by a stranger", "caller must be Verifier", w.T1, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.JobsManager.ReceiveVerification(o, jobID, claimID, u(seg), true)
	})

	check := w.beforeSlash(w.Solver)
	rcpt := w.tx("submitResult (fail)", w.Solver, answer(false))
	check.expect(w.Solver, w.Params.FailedVerificationSlashAmount, false, cl.Fees)
	expectSlashEvent(t, w, rcpt, 2, common.Address{})
	if st, err := w.JobsManager.SegmentStatus(w.call(), jobID, claimID, u(seg)); err != nil || st != segmentFailed {
		t.Fatalf("segment status = %d, %v; want Failed", st, err)
	}
	if st := w.claimStatus(jobID, claimID); st != claimSlashed {
		t.Fatalf("claim status = %d, want Slashed", st)
	}
	w.reverts("answer twice", "request already answered", w.Solver, answer(true))
	next := challenged[1]
	w.reverts("verify on a slashed claim", "claim is not pending", w.T1, func(o *bind.TransactOpts) (*types.Transaction, error) {
		r := receipts[next]
		return w.JobsManager.Verify(o, jobID, claimID, u(next), r.DataHash, r.TranscodedDataHash, r.BroadcasterSig, proofOf(t, work, next))
	})
}

// TestVerifyRejects checks every reason verify() refuses a submission.
func TestVerifyRejects(t *testing.T) {
	w := newWorld(t)
	jobID, _ := w.newJob(price1, 150)
	receipts, work := w.receipts(0, 100)
	claimID, cl := w.claim(jobID, 0, 99, work.Root())

	verify := func(seg uint64, r claims.Receipt, proof [][32]byte) func(*bind.TransactOpts) (*types.Transaction, error) {
		return func(o *bind.TransactOpts) (*types.Transaction, error) {
			return w.JobsManager.Verify(o, jobID, claimID, u(seg), r.DataHash, r.TranscodedDataHash, r.BroadcasterSig, proof)
		}
	}
	// The next block is the seed block itself: its hash is not known yet.
	w.reverts("verify in the seed block", "challenge seed not mined yet", w.T1, verify(0, receipts[0], proofOf(t, work, 0)))

	challenged := w.challenged(jobID, claimID, cl)
	s := challenged[0]
	good := receipts[s]
	proof := proofOf(t, work, s)
	other := unchallenged(t, challenged, 100)

	stranger, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	forged := good
	forged.BroadcasterSig, err = claims.SignSegment(stranger, good.SegmentHash())
	if err != nil {
		t.Fatal(err)
	}
	short := good
	short.BroadcasterSig = good.BroadcasterSig[:64]
	tampered := good
	tampered.TranscodedDataHash = crypto.Keccak256Hash([]byte("other renditions"))

	w.reverts("verify by a stranger", "caller is not the job's transcoder", w.D1, verify(s, good, proof))
	w.reverts("unchallenged segment", "segment not challenged", w.T1, verify(other, receipts[other], proofOf(t, work, other)))
	w.reverts("proof of another leaf", "receipt not in claim", w.T1, verify(s, good, proofOf(t, work, other)))
	w.reverts("other transcoded data", "receipt not in claim", w.T1, verify(s, tampered, proof))
	w.reverts("signature by a stranger", "invalid broadcaster signature", w.T1, verify(s, forged, proof))
	w.reverts("64-byte signature", "invalid broadcaster signature", w.T1, verify(s, short, proof))
	w.reverts("segment outside claim", "segment not in claim", w.T1, verify(100, good, proof))
	w.tx("verify", w.T1, verify(s, good, proof))
	w.reverts("verify twice", "segment already submitted", w.T1, verify(s, good, proof))
}

// TestDistributeFeesAfterResign checks that a transcoder that resigned after its claim still gets
// the claim's fees, and its delegators their feeShare.
func TestDistributeFeesAfterResign(t *testing.T) {
	w := newWorld(t)
	jobID, _ := w.newJob(price1, 150)
	_, work := w.receipts(0, 8)
	claimID, cl := w.claim(jobID, 0, 7, work.Root())
	for _, seg := range w.challenged(jobID, claimID, cl) {
		req := w.verifySegment(jobID, claimID, work, seg)
		w.tx("submitResult", w.Solver, func(o *bind.TransactOpts) (*types.Transaction, error) {
			return w.Verifier.SubmitResult(o, req.RequestId, true)
		})
	}
	w.tx("unbond all", w.T1, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.BondingManager.Unbond(o, w.bonded(w.T1))
	})
	if reg, err := w.BondingManager.IsRegisteredTranscoder(w.call(), w.T1.Addr); err != nil || reg {
		t.Fatalf("T1 registered = %v, %v after unbonding everything; want resigned", reg, err)
	}
	w.mineTo(cl.EndSlashingBlock)
	w.tx("distributeFees", w.Fnd, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.JobsManager.DistributeFees(o, jobID, claimID)
	})
	round := u(w.Round())
	pending := func(a *protocoltest.Account) *big.Int {
		f, err := w.BondingManager.PendingFees(w.call(), a.Addr, round)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	delegatorFees := ppmOf(cl.Fees, feeShare)
	transcoderFees := new(big.Int).Sub(cl.Fees, delegatorFees)
	// T1 has no bond left, so the delegator share goes to D1 (60 LPT) and D2 (40 LPT).
	want := map[*protocoltest.Account]*big.Int{
		w.T1: transcoderFees,
		w.D1: new(big.Int).Div(new(big.Int).Mul(delegatorFees, big.NewInt(60)), big.NewInt(100)),
		w.D2: new(big.Int).Div(new(big.Int).Mul(delegatorFees, big.NewInt(40)), big.NewInt(100)),
	}
	for a, amount := range want {
		if got := pending(a); got.Cmp(amount) != 0 {
			t.Fatalf("pendingFees(%s) = %v, want %v", a.Addr.Hex(), got, amount)
		}
	}
}

func expectSlashEvent(t *testing.T, w *world, rcpt *types.Receipt, reason uint8, finder common.Address) {
	t.Helper()
	for _, l := range rcpt.Logs {
		if l.Address != w.Addr.JobsManager {
			continue
		}
		if ev, err := w.JobsManager.ParseClaimSlashed(*l); err == nil {
			if ev.Reason != reason || ev.Finder != finder || ev.Transcoder != w.T1.Addr {
				t.Fatalf("ClaimSlashed = reason %d finder %s transcoder %s; want reason %d finder %s transcoder T1",
					ev.Reason, ev.Finder.Hex(), ev.Transcoder.Hex(), reason, finder.Hex())
			}
			return
		}
	}
	t.Fatal("no ClaimSlashed event")
}
