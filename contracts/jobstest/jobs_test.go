package jobstest

import (
	"context"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/opkit-dev/opkit/claims"
	"github.com/opkit-dev/opkit/contracts/protocoltest"
)

// TestJobEndToEnd runs a job through its whole life: deposit, job and election, a claim of 100
// receipts, every challenged segment verified and passed by the solver, fees distributed after the
// slashing window and withdrawn by the transcoder and its delegators in feeShare proportions.
func TestJobEndToEnd(t *testing.T) {
	w := newWorld(t)
	call := w.call()

	// Only T1 fits the max price.
	jobID, job := w.newJob(price1, 150)
	if job.Transcoder != w.T1.Addr || job.PricePerSegment.Cmp(price1) != 0 || job.Profiles != uint64(len(profiles)) {
		t.Fatalf("job = %+v; want T1 at price %v with %d profiles", job, price1, len(profiles))
	}

	receipts, work := w.receipts(0, 100)
	for _, i := range []int{0, 41, 99} {
		r := receipts[i]
		seg, err := w.JobsManager.ComputeSegmentHash(call, r.StreamID, u(r.Seg), r.DataHash)
		if err != nil || common.Hash(seg) != r.SegmentHash() {
			t.Fatalf("segment hash of %d: contract %x, claims %s (%v)", r.Seg, seg, r.SegmentHash(), err)
		}
		rh, err := w.JobsManager.ComputeReceiptHash(call, r.StreamID, u(r.Seg), r.DataHash, r.TranscodedDataHash, r.BroadcasterSig)
		if err != nil || common.Hash(rh) != r.Hash() {
			t.Fatalf("receipt hash of %d: contract %x, claims %s (%v)", r.Seg, rh, r.Hash(), err)
		}
	}

	claimID, cl := w.claim(jobID, 0, 99, work.Root())
	fees := new(big.Int).Mul(big.NewInt(100*int64(len(profiles))), price1)
	if cl.Fees.Cmp(fees) != 0 {
		t.Fatalf("claim fees = %v, want 100 segments * %d profiles * %v = %v", cl.Fees, len(profiles), price1, fees)
	}
	if got, want := w.brDeposit(), new(big.Int).Sub(deposit, fees); got.Cmp(want) != 0 {
		t.Fatalf("deposit after claim = %v, want %v", got, want)
	}
	// OpenZeppelin's MerkleProof on the EVM accepts every proof of claims.Tree.
	for i, r := range receipts {
		ok, err := w.JobsManager.ReceiptInClaim(call, jobID, claimID, r.Hash(), proofOf(t, work, uint64(i)))
		if err != nil || !ok {
			t.Fatalf("receipt %d not proven in claim: %v", i, err)
		}
	}

	challenged := w.challenged(jobID, claimID, cl)
	if len(challenged) == 0 {
		t.Fatal("no segment challenged out of 100 at rate 1/4")
	}
	for _, seg := range challenged {
		req := w.verifySegment(jobID, claimID, work, seg)
		// The solver recomputes the renditions' hash and answers.
		pass := common.Hash(req.TranscodedDataHash) == receipts[seg].TranscodedDataHash && req.StreamId == streamID
		w.tx("submitResult", w.Solver, func(o *bind.TransactOpts) (*types.Transaction, error) {
			return w.Verifier.SubmitResult(o, req.RequestId, pass)
		})
		if st, err := w.JobsManager.SegmentStatus(call, jobID, claimID, u(seg)); err != nil || st != 2 {
			t.Fatalf("segment %d status = %d, %v; want Passed", seg, st, err)
		}
	}

	w.reverts("distributeFees in window", "slashing period not over", w.D1, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.JobsManager.DistributeFees(o, jobID, claimID)
	})
	w.mineTo(cl.EndSlashingBlock)
	w.tx("distributeFees", w.D1, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.JobsManager.DistributeFees(o, jobID, claimID)
	})
	w.reverts("distributeFees twice", "claim is not pending", w.D1, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.JobsManager.DistributeFees(o, jobID, claimID)
	})
	w.InitRound()

	// feeShare of the fees goes to the stake delegated to T1 (T1 100, D1 60, D2 40 LPT), the
	// rest to T1 alone.
	delegatorFees := ppmOf(fees, feeShare)
	transcoderFees := new(big.Int).Sub(fees, delegatorFees)
	share := func(lpt int64) *big.Int {
		return new(big.Int).Div(new(big.Int).Mul(delegatorFees, big.NewInt(lpt)), big.NewInt(200))
	}
	want := map[*protocoltest.Account]*big.Int{
		w.T1: new(big.Int).Add(transcoderFees, share(100)),
		w.D1: share(60),
		w.D2: share(40),
	}
	total := new(big.Int)
	for a, amount := range want {
		total.Add(total, amount)
		pending, err := w.BondingManager.PendingFees(call, a.Addr, u(w.Round()))
		if err != nil || pending.Cmp(amount) != 0 {
			t.Fatalf("pendingFees(%s) = %v, %v; want %v", a.Addr.Hex(), pending, err, amount)
		}
		to := common.BytesToAddress(a.Addr.Bytes()[:10]) // a fresh recipient, so no gas muddles the balance
		w.tx("withdrawFees", a, func(o *bind.TransactOpts) (*types.Transaction, error) {
			return w.BondingManager.WithdrawFees(o, to, amount)
		})
		if bal, err := w.Client.BalanceAt(context.Background(), to, nil); err != nil || bal.Cmp(amount) != 0 {
			t.Fatalf("recipient of %s got %v wei, %v; want %v", a.Addr.Hex(), bal, err, amount)
		}
	}
	if total.Cmp(fees) != 0 {
		t.Fatalf("withdrawn fees %v, claimed %v", total, fees)
	}

	// After the job's end the broadcaster takes back what was not spent.
	w.mineTo(job.EndBlock)
	before, _ := w.Client.BalanceAt(context.Background(), w.B.Addr, nil)
	rcpt := w.tx("withdraw", w.B, w.JobsManager.Withdraw)
	after, _ := w.Client.BalanceAt(context.Background(), w.B.Addr, nil)
	gasCost := new(big.Int).Mul(u(rcpt.GasUsed), rcpt.EffectiveGasPrice)
	got := new(big.Int).Add(new(big.Int).Sub(after, before), gasCost)
	if want := new(big.Int).Sub(deposit, fees); got.Cmp(want) != 0 {
		t.Fatalf("broadcaster withdrew %v, want %v", got, want)
	}
	w.logGas("deposit", "job", "claimWork", "verify", "submitResult", "distributeFees", "withdrawFees", "withdraw")
}

// TestElectionMatchesStakeWeight checks the contract's election against the documented rule,
// recomputed in Go, for the job it creates and for many seeds.
func TestElectionMatchesStakeWeight(t *testing.T) {
	w := newWorld(t)
	call := w.call()
	round := u(w.Round())
	active, err := w.BondingManager.GetActiveTranscoders(call, round)
	if err != nil {
		t.Fatal(err)
	}
	prices := map[common.Address]*big.Int{w.T1.Addr: price1, w.T2.Addr: price2}
	elect := func(maxPrice, seed *big.Int) common.Address {
		total := new(big.Int)
		stakes := make([]*big.Int, len(active.Transcoders))
		for i, a := range active.Transcoders {
			stakes[i] = new(big.Int)
			if p := prices[a]; p != nil && p.Cmp(maxPrice) <= 0 {
				stakes[i].Set(active.Stakes[i])
			}
			total.Add(total, stakes[i])
		}
		if total.Sign() == 0 {
			return common.Address{}
		}
		point := new(big.Int).Mod(seed, total)
		for i, a := range active.Transcoders {
			if point.Cmp(stakes[i]) < 0 {
				return a
			}
			point.Sub(point, stakes[i])
		}
		return common.Address{}
	}

	// The job's seed is keccak256(blockhash(creationBlock - 1), jobId).
	jobID, job := w.newJob(price2, 100)
	parent, err := w.Client.HeaderByNumber(context.Background(), u(job.CreationBlock-1))
	if err != nil {
		t.Fatal(err)
	}
	seed := new(big.Int).SetBytes(crypto256(parent.Hash().Bytes(), common.BigToHash(jobID).Bytes()))
	if want := elect(price2, seed); job.Transcoder != want {
		t.Fatalf("job elected %s, the documented rule elects %s", job.Transcoder.Hex(), want.Hex())
	}

	counts := map[common.Address]int{}
	for i := 0; i < 120; i++ {
		s := new(big.Int).SetBytes(crypto256([]byte{byte(i), byte(i >> 8)}))
		got, err := w.JobsManager.ElectTranscoder(call, price2, round, s)
		if err != nil {
			t.Fatal(err)
		}
		if want := elect(price2, s); got.Transcoder != want || got.Price.Cmp(prices[want]) != 0 {
			t.Fatalf("seed %d: contract elects %s at %v, rule elects %s", i, got.Transcoder.Hex(), got.Price, want.Hex())
		}
		counts[got.Transcoder]++
	}
	// T1 has 200 of 250 LPT: 4 in 5 jobs, well within these bounds for 120 seeds.
	if counts[w.T1.Addr] < 80 || counts[w.T2.Addr] < 10 {
		t.Fatalf("election counts %v; want about 96 T1 and 24 T2", counts)
	}
	if got, err := w.JobsManager.ElectTranscoder(call, big.NewInt(1), round, big.NewInt(7)); err != nil || got.Transcoder != (common.Address{}) {
		t.Fatalf("election below every price = %v, %v; want none", got.Transcoder.Hex(), err)
	}
	w.reverts("job below every price", "no active transcoder at this price", w.B, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.JobsManager.Job(o, streamID, claims.TranscodingOptions(profiles...), big.NewInt(1), u(w.BlockNumber()+100))
	})
	w.reverts("job with bad options", "invalid transcoding options", w.B, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.JobsManager.Job(o, streamID, "xyz", price2, u(w.BlockNumber()+100))
	})
}

// TestPriceOnlyFallsWhileLocked checks setPricePerSegment's rules.
func TestPriceOnlyFallsWhileLocked(t *testing.T) {
	w := newWorld(t)
	w.reverts("price by a non-transcoder", "not a registered transcoder", w.D1, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.JobsManager.SetPricePerSegment(o, price1)
	})
	for {
		locked, err := w.RoundsManager.CurrentRoundLocked(w.call())
		if err != nil {
			t.Fatal(err)
		}
		if locked {
			break
		}
		w.Mine(1)
	}
	// The transaction runs in the next block: still locked unless it starts a new round.
	w.reverts("raise while locked", "price may only go down while round is locked", w.T1, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.JobsManager.SetPricePerSegment(o, new(big.Int).Add(price1, big.NewInt(1)))
	})
	lower := new(big.Int).Sub(price1, big.NewInt(1))
	w.tx("lower while locked", w.T1, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.JobsManager.SetPricePerSegment(o, lower)
	})
	if p, err := w.JobsManager.TranscoderPricePerSegment(w.call(), w.T1.Addr); err != nil || p.Cmp(lower) != 0 {
		t.Fatalf("price = %v, %v; want %v", p, err, lower)
	}
}
