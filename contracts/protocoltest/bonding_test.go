package protocoltest_test

import (
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/opkit-dev/opkit/contracts/bindings"
	"github.com/opkit-dev/opkit/contracts/deploy"
	"github.com/opkit-dev/opkit/contracts/protocoltest"
)

var (
	ppm  = big.NewInt(deploy.PPM)
	prec = new(big.Int).Exp(big.NewInt(10), big.NewInt(27), nil)
)

// mulDiv is floor(a*b/c), as the contracts' Math.mulDiv.
func mulDiv(a, b, c *big.Int) *big.Int {
	r := new(big.Int).Mul(a, b)
	return r.Quo(r, c)
}

func sub(a, b *big.Int) *big.Int { return new(big.Int).Sub(a, b) }
func add(a, b *big.Int) *big.Int { return new(big.Int).Add(a, b) }

func expectRevert(t *testing.T, what string, err error, reason string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: succeeded; want revert %q", what, reason)
	}
	if !strings.Contains(err.Error(), reason) {
		t.Fatalf("%s: err = %v; want revert %q", what, err, reason)
	}
}

func registerTranscoder(c *protocoltest.Chain, a *protocoltest.Account, rewardCut, feeShare int64) {
	c.MustTx("transcoder", a, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return c.BondingManager.Transcoder(o, big.NewInt(rewardCut), big.NewInt(feeShare))
	})
}

func rewardEvent(t *testing.T, c *protocoltest.Chain, rcpt *types.Receipt) *bindings.BondingManagerReward {
	t.Helper()
	for _, l := range rcpt.Logs {
		if ev, err := c.BondingManager.ParseReward(*l); err == nil {
			return ev
		}
	}
	t.Fatalf("no Reward event in receipt")
	return nil
}

// rewardSetup is two transcoders with delegators, active in an initialized round:
// T0 self-bonds 100 LPT and has delegators D1 (200) and D2 (300); T1 self-bonds 150.
type rewardSetup struct {
	c          *protocoltest.Chain
	t0, t1     *protocoltest.Account
	d1, d2     *protocoltest.Account
	rewardCut  int64
	round      uint64
	mintable   *big.Int
	totalStake *big.Int
}

func newRewardSetup(t *testing.T) *rewardSetup {
	c := protocoltest.New(t, deploy.DevnetParams(20), 4, deploy.LPT(1000))
	s := &rewardSetup{c: c, t0: c.Accounts[0], t1: c.Accounts[1], d1: c.Accounts[2], d2: c.Accounts[3], rewardCut: 100_000}
	c.InitRound()
	c.MustBond(s.t0, deploy.LPT(100), s.t0.Addr)
	c.MustBond(s.t1, deploy.LPT(150), s.t1.Addr)
	c.MustBond(s.d1, deploy.LPT(200), s.t0.Addr)
	c.MustBond(s.d2, deploy.LPT(300), s.t0.Addr)
	registerTranscoder(c, s.t0, s.rewardCut, 500_000)
	registerTranscoder(c, s.t1, 50_000, 500_000)
	c.MustTx("setPricePerSegment", s.t0, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return c.JobsManager.SetPricePerSegment(o, big.NewInt(1000))
	})
	s.round = c.InitRound()
	s.mintable = c.Big("currentMintableTokens", c.Minter.CurrentMintableTokens)
	s.totalStake = c.Big("currentRoundTotalActiveStake", c.BondingManager.CurrentRoundTotalActiveStake)
	return s
}

func TestActiveSetFrozenAtRoundInit(t *testing.T) {
	s := newRewardSetup(t)
	c := s.c
	set, err := c.BondingManager.GetActiveTranscoders(c.Call(), new(big.Int).SetUint64(s.round))
	if err != nil {
		t.Fatal(err)
	}
	want := []common.Address{s.t0.Addr, s.t1.Addr}
	wantStakes := []*big.Int{deploy.LPT(600), deploy.LPT(150)}
	if len(set.Transcoders) != 2 {
		t.Fatalf("active set = %v; want %v", set.Transcoders, want)
	}
	for i := range want {
		if set.Transcoders[i] != want[i] || set.Stakes[i].Cmp(wantStakes[i]) != 0 {
			t.Errorf("active[%d] = %s %v; want %s %v", i, set.Transcoders[i].Hex(), set.Stakes[i], want[i].Hex(), wantStakes[i])
		}
	}
	if s.totalStake.Cmp(deploy.LPT(750)) != 0 {
		t.Errorf("total active stake = %v; want 750 LPT", s.totalStake)
	}
	// A bond during the round changes the pool but not the frozen stake.
	c.MustBond(s.d1, deploy.LPT(10), s.t0.Addr)
	if got := c.Big("total active stake", c.BondingManager.CurrentRoundTotalActiveStake); got.Cmp(s.totalStake) != 0 {
		t.Errorf("total active stake after a bond = %v; want %v", got, s.totalStake)
	}
}

// TestRewardExactAndClaimOrderIndependent checks that reward mints mintable*stake/totalStake to
// the wei, that the transcoder gets exactly its rewardCut plus its delegator share, and that two
// delegators get the same whichever claims first.
func TestRewardExactAndClaimOrderIndependent(t *testing.T) {
	results := make([][2]*big.Int, 2)
	for order := range 2 {
		s := newRewardSetup(t)
		c := s.c
		stake := deploy.LPT(600)
		rcpt := c.MustTx("reward", s.t0, c.BondingManager.Reward)
		ev := rewardEvent(t, c, rcpt)
		wantReward := mulDiv(s.mintable, stake, s.totalStake)
		if ev.Amount.Cmp(wantReward) != 0 {
			t.Fatalf("reward = %v; want mintable*stake/total = %v", ev.Amount, wantReward)
		}
		if minted := c.Big("minted", c.Minter.CurrentMintedTokens); minted.Cmp(wantReward) != 0 {
			t.Fatalf("currentMintedTokens = %v; want %v", minted, wantReward)
		}

		commission := mulDiv(wantReward, big.NewInt(s.rewardCut), ppm)
		delegatorRewards := sub(wantReward, commission)
		crf := add(prec, mulDiv(prec, delegatorRewards, stake))
		wantT0 := add(mulDiv(deploy.LPT(100), crf, prec), commission)
		if got := c.Delegator(s.t0.Addr).BondedAmount; got.Cmp(wantT0) != 0 {
			t.Errorf("transcoder bond after reward = %v; want %v (commission %v)", got, wantT0, commission)
		}

		want := [2]*big.Int{mulDiv(deploy.LPT(200), crf, prec), mulDiv(deploy.LPT(300), crf, prec)}
		for i, d := range []*protocoltest.Account{s.d1, s.d2} {
			pending, err := c.BondingManager.PendingStake(c.Call(), d.Addr, big.NewInt(0))
			if err != nil || pending.Cmp(want[i]) != 0 {
				t.Errorf("pendingStake(d%d) = %v, %v; want %v", i+1, pending, err, want[i])
			}
		}
		c.InitRound()
		claimers := []*protocoltest.Account{s.d1, s.d2}
		if order == 1 {
			claimers = []*protocoltest.Account{s.d2, s.d1}
		}
		for _, d := range claimers {
			c.MustTx("claimEarnings", d, func(o *bind.TransactOpts) (*types.Transaction, error) {
				return c.BondingManager.ClaimEarnings(o, new(big.Int).SetUint64(c.Round()))
			})
		}
		for i, d := range []*protocoltest.Account{s.d1, s.d2} {
			results[order][i] = c.Delegator(d.Addr).BondedAmount
			if results[order][i].Cmp(want[i]) != 0 {
				t.Errorf("order %d: d%d bond after claim = %v; want %v", order, i+1, results[order][i], want[i])
			}
		}
		// All claimed stake is backed by the transcoder's delegated stake, with at most 1 wei of
		// rounding dust per claim.
		delegated := c.Delegator(s.t0.Addr).DelegatedAmount
		claimed := add(add(results[order][0], results[order][1]), c.Delegator(s.t0.Addr).BondedAmount)
		if dust := sub(delegated, claimed); dust.Sign() < 0 || dust.Cmp(big.NewInt(3)) > 0 {
			t.Errorf("delegated %v - claimed %v = %v; want 0..3 wei of dust", delegated, claimed, dust)
		}
	}
	for i := range 2 {
		if results[0][i].Cmp(results[1][i]) != 0 {
			t.Errorf("d%d: %v when claiming first, %v when claiming second", i+1, results[0][i], results[1][i])
		}
	}
}

func TestBondUnbondRebondWithdraw(t *testing.T) {
	s := newRewardSetup(t)
	c := s.c
	c.MustTx("reward", s.t0, c.BondingManager.Reward)
	c.InitRound()
	c.MustTx("claimEarnings", s.d1, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return c.BondingManager.ClaimEarnings(o, new(big.Int).SetUint64(c.Round()))
	})
	bonded := c.Delegator(s.d1.Addr).BondedAmount
	if bonded.Cmp(deploy.LPT(200)) <= 0 {
		t.Fatalf("d1 bond after a rewarded round = %v; want more than 200 LPT", bonded)
	}
	delegatedBefore := c.Delegator(s.t0.Addr).DelegatedAmount

	// Partial unbond, then rebond the lock.
	part := deploy.LPT(50)
	c.MustTx("unbond", s.d1, func(o *bind.TransactOpts) (*types.Transaction, error) { return c.BondingManager.Unbond(o, part) })
	lock, err := c.BondingManager.GetDelegatorUnbondingLock(c.Call(), s.d1.Addr, big.NewInt(0))
	if err != nil || lock.Amount.Cmp(part) != 0 || lock.WithdrawRound.Uint64() != c.Round()+c.Params.UnbondingPeriod {
		t.Fatalf("lock 0 = %+v, %v; want %v until round %d", lock, err, part, c.Round()+c.Params.UnbondingPeriod)
	}
	if got := c.Delegator(s.t0.Addr).DelegatedAmount; got.Cmp(sub(delegatedBefore, part)) != 0 {
		t.Errorf("delegated after unbond = %v; want %v", got, sub(delegatedBefore, part))
	}
	c.MustTx("rebond", s.d1, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return c.BondingManager.Rebond(o, big.NewInt(0))
	})
	if got := c.Delegator(s.d1.Addr).BondedAmount; got.Cmp(bonded) != 0 {
		t.Errorf("bond after rebond = %v; want %v", got, bonded)
	}
	if got := c.Delegator(s.t0.Addr).DelegatedAmount; got.Cmp(delegatedBefore) != 0 {
		t.Errorf("delegated after rebond = %v; want %v", got, delegatedBefore)
	}
	_, err = c.Tx(s.d1, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return c.BondingManager.Rebond(o, big.NewInt(0))
	})
	expectRevert(t, "rebond of a used lock", err, "invalid unbonding lock ID")

	// Unbond everything: the delegator is Unbonding until it withdraws.
	c.MustTx("unbond all", s.d1, func(o *bind.TransactOpts) (*types.Transaction, error) { return c.BondingManager.Unbond(o, bonded) })
	if st, err := c.BondingManager.DelegatorStatus(c.Call(), s.d1.Addr); err != nil || st != 3 {
		t.Errorf("status after unbonding all = %d, %v; want 3 (Unbonding)", st, err)
	}
	_, err = c.Tx(s.d1, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return c.BondingManager.WithdrawStake(o, big.NewInt(1))
	})
	expectRevert(t, "withdraw before the unbonding period", err, "withdraw round must be before or equal to the current round")

	balance := c.BalanceOf(s.d1.Addr)
	for range c.Params.UnbondingPeriod {
		c.InitRound()
	}
	c.MustTx("withdrawStake", s.d1, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return c.BondingManager.WithdrawStake(o, big.NewInt(1))
	})
	if got := c.BalanceOf(s.d1.Addr); got.Cmp(add(balance, bonded)) != 0 {
		t.Errorf("balance after withdraw = %v; want %v", got, add(balance, bonded))
	}
	if st, err := c.BondingManager.DelegatorStatus(c.Call(), s.d1.Addr); err != nil || st != 2 {
		t.Errorf("status after withdrawing = %d, %v; want 2 (Unbonded)", st, err)
	}
}

func TestRewardReverts(t *testing.T) {
	s := newRewardSetup(t)
	c := s.c
	c.MustTx("reward", s.t0, c.BondingManager.Reward)
	_, err := c.Tx(s.t0, c.BondingManager.Reward)
	expectRevert(t, "second reward in a round", err, "caller has already called reward for the current round")

	_, err = c.Tx(s.d1, c.BondingManager.Reward)
	expectRevert(t, "reward by a delegator", err, "caller must be an active transcoder")

	// A transcoder registered this round becomes active only from the next initialized round.
	late := c.Accounts[2]
	all, err := c.BondingManager.PendingStake(c.Call(), late.Addr, big.NewInt(0))
	if err != nil {
		t.Fatal(err)
	}
	c.MustTx("unbond all", late, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return c.BondingManager.Unbond(o, all)
	})
	c.MustTx("rebond to self", late, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return c.BondingManager.RebondFromUnbonded(o, late.Addr, big.NewInt(0))
	})
	c.InitRound()
	registerTranscoder(c, late, 0, 0)
	_, err = c.Tx(late, c.BondingManager.Reward)
	expectRevert(t, "reward by a transcoder registered this round", err, "caller must be an active transcoder")

	_, err = c.Tx(c.Deployer, c.RoundsManager.InitializeRound)
	expectRevert(t, "initializeRound twice", err, "round already initialized")

	c.NextRound()
	_, err = c.Tx(s.t0, c.BondingManager.Reward)
	expectRevert(t, "reward before the round is initialized", err, "current round is not initialized")
	c.MustTx("initializeRound", c.Deployer, c.RoundsManager.InitializeRound)
	c.MustTx("reward", late, c.BondingManager.Reward)
}

func TestNoRateChangeDuringLock(t *testing.T) {
	s := newRewardSetup(t)
	c := s.c
	for {
		locked, err := c.RoundsManager.CurrentRoundLocked(c.Call())
		if err != nil {
			t.Fatal(err)
		}
		if locked {
			break
		}
		c.Mine(1)
	}
	_, err := c.Tx(s.t0, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return c.BondingManager.Transcoder(o, big.NewInt(200_000), big.NewInt(500_000))
	})
	expectRevert(t, "rate change in the lock period", err, "current round is locked")
	c.InitRound()
	registerTranscoder(c, s.t0, 200_000, 500_000)
}

func TestPoolEvictsTailOnlyWithMoreStake(t *testing.T) {
	p := deploy.DevnetParams(20)
	p.NumTranscoders, p.NumActiveTranscoders = 2, 1
	c := protocoltest.New(t, p, 4, deploy.LPT(1000))
	c.InitRound()
	a, b, lo, hi := c.Accounts[0], c.Accounts[1], c.Accounts[2], c.Accounts[3]
	c.MustBond(a, deploy.LPT(300), a.Addr)
	c.MustBond(b, deploy.LPT(200), b.Addr)
	c.MustBond(lo, deploy.LPT(200), lo.Addr)
	c.MustBond(hi, deploy.LPT(201), hi.Addr)
	registerTranscoder(c, a, 0, 0)
	registerTranscoder(c, b, 0, 0)
	_, err := c.Tx(lo, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return c.BondingManager.Transcoder(o, big.NewInt(0), big.NewInt(0))
	})
	expectRevert(t, "newcomer with equal stake", err, "transcoder pool is full")
	registerTranscoder(c, hi, 0, 0)
	first, _ := c.BondingManager.GetFirstTranscoderInPool(c.Call())
	second, _ := c.BondingManager.GetNextTranscoderInPool(c.Call(), first)
	if first != a.Addr || second != hi.Addr {
		t.Errorf("pool = %s, %s; want a, hi", first.Hex(), second.Hex())
	}
	if reg, _ := c.BondingManager.IsRegisteredTranscoder(c.Call(), b.Addr); reg {
		t.Errorf("evicted transcoder is still registered")
	}
	c.InitRound()
	set, err := c.BondingManager.GetActiveTranscoders(c.Call(), new(big.Int).SetUint64(c.Round()))
	if err != nil || len(set.Transcoders) != 1 || set.Transcoders[0] != a.Addr {
		t.Errorf("active set = %v, %v; want only a (numActive 1)", set.Transcoders, err)
	}
}

// TestStakeLeavingMidRoundForfeitsToStakeThatStays: a delegator that unbonds before the
// transcoder's reward leaves the round's frozen stake, and the delegators' part of the reward
// (computed on the full frozen stake) goes to the stake that stayed, leaving no unowned stake.
func TestStakeLeavingMidRoundForfeitsToStakeThatStays(t *testing.T) {
	s := newRewardSetup(t)
	c := s.c
	c.MustTx("d2 unbonds everything", s.d2, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return c.BondingManager.Unbond(o, deploy.LPT(300))
	})
	ev := rewardEvent(t, c, c.MustTx("reward", s.t0, c.BondingManager.Reward))
	if want := mulDiv(s.mintable, deploy.LPT(600), s.totalStake); ev.Amount.Cmp(want) != 0 {
		t.Fatalf("reward = %v; want %v (on the frozen stake)", ev.Amount, want)
	}
	commission := mulDiv(ev.Amount, big.NewInt(s.rewardCut), ppm)
	crf := add(prec, mulDiv(prec, sub(ev.Amount, commission), deploy.LPT(300))) // 300 LPT stayed
	wantD1 := mulDiv(deploy.LPT(200), crf, prec)
	wantT0 := add(mulDiv(deploy.LPT(100), crf, prec), commission)
	pending := func(a *protocoltest.Account) *big.Int {
		v, err := c.BondingManager.PendingStake(c.Call(), a.Addr, big.NewInt(0))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if got := pending(s.d1); got.Cmp(wantD1) != 0 {
		t.Errorf("d1 stake = %v; want %v", got, wantD1)
	}
	if got := pending(s.t0); got.Cmp(wantT0) != 0 {
		t.Errorf("t0 stake = %v; want %v", got, wantT0)
	}
	delegated := c.Delegator(s.t0.Addr).DelegatedAmount
	if dust := sub(delegated, add(wantD1, wantT0)); dust.Sign() < 0 || dust.Cmp(big.NewInt(2)) > 0 {
		t.Errorf("delegated %v − owned %v = %v wei; want rounding dust only", delegated, add(wantD1, wantT0), dust)
	}

	// A bond made during the round after the reward earns from the next round on.
	c.MustBond(s.d2, deploy.LPT(50), s.t0.Addr)
	if got := pending(s.d2); got.Cmp(deploy.LPT(50)) != 0 {
		t.Errorf("d2 stake after bonding mid-round = %v; want exactly 50 LPT", got)
	}
}
