package jobstest

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// TestClaimWorkRejects checks every reason claimWork refuses a claim.
func TestClaimWorkRejects(t *testing.T) {
	w := newWorld(t)
	jobID, job := w.newJob(price1, 150)
	_, work := w.receipts(0, 4)
	root := work.Root()
	claim := func(start, end uint64, root common.Hash) func(*bind.TransactOpts) (*types.Transaction, error) {
		return func(o *bind.TransactOpts) (*types.Transaction, error) {
			return w.JobsManager.ClaimWork(o, jobID, [2]*big.Int{u(start), u(end)}, root)
		}
	}
	w.reverts("claim by another transcoder", "caller is not the job's transcoder", w.T2, claim(0, 3, root))
	w.reverts("reversed range", "invalid segment range", w.T1, claim(3, 0, root))
	w.reverts("zero root", "claim root is zero", w.T1, claim(0, 3, common.Hash{}))
	w.reverts("no such job", "no such job", w.T1, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.JobsManager.ClaimWork(o, big.NewInt(9), [2]*big.Int{u(0), u(3)}, root)
	})
	// 1 ETH pays for 1e18 / (3 profiles * 1e12 wei) segments, not one more.
	affordable := new(big.Int).Div(deposit, new(big.Int).Mul(big.NewInt(int64(len(profiles))), price1)).Uint64()
	w.reverts("claim above the deposit", "insufficient broadcaster deposit", w.T1, claim(0, affordable, root))
	w.reverts("broadcaster withdraws during the job", "broadcaster has active jobs", w.B, w.JobsManager.Withdraw)

	w.mineTo(job.EndBlock)
	w.reverts("claim after the job's end", "job has ended", w.T1, claim(0, 3, root))
}

// TestPausedSystem checks that the JobsManager and the Verifier stop while the Controller is paused.
func TestPausedSystem(t *testing.T) {
	w := newWorld(t)
	jobID, _ := w.newJob(price1, 150)
	_, work := w.receipts(0, 40)
	claimID, cl := w.claim(jobID, 0, 39, work.Root())
	seg := w.challenged(jobID, claimID, cl)[0]
	req := w.verifySegment(jobID, claimID, work, seg)

	w.tx("pause", w.Deployer, w.Controller.Pause)
	w.reverts("deposit while paused", "system is paused", w.B, func(o *bind.TransactOpts) (*types.Transaction, error) {
		o.Value = big.NewInt(1)
		return w.JobsManager.Deposit(o)
	})
	w.reverts("claim while paused", "system is paused", w.T1, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.JobsManager.ClaimWork(o, jobID, [2]*big.Int{u(40), u(41)}, work.Root())
	})
	w.reverts("answer while paused", "system is paused", w.Solver, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.Verifier.SubmitResult(o, req.RequestId, true)
	})
	w.tx("unpause", w.Deployer, w.Controller.Unpause)
	w.tx("submitResult", w.Solver, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.Verifier.SubmitResult(o, req.RequestId, true)
	})
	r, err := w.Verifier.GetRequest(w.call(), req.RequestId)
	if err != nil {
		t.Fatal(err)
	}
	if r.JobId != jobID.Uint64() || r.ClaimId != claimID.Uint64() || r.SegmentNumber != seg || !r.Answered || !r.Pass {
		t.Fatalf("request = %+v; want job %v claim %v segment %d answered and passed", r, jobID, claimID, seg)
	}
}
