package protocoltest_test

import (
	"github.com/opkit-dev/opkit/contracts"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/opkit-dev/opkit/contracts/deploy"
	"github.com/opkit-dev/opkit/contracts/protocoltest"
)

func TestInflationMovesTowardTargetBondingRate(t *testing.T) {
	p := deploy.DevnetParams(20)
	p.InitialSupply = deploy.LPT(1000)
	c := protocoltest.New(t, p, 1, deploy.LPT(900))
	a := c.Accounts[0]
	c.InitRound()
	inflation := c.Big("inflation", c.Minter.Inflation).Int64()

	// 0% bonded < 50% target: inflation goes up by inflationChange each round.
	c.InitRound()
	inflation += int64(p.InflationChange)
	checkMintable(t, c, inflation)

	// 90% bonded > 50% target: inflation goes down.
	c.MustBond(a, deploy.LPT(900), a.Addr)
	c.InitRound()
	inflation -= int64(p.InflationChange)
	checkMintable(t, c, inflation)
}

func checkMintable(t *testing.T, c *protocoltest.Chain, inflation int64) {
	t.Helper()
	if got := c.Big("inflation", c.Minter.Inflation).Int64(); got != inflation {
		t.Fatalf("inflation = %d ppm; want %d", got, inflation)
	}
	supply := c.Big("totalSupply", c.Token.TotalSupply)
	want := mulDiv(supply, big.NewInt(inflation), ppm)
	if got := c.Big("mintable", c.Minter.CurrentMintableTokens); got.Cmp(want) != 0 {
		t.Fatalf("mintable = %v; want supply*inflation/1e6 = %v", got, want)
	}
}

func TestPausedSystemRefusesStateChanges(t *testing.T) {
	s := newRewardSetup(t)
	c := s.c
	c.MustTx("pause", c.Deployer, c.Controller.Pause)
	_, err := c.Tx(s.t0, c.BondingManager.Reward)
	expectRevert(t, "reward while paused", err, "system is paused")
	_, err = c.Tx(s.d1, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return c.BondingManager.Unbond(o, big.NewInt(1))
	})
	expectRevert(t, "unbond while paused", err, "system is paused")
	c.NextRound()
	_, err = c.Tx(c.Deployer, c.RoundsManager.InitializeRound)
	expectRevert(t, "initializeRound while paused", err, "system is paused")
	c.MustTx("unpause", c.Deployer, c.Controller.Unpause)
	c.MustTx("initializeRound", c.Deployer, c.RoundsManager.InitializeRound)
	_, err = c.Tx(s.d1, c.Controller.Pause)
	expectRevert(t, "pause by a non-owner", err, "execution reverted") // OZ custom error OwnableUnauthorizedAccount
	if paused, err := c.Controller.Paused(c.Call()); err != nil || paused {
		t.Errorf("paused = %v, %v after a non-owner's pause; want false", paused, err)
	}
}

// TestFeesAndSlashing drives the JobsManager-only entry points from an account the Controller
// owner registers as the JobsManager.
func TestFeesAndSlashing(t *testing.T) {
	s := newRewardSetup(t)
	c := s.c
	jobs, finder := s.t1, s.d2 // any accounts: t1 plays the JobsManager, d2 finds the fault
	c.MustTx("register JobsManager", c.Deployer, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return c.Controller.SetContractInfo(o, contracts.ContractID(contracts.NameJobsManager), jobs.Addr, [20]byte{})
	})
	_, err := c.Tx(s.d1, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return c.BondingManager.SlashTranscoder(o, s.t0.Addr, s.d1.Addr, big.NewInt(1), big.NewInt(1))
	})
	expectRevert(t, "slash by a delegator", err, "caller must be JobsManager")

	// 1 ETH of fees with feeShare 50%: half to the transcoder, half to the 600 LPT it had frozen.
	fees := big.NewInt(1e18)
	c.MustTx("depositETH", jobs, func(o *bind.TransactOpts) (*types.Transaction, error) {
		o.Value = fees
		return c.Minter.DepositETH(o)
	})
	c.MustTx("updateTranscoderWithFees", jobs, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return c.BondingManager.UpdateTranscoderWithFees(o, s.t0.Addr, fees, new(big.Int).SetUint64(c.Round()))
	})
	half := new(big.Int).Div(fees, big.NewInt(2))
	pendingFees := func(a *protocoltest.Account) *big.Int {
		v, err := c.BondingManager.PendingFees(c.Call(), a.Addr, big.NewInt(0))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	wantT0 := add(half, mulDiv(half, deploy.LPT(100), deploy.LPT(600)))
	wantD1 := mulDiv(mulDiv(half, prec, deploy.LPT(600)), deploy.LPT(200), prec)
	if got := pendingFees(s.t0); got.Cmp(wantT0) != 0 {
		t.Errorf("transcoder fees = %v; want %v", got, wantT0)
	}
	if got := pendingFees(s.d1); got.Cmp(wantD1) != 0 {
		t.Errorf("d1 fees = %v; want %v", got, wantD1)
	}
	before, err := c.Client.BalanceAt(t.Context(), s.d1.Addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	rcpt := c.MustTx("withdrawFees", s.d1, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return c.BondingManager.WithdrawFees(o, s.d1.Addr, wantD1)
	})
	after, _ := c.Client.BalanceAt(t.Context(), s.d1.Addr, nil)
	gasCost := new(big.Int).Mul(new(big.Int).SetUint64(rcpt.GasUsed), rcpt.EffectiveGasPrice)
	if got := add(sub(after, before), gasCost); got.Cmp(wantD1) != 0 {
		t.Errorf("d1 received %v wei; want %v", got, wantD1)
	}

	// Slash 10% of the transcoder's self-bond; the finder gets 5% of it, the rest is burned.
	selfBond := c.Delegator(s.t0.Addr).BondedAmount
	supply := c.Big("totalSupply", c.Token.TotalSupply)
	finderBalance := c.BalanceOf(finder.Addr)
	c.MustTx("slashTranscoder", jobs, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return c.BondingManager.SlashTranscoder(o, s.t0.Addr, finder.Addr, big.NewInt(100_000), big.NewInt(50_000))
	})
	penalty := mulDiv(selfBond, big.NewInt(100_000), ppm)
	finderFee := mulDiv(penalty, big.NewInt(50_000), ppm)
	if got := c.Delegator(s.t0.Addr).BondedAmount; got.Cmp(sub(selfBond, penalty)) != 0 {
		t.Errorf("self-bond after slash = %v; want %v", got, sub(selfBond, penalty))
	}
	if got := sub(c.BalanceOf(finder.Addr), finderBalance); got.Cmp(finderFee) != 0 {
		t.Errorf("finder got %v; want %v", got, finderFee)
	}
	if got := sub(supply, c.Big("totalSupply", c.Token.TotalSupply)); got.Cmp(sub(penalty, finderFee)) != 0 {
		t.Errorf("burned %v; want %v", got, sub(penalty, finderFee))
	}
	if reg, _ := c.BondingManager.IsRegisteredTranscoder(c.Call(), s.t0.Addr); reg {
		t.Errorf("slashed transcoder is still registered")
	}

	// Fees still reach a resigned transcoder's pool.
	c.InitRound()
	c.MustTx("depositETH", jobs, func(o *bind.TransactOpts) (*types.Transaction, error) {
		o.Value = fees
		return c.Minter.DepositETH(o)
	})
	t0Fees := pendingFees(s.t0)
	c.MustTx("updateTranscoderWithFees after resign", jobs, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return c.BondingManager.UpdateTranscoderWithFees(o, s.t0.Addr, fees, new(big.Int).SetUint64(c.Round()-1))
	})
	if got := pendingFees(s.t0); got.Cmp(add(t0Fees, half)) < 0 {
		t.Errorf("resigned transcoder's fees went from %v to %v; want at least its %v share", t0Fees, got, half)
	}
}
