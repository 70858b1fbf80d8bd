package jobstest

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/opkit-dev/opkit/claims"
	"github.com/opkit-dev/opkit/contracts/bindings"
	"github.com/opkit-dev/opkit/contracts/deploy"
	"github.com/opkit-dev/opkit/contracts/protocoltest"
)

const (
	roundLength = 50
	rewardCut   = 100_000 // ppm
	feeShare    = 400_000 // ppm of fees to delegators
	streamID    = "stream-e2e"
)

var (
	price1   = big.NewInt(1e12) // T1's price per segment and profile, wei
	price2   = big.NewInt(3e12) // T2's
	deposit  = big.NewInt(1e18)
	profiles = []string{"P720p30fps16x9", "P360p30fps16x9", "P240p30fps16x9"}
)

// world is a deployed protocol with two registered, active transcoders (T1: 100 LPT self-bond plus
// D1's 60 and D2's 40; T2: 50 LPT self-bond), a funded broadcaster B and a trusted solver.
type world struct {
	*protocoltest.Chain
	t                              *testing.T
	T1, T2, D1, D2, B, Solver, Fnd *protocoltest.Account
	gas                            map[string][]uint64
}

func newWorld(t *testing.T) *world {
	t.Helper()
	c := protocoltest.New(t, deploy.DevnetParams(roundLength), 7, deploy.LPT(1000))
	a := c.Accounts
	w := &world{Chain: c, t: t, T1: a[0], T2: a[1], D1: a[2], D2: a[3], B: a[4], Solver: a[5], Fnd: a[6],
		gas: map[string][]uint64{}}
	c.InitRound()
	w.bond(w.T1, 100, w.T1)
	w.bond(w.T2, 50, w.T2)
	w.registerTranscoder(w.T1)
	w.registerTranscoder(w.T2)
	w.bond(w.D1, 60, w.T1)
	w.bond(w.D2, 40, w.T1)
	c.InitRound()
	w.tx("setPricePerSegment T1", w.T1, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return c.JobsManager.SetPricePerSegment(o, price1)
	})
	w.tx("setPricePerSegment T2", w.T2, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return c.JobsManager.SetPricePerSegment(o, price2)
	})
	w.tx("setSolver", c.Deployer, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return c.Verifier.SetSolver(o, w.Solver.Addr, true)
	})
	w.tx("deposit", w.B, func(o *bind.TransactOpts) (*types.Transaction, error) {
		o.Value = deposit
		return c.JobsManager.Deposit(o)
	})
	return w
}

func (w *world) bond(a *protocoltest.Account, lpt int64, to *protocoltest.Account) {
	w.t.Helper()
	amt := deploy.LPT(lpt)
	w.tx("approve", a, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.Token.Approve(o, w.Addr.BondingManager, amt)
	})
	w.tx("bond", a, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.BondingManager.Bond(o, amt, to.Addr)
	})
}

func (w *world) registerTranscoder(a *protocoltest.Account) {
	w.t.Helper()
	w.tx("transcoder", a, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.BondingManager.Transcoder(o, big.NewInt(rewardCut), big.NewInt(feeShare))
	})
}

// tx sends a transaction that must succeed and records its gas under what.
func (w *world) tx(what string, a *protocoltest.Account, send func(*bind.TransactOpts) (*types.Transaction, error)) *types.Receipt {
	w.t.Helper()
	rcpt := w.MustTx(what, a, send)
	w.gas[what] = append(w.gas[what], rcpt.GasUsed)
	return rcpt
}

// reverts checks that a transaction is refused with reason.
func (w *world) reverts(what, reason string, a *protocoltest.Account, send func(*bind.TransactOpts) (*types.Transaction, error)) {
	w.t.Helper()
	_, err := w.Tx(a, send)
	if !errors.Is(err, protocoltest.ErrReverted) {
		w.t.Fatalf("%s: err = %v, want a revert with %q", what, err, reason)
	}
	if !strings.Contains(err.Error(), reason) {
		w.t.Fatalf("%s: reverted with %v, want reason %q", what, err, reason)
	}
}

func (w *world) call() *bind.CallOpts { return w.Call() }

// newJob creates a job from B and returns its id and state.
func (w *world) newJob(maxPrice *big.Int, blocks uint64) (*big.Int, bindings.JobsManagerJob) {
	w.t.Helper()
	end := new(big.Int).SetUint64(w.BlockNumber() + blocks)
	rcpt := w.tx("job", w.B, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.JobsManager.Job(o, streamID, claims.TranscodingOptions(profiles...), maxPrice, end)
	})
	var id *big.Int
	for _, l := range rcpt.Logs {
		if ev, err := w.JobsManager.ParseNewJob(*l); err == nil {
			id = ev.JobId
		}
	}
	if id == nil {
		w.t.Fatal("job: no NewJob event")
	}
	j, err := w.JobsManager.GetJob(w.call(), id)
	if err != nil {
		w.t.Fatal(err)
	}
	return id, j
}

// claim sends claimWork for [start, end] with root and returns the claim id and its state.
func (w *world) claim(jobID *big.Int, start, end uint64, root common.Hash) (*big.Int, bindings.JobsManagerClaim) {
	w.t.Helper()
	rcpt := w.tx("claimWork", w.T1, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.JobsManager.ClaimWork(o, jobID, [2]*big.Int{u(start), u(end)}, root)
	})
	var id *big.Int
	for _, l := range rcpt.Logs {
		if ev, err := w.JobsManager.ParseWorkClaimed(*l); err == nil {
			id = ev.ClaimId
		}
	}
	if id == nil {
		w.t.Fatal("claimWork: no WorkClaimed event")
	}
	cl, err := w.JobsManager.GetClaim(w.call(), jobID, id)
	if err != nil {
		w.t.Fatal(err)
	}
	return id, cl
}

// receipts returns n receipts for segments first.. of streamID, signed by B, as the transcoder
// keeps them, and the claim over them.
func (w *world) receipts(first uint64, n int) ([]claims.Receipt, *claims.Claim) {
	w.t.Helper()
	out := make([]claims.Receipt, n)
	for i := range out {
		seg := first + uint64(i)
		data := []byte(fmt.Sprintf("source segment %d", seg))
		renditions := make([][]byte, len(profiles))
		for k, p := range profiles {
			h := sha256.Sum256([]byte(fmt.Sprintf("%s rendition %s of segment %d", streamID, p, seg)))
			renditions[k] = h[:]
		}
		r := claims.Receipt{StreamID: streamID, Seg: seg, DataHash: crypto.Keccak256Hash(data),
			TranscodedDataHash: claims.TranscodedDataHash(renditions...)}
		sig, err := claims.SignSegment(w.B.Key, r.SegmentHash())
		if err != nil {
			w.t.Fatal(err)
		}
		r.BroadcasterSig = sig
		out[i] = r
	}
	work, err := claims.NewClaim(out)
	if err != nil {
		w.t.Fatal(err)
	}
	return out, work
}

// challenged mines the claim's seed block if needed and returns the challenged segments of
// [start, end] by the Go rule, after checking each segment against the contract's rule.
func (w *world) challenged(jobID, claimID *big.Int, cl bindings.JobsManagerClaim) []uint64 {
	w.t.Helper()
	claimBlock := cl.ClaimBlock
	if w.BlockNumber() <= claims.SeedBlock(claimBlock) {
		w.Mine(claims.SeedBlock(claimBlock) + 1 - w.BlockNumber())
	}
	hdr, err := w.Client.HeaderByNumber(context.Background(), u(claims.SeedBlock(claimBlock)))
	if err != nil {
		w.t.Fatal(err)
	}
	rate := w.Params.VerificationRate
	start, end := cl.SegmentStart, cl.SegmentEnd
	for s := start; s <= end; s++ {
		onChain, err := w.JobsManager.IsSegmentChallenged(w.call(), jobID, claimID, u(s))
		if err != nil {
			w.t.Fatal(err)
		}
		if got := claims.IsChallenged(claimBlock, hdr.Hash(), s, rate); got != onChain {
			w.t.Fatalf("segment %d: Go challenge rule says %v, contract says %v", s, got, onChain)
		}
	}
	return claims.ChallengedSegments(claimBlock, hdr.Hash(), start, end, rate)
}

// verifySegment submits segment seg of work with its proof and returns the Verifier's request.
func (w *world) verifySegment(jobID, claimID *big.Int, work *claims.Claim, seg uint64) *bindings.VerifierVerificationRequested {
	w.t.Helper()
	r, _, err := work.Receipt(seg)
	if err != nil {
		w.t.Fatal(err)
	}
	rcpt := w.tx("verify", w.T1, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.JobsManager.Verify(o, jobID, claimID, u(r.Seg), r.DataHash, r.TranscodedDataHash, r.BroadcasterSig, proofOf(w.t, work, seg))
	})
	for _, l := range rcpt.Logs {
		if l.Address != w.Addr.Verifier {
			continue
		}
		if ev, err := w.Verifier.ParseVerificationRequested(*l); err == nil {
			return ev
		}
	}
	w.t.Fatal("verify: no VerificationRequested event")
	return nil
}

func (w *world) mineTo(block uint64) {
	if n := w.BlockNumber(); n < block {
		w.Mine(block - n)
	}
}

// logGas prints a table of the gas used per transaction kind, under the rules gasRulesEnv picks.
func (w *world) logGas(kinds ...string) {
	w.t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "\ngas used on the simulated chain, %s rules\n", gasRules())
	fmt.Fprintf(&b, "%-24s %6s %10s %10s %10s\n", "transaction", "count", "min gas", "mean gas", "max gas")
	for _, k := range kinds {
		g := append([]uint64(nil), w.gas[k]...)
		if len(g) == 0 {
			continue
		}
		sort.Slice(g, func(i, j int) bool { return g[i] < g[j] })
		var sum uint64
		for _, x := range g {
			sum += x
		}
		fmt.Fprintf(&b, "%-24s %6d %10d %10d %10d\n", k, len(g), g[0], sum/uint64(len(g)), g[len(g)-1])
	}
	w.t.Log(b.String())
}

func (w *world) bonded(a *protocoltest.Account) *big.Int {
	w.t.Helper()
	d, err := w.BondingManager.GetDelegator(w.call(), a.Addr)
	if err != nil {
		w.t.Fatal(err)
	}
	return d.BondedAmount
}

func (w *world) brDeposit() *big.Int {
	w.t.Helper()
	b, err := w.JobsManager.Broadcasters(w.call(), w.B.Addr)
	if err != nil {
		w.t.Fatal(err)
	}
	return b.Deposit
}

// proofOf is the proof of segment seg of work, as verify() takes it.
func proofOf(t *testing.T, work *claims.Claim, seg uint64) [][32]byte {
	t.Helper()
	_, p, err := work.Receipt(seg)
	if err != nil {
		t.Fatal(err)
	}
	out := make([][32]byte, len(p))
	for k := range p {
		out[k] = p[k]
	}
	return out
}

func u(n uint64) *big.Int { return new(big.Int).SetUint64(n) }

func ppmOf(x *big.Int, ppm uint64) *big.Int {
	return new(big.Int).Div(new(big.Int).Mul(x, u(ppm)), u(deploy.PPM))
}

func crypto256(parts ...[]byte) []byte { return crypto.Keccak256(parts...) }
