package chain_test

import (
	"context"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/opkit-dev/opkit/contracts/deploy"
	"github.com/opkit-dev/opkit/contracts/protocoltest"
	"github.com/opkit-dev/opkit/staking/chain"
)

// poolSize transcoders are registered, the top numActive of them active:
// freezing more than about 60 active transcoders in initializeRound is
// past the 2^24 gas a transaction may use since Osaka (EIP-7825).
const (
	poolSize  = 100
	numActive = 20
)

// bigPool is a protocol with 100 registered transcoders, in an initialized
// round. The last active one has just less stake than the one above it, so
// its reward moves it up the pool and reward() must place it again.
func bigPool(t *testing.T) (*protocoltest.Chain, *protocoltest.Account, uint64) {
	p := deploy.DevnetParams(1000)
	p.NumTranscoders, p.NumActiveTranscoders = poolSize, numActive
	c := protocoltest.New(t, p, poolSize, deploy.LPT(5000))
	c.InitRound()
	for i, a := range c.Accounts {
		stake := deploy.LPT(poolStake(i))
		if i == numActive-1 { // just below its neighbour: its reward moves it up one place
			stake = new(big.Int).Sub(deploy.LPT(poolStake(i-1)), big.NewInt(1))
		}
		c.MustBond(a, stake, a.Addr)
		c.MustTx("transcoder", a, func(o *bind.TransactOpts) (*types.Transaction, error) {
			return c.BondingManager.Transcoder(o, big.NewInt(100_000), big.NewInt(500_000))
		})
	}
	round := c.NextRound()
	// The estimate of initializeRound runs past the simulated node's default.
	ir := c.MustTx("initializeRound", c.Deployer, func(o *bind.TransactOpts) (*types.Transaction, error) {
		o.GasLimit = 1 << 24
		return c.RoundsManager.InitializeRound(o)
	})
	t.Logf("initializeRound with %d active: %d gas", numActive, ir.GasUsed)
	return c, c.Accounts[numActive-1], round
}

// poolStake is transcoder i's stake in LPT: 150 apart among the active ones,
// more than the last active one's reward (about 40 LPT), so it moves up
// exactly one place and reward() walks past the rest from the head.
func poolStake(i int) int64 {
	if i < numActive {
		return 5000 - 150*int64(i)
	}
	return 2000 - 15*int64(i-numActive)
}

// poolOrder walks the pool and fails the test unless stakes never increase.
func poolOrder(t *testing.T, c *protocoltest.Chain) []common.Address {
	t.Helper()
	var out []common.Address
	prev := new(big.Int).Lsh(big.NewInt(1), 255)
	cur, _ := c.BondingManager.GetFirstTranscoderInPool(c.Call())
	for cur != (common.Address{}) {
		s, _ := c.BondingManager.TranscoderTotalStake(c.Call(), cur)
		if s.Cmp(prev) > 0 {
			t.Fatalf("pool not sorted at %s: %v after %v", cur, s, prev)
		}
		out = append(out, cur)
		prev = s
		cur, _ = c.BondingManager.GetNextTranscoderInPool(c.Call(), cur)
	}
	return out
}

// TestRewardWithHintPlacesAndSavesGas: on a pool of 100 transcoders the
// tail's reward moves it up. rewardWithHint with the hint RewardHint
// computes puts it exactly where reward() does, for a fraction of the gas;
// a wrong hint still puts it in the right place.
func TestRewardWithHintPlacesAndSavesGas(t *testing.T) {
	plain, tail, _ := bigPool(t)
	r := plain.MustTx("reward", tail, plain.BondingManager.Reward)
	want := poolOrder(t, plain)

	hinted, tail2, round := bigPool(t)
	cl, err := chain.Dial(context.Background(), hinted.Client, hinted.Addr.Controller)
	if err != nil {
		t.Fatal(err)
	}
	h, err := cl.RewardHint(context.Background(), tail2.Addr, round)
	if err != nil {
		t.Fatal(err)
	}
	rh := hinted.MustTx("rewardWithHint", tail2, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return hinted.BondingManager.RewardWithHint(o, h.Prev, h.Next)
	})
	got := poolOrder(t, hinted)
	if len(got) != poolSize || len(want) != poolSize {
		t.Fatalf("pool sizes %d and %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("position %d: hinted pool has %s, reward() gave %s", i, got[i], want[i])
		}
	}
	if stake, _ := hinted.BondingManager.TranscoderTotalStake(hinted.Call(), tail2.Addr); stake.Cmp(h.NewStake) != 0 {
		t.Fatalf("stake after reward %v, the hint expected %v", stake, h.NewStake)
	}
	moved := 0
	for i, a := range got {
		if a == tail2.Addr {
			moved = numActive - 1 - i
		}
	}
	t.Logf("pool of %d (%d active), the last active moved up %d places: reward() %d gas, rewardWithHint() %d gas (%.0f%% saved)",
		poolSize, numActive, moved, r.GasUsed, rh.GasUsed, 100*(1-float64(rh.GasUsed)/float64(r.GasUsed)))
	if moved != 1 || rh.GasUsed >= r.GasUsed {
		t.Fatalf("moved %d places; hinted gas %d not below %d", moved, rh.GasUsed, r.GasUsed)
	}

	wrong, tail3, _ := bigPool(t)
	wrong.MustTx("rewardWithHint", tail3, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return wrong.BondingManager.RewardWithHint(o, wrong.Accounts[0].Addr, wrong.Accounts[1].Addr)
	})
	for i, a := range poolOrder(t, wrong) {
		if a != want[i] {
			t.Fatalf("with a wrong hint, position %d has %s, want %s", i, a, want[i])
		}
	}
}
