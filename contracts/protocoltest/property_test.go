package protocoltest_test

import (
	"context"
	"fmt"
	"github.com/opkit-dev/opkit/contracts"
	"math/big"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/opkit-dev/opkit/contracts/deploy"
	"github.com/opkit-dev/opkit/contracts/protocoltest"
)

const propertyOpsPerSeed = 300

// propertySeeds is 3 by default; OPKIT_PROPERTY_SEEDS=N runs seeds 1..N.
func propertySeeds(t *testing.T) int {
	n := 3
	if v := os.Getenv("OPKIT_PROPERTY_SEEDS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			t.Fatalf("OPKIT_PROPERTY_SEEDS=%q: want a positive number of seeds", v)
		}
	}
	return n
}

// TestProtocolProperties runs seeded random sequences of protocol operations by several
// accounts across many rounds, and checks the accounting invariants after every step:
//
//   - supply:   token supply = genesis + Σ Reward amounts − Σ burned slash penalties.
//   - custody:  Minter LPT balance = Σ delegatedAmount (bonded stake incl. rewards not yet
//     claimed and rounding dust) + Σ open unbonding locks; getTotalBonded = Σ delegatedAmount.
//   - solvency: for every delegate, Σ pendingStake of its delegators ≤ its delegatedAmount, and the
//     difference is rounding dust only: every floor division loses less than 1 wei, so the dust is
//     at most 3 wei per transaction mined so far; Σ pendingFees ≤ the Minter's ETH balance =
//     deposits − withdrawals.
//   - rewards:  at most one Reward per transcoder per round; minted in a round ≤ mintable.
//   - pool:     the transcoder pool is sorted by delegated stake (non-increasing), holds
//     getTranscoderPoolSize registered transcoders and never more than its max size.
//   - no underflow: no operation reverts with an arithmetic panic (a negative stake or fee).
//
// The fee and slashing entry points are driven by a test account that the Controller owner
// registers as the JobsManager.
func TestProtocolProperties(t *testing.T) {
	for seed := 1; seed <= propertySeeds(t); seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			newPropertyRun(t, uint64(seed)).run(propertyOpsPerSeed)
		})
	}
}

type propertyRun struct {
	t   *testing.T
	c   *protocoltest.Chain
	rng *rand.Rand
	// jobs is registered as the JobsManager to credit fees and slash.
	jobs    *protocoltest.Account
	actors  []*protocoltest.Account
	minted  *big.Int
	burned  *big.Int
	ethIn   *big.Int
	ethOut  *big.Int
	rewards map[string]int
	maxDust *big.Int
	txs     int64             // successful transactions so far
	ops     map[string][2]int // op -> succeeded, reverted
}

func newPropertyRun(t *testing.T, seed uint64) *propertyRun {
	p := deploy.DevnetParams(20)
	p.NumTranscoders, p.NumActiveTranscoders = 3, 2
	c := protocoltest.New(t, p, 7, deploy.LPT(1000))
	r := &propertyRun{
		t: t, c: c, rng: rand.New(rand.NewPCG(seed, 0x6f706b6974)),
		jobs: c.Accounts[6], actors: c.Accounts[:6],
		minted: new(big.Int), burned: new(big.Int), ethIn: new(big.Int), ethOut: new(big.Int),
		rewards: map[string]int{}, maxDust: new(big.Int), ops: map[string][2]int{},
	}
	c.MustTx("register test JobsManager", c.Deployer, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return c.Controller.SetContractInfo(o, contracts.ContractID(contracts.NameJobsManager), r.jobs.Addr, [20]byte{})
	})
	for _, a := range r.actors {
		c.MustTx("approve", a, func(o *bind.TransactOpts) (*types.Transaction, error) {
			return c.Token.Approve(o, c.Addr.BondingManager, deploy.LPT(1_000_000))
		})
	}
	c.InitRound()
	// Start from a working network: three self-bonded transcoders and three delegators.
	for i, a := range r.actors {
		to := a
		if i >= 3 {
			to = r.transcoderCandidate()
		}
		c.MustTx("bond", a, func(o *bind.TransactOpts) (*types.Transaction, error) {
			return c.BondingManager.Bond(o, deploy.LPT(int64(100+50*i)), to.Addr)
		})
	}
	c.InitRound()
	for _, a := range r.actors[:3] {
		if _, err := r.opTranscoder(a); err != nil {
			t.Fatalf("register transcoder: %v", err)
		}
	}
	c.InitRound()
	return r
}

func (r *propertyRun) run(n int) {
	ops := []struct {
		name   string
		weight int
		do     func() (string, error)
	}{
		{"bond", 20, r.opBond},
		{"transcoder", 6, func() (string, error) { return r.opTranscoder(r.transcoderCandidate()) }},
		{"unbond", 8, r.opUnbond},
		{"rebond", 4, r.opRebond},
		{"rebondFromUnbonded", 3, r.opRebondFromUnbonded},
		{"withdrawStake", 5, r.opWithdrawStake},
		{"reward", 14, r.opReward},
		{"claimEarnings", 6, r.opClaim},
		{"initializeRound", 10, r.opInitializeRound},
		{"mine", 6, r.opMine},
		{"fees", 6, r.opFees},
		{"withdrawFees", 4, r.opWithdrawFees},
		{"slash", 1, r.opSlash},
	}
	total := 0
	for _, o := range ops {
		total += o.weight
	}
	for step := range n {
		pick := r.rng.IntN(total)
		for _, o := range ops {
			if pick -= o.weight; pick >= 0 {
				continue
			}
			what, err := o.do()
			if err != nil && isPanic(err) {
				r.t.Fatalf("step %d %s: arithmetic panic: %v", step, what, err)
			}
			counts := r.ops[o.name]
			if err == nil {
				counts[0]++
			} else {
				counts[1]++
			}
			r.ops[o.name] = counts
			r.check(fmt.Sprintf("step %d (round %d) after %s", step, r.c.Round(), what))
			break
		}
	}
	r.t.Logf("ops (ok/reverted): %v; rounds: %d; minted %v, burned %v; max dust %v wei",
		r.ops, r.c.Round(), r.minted, r.burned, r.maxDust)
}

func isPanic(err error) bool {
	s := err.Error()
	for _, p := range []string{"overflow", "underflow", "division or modulo by zero", "out-of-bounds", "Panic"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

func (r *propertyRun) actor() *protocoltest.Account { return r.actors[r.rng.IntN(len(r.actors))] }

// transcoderCandidate is one of the first three actors, who register as transcoders.
func (r *propertyRun) transcoderCandidate() *protocoltest.Account { return r.actors[r.rng.IntN(3)] }

// lpt returns a random amount in [0, maxLPT) LPT with micro-LPT granularity plus random wei.
func (r *propertyRun) lpt(maxLPT int64) *big.Int {
	v := mulDiv(deploy.LPT(maxLPT), big.NewInt(r.rng.Int64N(deploy.PPM)), ppm)
	return v.Add(v, big.NewInt(r.rng.Int64N(1000)))
}

// fraction returns a random amount in [1, v], v > 0.
func (r *propertyRun) fraction(v *big.Int) *big.Int {
	if r.rng.IntN(4) == 0 {
		return new(big.Int).Set(v)
	}
	f := mulDiv(v, big.NewInt(r.rng.Int64N(deploy.PPM)), ppm)
	if f.Sign() == 0 {
		f.SetInt64(1)
	}
	return f
}

func (r *propertyRun) tx(a *protocoltest.Account, send func(*bind.TransactOpts) (*types.Transaction, error)) (*types.Receipt, error) {
	rcpt, err := r.c.Tx(a, send)
	if err == nil {
		r.txs++
		r.scanLogs(rcpt)
	}
	return rcpt, err
}

func (r *propertyRun) scanLogs(rcpt *types.Receipt) {
	for _, l := range rcpt.Logs {
		if ev, err := r.c.BondingManager.ParseReward(*l); err == nil {
			key := fmt.Sprintf("%s@%d", ev.Transcoder.Hex(), r.c.Round())
			if r.rewards[key]++; r.rewards[key] > 1 {
				r.t.Fatalf("second Reward for %s", key)
			}
			r.minted.Add(r.minted, ev.Amount)
		}
		if ev, err := r.c.BondingManager.ParseTranscoderSlashed(*l); err == nil {
			r.burned.Add(r.burned, new(big.Int).Sub(ev.Penalty, ev.FinderReward))
		}
	}
}

func (r *propertyRun) opBond() (string, error) {
	a, to := r.actor(), r.transcoderCandidate()
	if r.rng.IntN(3) == 0 {
		to = a
	}
	amount := r.lpt(100)
	if r.rng.IntN(10) == 0 {
		amount.SetInt64(0) // move the bond
	}
	return fmt.Sprintf("bond(%v, %s) by %s", amount, short(to.Addr), short(a.Addr)),
		r.tx1(a, func(o *bind.TransactOpts) (*types.Transaction, error) {
			return r.c.BondingManager.Bond(o, amount, to.Addr)
		})
}

func (r *propertyRun) opTranscoder(a *protocoltest.Account) (string, error) {
	cut, share := big.NewInt(r.rng.Int64N(deploy.PPM+1)), big.NewInt(r.rng.Int64N(deploy.PPM+1))
	return fmt.Sprintf("transcoder(%v, %v) by %s", cut, share, short(a.Addr)),
		r.tx1(a, func(o *bind.TransactOpts) (*types.Transaction, error) {
			return r.c.BondingManager.Transcoder(o, cut, share)
		})
}

func (r *propertyRun) opUnbond() (string, error) {
	a := r.actor()
	pending := r.pendingStake(a.Addr)
	amount := big.NewInt(1)
	if pending.Sign() > 0 {
		amount = r.fraction(pending)
	}
	return fmt.Sprintf("unbond(%v) by %s", amount, short(a.Addr)),
		r.tx1(a, func(o *bind.TransactOpts) (*types.Transaction, error) { return r.c.BondingManager.Unbond(o, amount) })
}

func (r *propertyRun) randomLock(a *protocoltest.Account) *big.Int {
	next := r.c.Delegator(a.Addr).NextUnbondingLockId.Int64()
	return big.NewInt(r.rng.Int64N(next + 1))
}

func (r *propertyRun) opRebond() (string, error) {
	a := r.actor()
	id := r.randomLock(a)
	return fmt.Sprintf("rebond(%v) by %s", id, short(a.Addr)),
		r.tx1(a, func(o *bind.TransactOpts) (*types.Transaction, error) { return r.c.BondingManager.Rebond(o, id) })
}

func (r *propertyRun) opRebondFromUnbonded() (string, error) {
	a, to := r.actor(), r.transcoderCandidate()
	id := r.randomLock(a)
	return fmt.Sprintf("rebondFromUnbonded(%s, %v) by %s", short(to.Addr), id, short(a.Addr)),
		r.tx1(a, func(o *bind.TransactOpts) (*types.Transaction, error) {
			return r.c.BondingManager.RebondFromUnbonded(o, to.Addr, id)
		})
}

func (r *propertyRun) opWithdrawStake() (string, error) {
	a := r.actor()
	id := r.randomLock(a)
	return fmt.Sprintf("withdrawStake(%v) by %s", id, short(a.Addr)),
		r.tx1(a, func(o *bind.TransactOpts) (*types.Transaction, error) { return r.c.BondingManager.WithdrawStake(o, id) })
}

// opReward calls reward(), or rewardWithHint with hints that may be right
// or wrong (other candidates, the caller itself, the zero address): the pool
// must stay sorted whatever the hints say.
func (r *propertyRun) opReward() (string, error) {
	a := r.transcoderCandidate()
	if r.rng.IntN(2) == 0 {
		return "reward by " + short(a.Addr), r.tx1(a, r.c.BondingManager.Reward)
	}
	hint := func() common.Address {
		if r.rng.IntN(4) == 0 {
			return common.Address{}
		}
		return r.transcoderCandidate().Addr
	}
	prev, next := hint(), hint()
	return fmt.Sprintf("rewardWithHint(%s, %s) by %s", short(prev), short(next), short(a.Addr)),
		r.tx1(a, func(o *bind.TransactOpts) (*types.Transaction, error) {
			return r.c.BondingManager.RewardWithHint(o, prev, next)
		})
}

func (r *propertyRun) opClaim() (string, error) {
	a := r.actor()
	return "claimEarnings by " + short(a.Addr), r.tx1(a, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return r.c.BondingManager.ClaimEarnings(o, new(big.Int).SetUint64(r.c.Round()))
	})
}

func (r *propertyRun) opInitializeRound() (string, error) {
	if r.rng.IntN(4) != 0 {
		r.c.NextRound()
	}
	return "initializeRound", r.tx1(r.actor(), r.c.RoundsManager.InitializeRound)
}

func (r *propertyRun) opMine() (string, error) {
	n := uint64(1 + r.rng.IntN(5))
	r.c.Mine(n)
	return fmt.Sprintf("mine %d blocks", n), nil
}

func (r *propertyRun) opFees() (string, error) {
	a := r.transcoderCandidate()
	fees := big.NewInt(r.rng.Int64N(1e15) + 1)
	if _, err := r.tx(r.jobs, func(o *bind.TransactOpts) (*types.Transaction, error) {
		o.Value = fees
		return r.c.Minter.DepositETH(o)
	}); err != nil {
		r.t.Fatalf("depositETH from the registered JobsManager: %v", err)
	}
	r.ethIn.Add(r.ethIn, fees)
	round := new(big.Int).SetUint64(r.c.Round())
	return fmt.Sprintf("updateTranscoderWithFees(%s, %v)", short(a.Addr), fees),
		r.tx1(r.jobs, func(o *bind.TransactOpts) (*types.Transaction, error) {
			return r.c.BondingManager.UpdateTranscoderWithFees(o, a.Addr, fees, round)
		})
}

func (r *propertyRun) opWithdrawFees() (string, error) {
	a := r.actor()
	fees, err := r.c.BondingManager.PendingFees(r.c.Call(), a.Addr, big.NewInt(0))
	if err != nil {
		r.t.Fatal(err)
	}
	amount := big.NewInt(1)
	if fees.Sign() > 0 {
		amount = r.fraction(fees)
	}
	what := fmt.Sprintf("withdrawFees(%v) by %s", amount, short(a.Addr))
	_, err = r.tx(a, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return r.c.BondingManager.WithdrawFees(o, a.Addr, amount)
	})
	if err == nil {
		r.ethOut.Add(r.ethOut, amount)
	}
	return what, err
}

func (r *propertyRun) opSlash() (string, error) {
	a, finder := r.transcoderCandidate(), r.actor()
	amount := big.NewInt(r.rng.Int64N(100_000))
	return fmt.Sprintf("slashTranscoder(%s, %v ppm)", short(a.Addr), amount),
		r.tx1(r.jobs, func(o *bind.TransactOpts) (*types.Transaction, error) {
			return r.c.BondingManager.SlashTranscoder(o, a.Addr, finder.Addr, amount, big.NewInt(50_000))
		})
}

func (r *propertyRun) tx1(a *protocoltest.Account, send func(*bind.TransactOpts) (*types.Transaction, error)) error {
	_, err := r.tx(a, send)
	return err
}

func (r *propertyRun) pendingStake(addr common.Address) *big.Int {
	v, err := r.c.BondingManager.PendingStake(r.c.Call(), addr, big.NewInt(0))
	if err != nil {
		r.t.Fatalf("pendingStake: %v", err)
	}
	return v
}

func (r *propertyRun) check(after string) {
	c, call := r.c, r.c.Call()
	fail := func(format string, args ...any) {
		r.t.Helper()
		r.t.Fatalf("%s: "+format, append([]any{after}, args...)...)
	}
	supply := c.Big("totalSupply", c.Token.TotalSupply)
	wantSupply := new(big.Int).Sub(new(big.Int).Add(c.Params.InitialSupply, r.minted), r.burned)
	if supply.Cmp(wantSupply) != 0 {
		fail("supply %v; want genesis + minted − burned = %v", supply, wantSupply)
	}

	everyone := append([]*protocoltest.Account{c.Deployer, r.jobs}, r.actors...)
	delegated, locked, fees := new(big.Int), new(big.Int), new(big.Int)
	backing := map[common.Address]*big.Int{}
	for _, a := range everyone {
		d := c.Delegator(a.Addr)
		delegated.Add(delegated, d.DelegatedAmount)
		for id := int64(0); id < d.NextUnbondingLockId.Int64(); id++ {
			lock, err := c.BondingManager.GetDelegatorUnbondingLock(call, a.Addr, big.NewInt(id))
			if err != nil {
				fail("lock: %v", err)
			}
			locked.Add(locked, lock.Amount)
		}
		pending := r.pendingStake(a.Addr)
		if pending.Sign() > 0 {
			if backing[d.DelegateAddress] == nil {
				backing[d.DelegateAddress] = new(big.Int)
			}
			backing[d.DelegateAddress].Add(backing[d.DelegateAddress], pending)
		}
		f, err := c.BondingManager.PendingFees(call, a.Addr, big.NewInt(0))
		if err != nil {
			fail("pendingFees: %v", err)
		}
		fees.Add(fees, f)
	}
	minterLPT := c.BalanceOf(c.Addr.Minter)
	if want := new(big.Int).Add(delegated, locked); minterLPT.Cmp(want) != 0 {
		fail("Minter holds %v LPT; want Σ delegated %v + Σ locks %v = %v", minterLPT, delegated, locked, want)
	}
	if tb := c.Big("getTotalBonded", c.BondingManager.GetTotalBonded); tb.Cmp(delegated) != 0 {
		fail("getTotalBonded %v; want Σ delegatedAmount %v", tb, delegated)
	}
	for delegate, sum := range backing {
		d := c.Delegator(delegate).DelegatedAmount
		dust := new(big.Int).Sub(d, sum)
		if dust.Sign() < 0 {
			fail("delegators of %s own %v; more than its delegated stake %v", short(delegate), sum, d)
		}
		if dust.Cmp(r.maxDust) > 0 {
			r.maxDust.Set(dust)
		}
		if limit := big.NewInt(3 * r.txs); dust.Cmp(limit) > 0 {
			fail("%s has %v wei of delegated stake no delegator owns; rounding explains at most %v", short(delegate), dust, limit)
		}
	}
	ethBal, err := c.Client.BalanceAt(context.Background(), c.Addr.Minter, nil)
	if err != nil {
		fail("Minter ETH balance: %v", err)
	}
	if want := new(big.Int).Sub(r.ethIn, r.ethOut); ethBal.Cmp(want) != 0 {
		fail("Minter holds %v wei; want deposits − withdrawals = %v", ethBal, want)
	}
	if fees.Cmp(ethBal) > 0 {
		fail("Σ pendingFees %v exceeds the Minter's ETH %v", fees, ethBal)
	}
	r.checkPool(fail)
	mintable := c.Big("mintable", c.Minter.CurrentMintableTokens)
	if mintedNow := c.Big("minted", c.Minter.CurrentMintedTokens); mintedNow.Cmp(mintable) > 0 {
		fail("minted %v this round; more than mintable %v", mintedNow, mintable)
	}
}

func (r *propertyRun) checkPool(fail func(string, ...any)) {
	c, call := r.c, r.c.Call()
	size := c.Big("pool size", c.BondingManager.GetTranscoderPoolSize).Int64()
	if size > int64(c.Params.NumTranscoders) {
		fail("pool holds %d transcoders; max %d", size, c.Params.NumTranscoders)
	}
	n := int64(0)
	var prev *big.Int
	cur, err := c.BondingManager.GetFirstTranscoderInPool(call)
	for ; err == nil && cur != (common.Address{}) && n <= size; n++ {
		stake := c.Delegator(cur).DelegatedAmount
		if prev != nil && stake.Cmp(prev) > 0 {
			fail("pool out of order: %s has %v after a transcoder with %v", short(cur), stake, prev)
		}
		if reg, err := c.BondingManager.IsRegisteredTranscoder(call, cur); err != nil || !reg {
			fail("%s is in the pool but not registered (%v)", short(cur), err)
		}
		prev = stake
		cur, err = c.BondingManager.GetNextTranscoderInPool(call, cur)
	}
	if err != nil || n != size {
		fail("walked %d pool nodes (err %v); getTranscoderPoolSize says %d", n, err, size)
	}
}

func short(a common.Address) string { return a.Hex()[:8] }
