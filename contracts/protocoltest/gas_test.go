package protocoltest_test

import (
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"

	"github.com/opkit-dev/opkit/contracts/deploy"
	"github.com/opkit-dev/opkit/contracts/protocoltest"
)

// TestGasReport logs the gas used by the protocol's common transactions under two gas schedules:
// Osaka (Ethereum mainnet today, closest to Arbitrum's EVM pricing) and go-ethereum v1.17's
// dev-chain default, which the simulated backend uses and which includes the Bogota fork's
// EIP-8037/8038 state-gas repricing. It checks that a claim costs the same after 50 rounds as
// after 1 (cumulative factors make it O(1)).
func TestGasReport(t *testing.T) {
	for _, rules := range []struct {
		name  string
		osaka bool
	}{{"Osaka (mainnet pricing)", true}, {"go-ethereum dev default (Bogota, EIP-8037/8038)", false}} {
		t.Run(rules.name, func(t *testing.T) {
			if rules.osaka {
				// simulated.NewBackend reads this config when the chain starts; no test here runs in parallel.
				saved := params.AllDevChainProtocolChanges.BogotaTime
				params.AllDevChainProtocolChanges.BogotaTime = nil
				t.Cleanup(func() { params.AllDevChainProtocolChanges.BogotaTime = saved })
			}
			gasReport(t, rules.name)
		})
	}
}

func gasReport(t *testing.T, rules string) {
	c := protocoltest.New(t, deploy.DevnetParams(100), 12, deploy.LPT(10_000))
	var rows []string
	record := func(what string, rcpt *types.Receipt) uint64 {
		rows = append(rows, fmt.Sprintf("| %-52s | %9d |", what, rcpt.GasUsed))
		return rcpt.GasUsed
	}
	c.InitRound()
	transcoders := c.Accounts[:10]
	for i, a := range transcoders {
		rcpt := c.MustBond(a, deploy.LPT(int64(1000+i)), a.Addr)
		if i == 0 {
			record("bond (first bond, to self)", rcpt)
		}
	}
	for i, a := range transcoders {
		rcpt := c.MustTx("transcoder", a, func(o *bind.TransactOpts) (*types.Transaction, error) {
			return c.BondingManager.Transcoder(o, big.NewInt(100_000), big.NewInt(500_000))
		})
		switch i {
		case 0:
			record("transcoder (register, empty pool)", rcpt)
		case len(transcoders) - 1:
			record(fmt.Sprintf("transcoder (register, pool of %d)", i), rcpt)
		}
	}
	d := c.Accounts[10]
	record("bond (delegate to a transcoder)", c.MustBond(d, deploy.LPT(500), transcoders[0].Addr))
	late := c.Accounts[11]
	c.MustBond(late, deploy.LPT(500), transcoders[0].Addr)

	c.NextRound()
	record("initializeRound (10 active transcoders)", c.MustTx("initializeRound", c.Deployer, c.RoundsManager.InitializeRound))
	record("reward", c.MustTx("reward", transcoders[0], c.BondingManager.Reward))

	claim := func(a *protocoltest.Account) *types.Receipt {
		return c.MustTx("claimEarnings", a, func(o *bind.TransactOpts) (*types.Transaction, error) {
			return c.BondingManager.ClaimEarnings(o, new(big.Int).SetUint64(c.Round()))
		})
	}
	rewardRound := func() {
		c.InitRound()
		c.MustTx("reward", transcoders[0], c.BondingManager.Reward)
	}
	// Short rounds from here on keep the 50-round stretch quick (the owner may change the length).
	c.MustTx("setRoundLength", c.Deployer, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return c.RoundsManager.SetRoundLength(o, big.NewInt(10))
	})
	rewardRound()
	one := record("claimEarnings after 1 rewarded round", claim(d))
	for range 49 {
		rewardRound()
	}
	fifty := record("claimEarnings after 50 rewarded rounds", claim(late))
	record("unbond (partial)", c.MustTx("unbond", d, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return c.BondingManager.Unbond(o, deploy.LPT(100))
	}))
	record("rebond", c.MustTx("rebond", d, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return c.BondingManager.Rebond(o, big.NewInt(0))
	}))

	t.Logf("gas used, %s rules:\n| %-52s | %9s |\n|%s|%s|\n%s",
		rules, "transaction", "gas", strings.Repeat("-", 54), strings.Repeat("-", 11), strings.Join(rows, "\n"))
	if diff := int64(fifty) - int64(one); diff > 2000 || diff < -2000 {
		t.Errorf("claimEarnings after 50 rounds uses %d gas, after 1 round %d: a claim must not grow with rounds", fifty, one)
	}
}
