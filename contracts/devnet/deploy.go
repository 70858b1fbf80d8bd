package devnet

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/opkit-dev/opkit/contracts/deploy"
)

const deployGasLimit = 15_000_000

// deployAndFund deploys and wires the protocol with account 0, then gives
// every other account TokensPerAccount LPT. Blocks are sealed by hand here,
// before the block ticker starts, so start-up takes milliseconds.
func (d *Devnet) deployAndFund(ctx context.Context) (*Contracts, error) {
	client := d.backend.Client()
	auth, err := bind.NewKeyedTransactorWithChainID(d.keys[0], big.NewInt(ChainID))
	if err != nil {
		return nil, fmt.Errorf("deployer transactor: %w", err)
	}
	auth.Context = ctx
	// Gas estimates run against the latest block, the transaction against the
	// next one; a constructor that stores block.number/roundLength then costs
	// more than estimated whenever the quotient changes from zero. A fixed,
	// generous limit avoids that on the devnet, where gas costs nothing.
	auth.GasLimit = deployGasLimit
	addrs, err := deploy.Deploy(ctx, client, auth, deploy.DevnetParams(d.cfg.RoundLength), d)
	if err != nil {
		return nil, fmt.Errorf("deploy contracts: %w", err)
	}
	others := make([]common.Address, 0, len(d.keys)-1)
	for _, k := range d.keys[1:] {
		others = append(others, crypto.PubkeyToAddress(k.PublicKey))
	}
	if err := deploy.Fund(ctx, client, auth, addrs.Token, deploy.LPT(d.cfg.TokensPerAccount), d, others...); err != nil {
		return nil, fmt.Errorf("fund dev accounts: %w", err)
	}
	// The last dev account is the trusted verification solver (`opkit
	// verifier`); the deployer owns the Controller.
	solver := crypto.PubkeyToAddress(d.keys[len(d.keys)-1].PublicKey)
	if err := deploy.TrustSolver(ctx, client, auth, addrs.Verifier, solver, d); err != nil {
		return nil, err
	}
	d.solver = solver
	return &Contracts{
		Controller:     addrs.Controller,
		Token:          addrs.Token,
		Minter:         addrs.Minter,
		RoundsManager:  addrs.RoundsManager,
		BondingManager: addrs.BondingManager,
		JobsManager:    addrs.JobsManager,
		Verifier:       addrs.Verifier,
	}, nil
}
