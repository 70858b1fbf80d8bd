package deploy_test

import (
	"errors"
	"github.com/opkit-dev/opkit/contracts"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/opkit-dev/opkit/contracts/deploy"
	"github.com/opkit-dev/opkit/contracts/protocoltest"
)

func TestDeployWiresEverything(t *testing.T) {
	p := deploy.DevnetParams(20)
	c := protocoltest.New(t, p, 2, deploy.LPT(1000))
	call := c.Call()

	for name, want := range map[string]common.Address{
		contracts.NameLivepeerToken:  c.Addr.Token,
		contracts.NameMinter:         c.Addr.Minter,
		contracts.NameRoundsManager:  c.Addr.RoundsManager,
		contracts.NameBondingManager: c.Addr.BondingManager,
		contracts.NameJobsManager:    c.Addr.JobsManager,
		contracts.NameVerifier:       c.Addr.Verifier,
	} {
		if want == (common.Address{}) {
			t.Errorf("%s was not deployed", name)
		}
		got, err := c.Controller.GetContract(call, contracts.ContractID(name))
		if err != nil || got != want {
			t.Errorf("Controller.getContract(%s) = %s, %v; want %s", name, got.Hex(), err, want.Hex())
		}
	}
	if paused, err := c.Controller.Paused(call); err != nil || paused {
		t.Errorf("paused = %v, %v; want false", paused, err)
	}
	if owner, err := c.Controller.Owner(call); err != nil || owner != c.Deployer.Addr {
		t.Errorf("owner = %s, %v; want deployer", owner.Hex(), err)
	}

	checks := []struct {
		name string
		get  func() (*big.Int, error)
		want uint64
	}{
		{"roundLength", func() (*big.Int, error) { return c.RoundsManager.RoundLength(call) }, p.RoundLength},
		{"roundLockAmount", func() (*big.Int, error) { return c.RoundsManager.RoundLockAmount(call) }, p.RoundLockAmount},
		{"inflation", func() (*big.Int, error) { return c.Minter.Inflation(call) }, p.Inflation},
		{"inflationChange", func() (*big.Int, error) { return c.Minter.InflationChange(call) }, p.InflationChange},
		{"targetBondingRate", func() (*big.Int, error) { return c.Minter.TargetBondingRate(call) }, p.TargetBondingRate},
		{"numActiveTranscoders", func() (*big.Int, error) { return c.BondingManager.NumActiveTranscoders(call) }, p.NumActiveTranscoders},
		{"poolMaxSize", func() (*big.Int, error) { return c.BondingManager.GetTranscoderPoolMaxSize(call) }, p.NumTranscoders},
	}
	for _, ch := range checks {
		got, err := ch.get()
		if err != nil || got.Uint64() != ch.want {
			t.Errorf("%s = %v, %v; want %d", ch.name, got, err, ch.want)
		}
	}
	if up, err := c.BondingManager.UnbondingPeriod(call); err != nil || up != p.UnbondingPeriod {
		t.Errorf("unbondingPeriod = %d, %v; want %d", up, err, p.UnbondingPeriod)
	}

	supply, err := c.Token.TotalSupply(call)
	if err != nil || supply.Cmp(p.InitialSupply) != 0 {
		t.Errorf("total supply = %v, %v; want %v", supply, err, p.InitialSupply)
	}
	for _, a := range c.Accounts {
		if bal, err := c.Token.BalanceOf(call, a.Addr); err != nil || bal.Cmp(deploy.LPT(1000)) != 0 {
			t.Errorf("funded balance of %s = %v, %v; want 1000 LPT", a.Addr.Hex(), bal, err)
		}
	}
	// Only the Minter mints.
	if _, err := c.Tx(c.Deployer, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return c.Token.Mint(o, c.Deployer.Addr, big.NewInt(1))
	}); !errors.Is(err, protocoltest.ErrReverted) {
		t.Errorf("mint by the deployer: err = %v; want a revert", err)
	}
}

func TestParamsValidate(t *testing.T) {
	if err := deploy.MainnetParams().Validate(); err != nil {
		t.Errorf("mainnet params: %v", err)
	}
	if err := deploy.DevnetParams(20).Validate(); err != nil {
		t.Errorf("devnet params: %v", err)
	}
	cases := map[string]func(*deploy.Params){
		"zero round length":         func(p *deploy.Params) { p.RoundLength = 0 },
		"more active than pool":     func(p *deploy.Params) { p.NumActiveTranscoders = p.NumTranscoders + 1 },
		"inflation above 100%":      func(p *deploy.Params) { p.Inflation = deploy.PPM + 1 },
		"finder fee above 100%":     func(p *deploy.Params) { p.FinderFee = deploy.PPM + 1 },
		"zero verification rate":    func(p *deploy.Params) { p.VerificationRate = 0 },
		"missing initial supply":    func(p *deploy.Params) { p.InitialSupply = nil },
		"negative initial supply":   func(p *deploy.Params) { p.InitialSupply = big.NewInt(-1) },
		"round lock above 100%":     func(p *deploy.Params) { p.RoundLockAmount = deploy.PPM + 1 },
		"target bonding above 100%": func(p *deploy.Params) { p.TargetBondingRate = deploy.PPM + 1 },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			p := deploy.DevnetParams(20)
			mutate(&p)
			if err := p.Validate(); !errors.Is(err, deploy.ErrInvalidParams) {
				t.Errorf("Validate() = %v; want ErrInvalidParams", err)
			}
		})
	}
}
