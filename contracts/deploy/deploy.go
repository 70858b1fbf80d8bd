// Package deploy deploys and wires the opkit protocol contracts on any EVM chain reachable
// through go-ethereum's bind interfaces: the in-process simulated backend of tests and of
// `opkit devnet`, or a real node. It also binds a deployed set and funds dev accounts.
package deploy

import (
	"context"
	"errors"
	"fmt"
	"github.com/opkit-dev/opkit/contracts"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/opkit-dev/opkit/contracts/bindings"
)

// Backend is what Deploy needs from a chain: sending transactions and waiting for receipts.
type Backend interface {
	bind.ContractBackend
	bind.DeployBackend
}

// Committer mines the pending transactions. go-ethereum's simulated backend implements it.
// When Deploy gets a non-nil Committer it commits after every transaction; otherwise it waits
// for each receipt (a devnet with a block ticker, or a real chain).
type Committer interface {
	Commit() common.Hash
}

// Addresses of a deployed protocol.
type Addresses struct {
	Controller     common.Address `json:"controller"`
	Token          common.Address `json:"token"`
	Minter         common.Address `json:"minter"`
	RoundsManager  common.Address `json:"roundsManager"`
	BondingManager common.Address `json:"bondingManager"`
	JobsManager    common.Address `json:"jobsManager"`
	Verifier       common.Address `json:"verifier"`
}

// ErrTxFailed is wrapped when a deploy or setup transaction is mined but reverted.
var ErrTxFailed = errors.New("transaction reverted")

// Deploy deploys every protocol contract from auth's account, registers them in a new
// Controller, and unpauses the system. The token's initial supply goes to auth.From. Each
// transaction is mined (through c, or by waiting for its receipt) before the next is sent.
func Deploy(ctx context.Context, backend Backend, auth *bind.TransactOpts, p Params, c Committer) (*Addresses, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	m := miner{ctx: ctx, backend: backend, c: c}
	var a Addresses
	var ctrl *bindings.Controller

	steps := []struct {
		what string
		send func() (*types.Transaction, error)
	}{
		{"deploy Controller", func() (tx *types.Transaction, err error) {
			a.Controller, tx, ctrl, err = bindings.DeployController(auth, backend)
			return tx, err
		}},
		{"deploy LivepeerToken", func() (tx *types.Transaction, err error) {
			a.Token, tx, _, err = bindings.DeployLivepeerToken(auth, backend, a.Controller, p.InitialSupply)
			return tx, err
		}},
		{"deploy Minter", func() (tx *types.Transaction, err error) {
			a.Minter, tx, _, err = bindings.DeployMinter(auth, backend, a.Controller,
				u(p.Inflation), u(p.InflationChange), u(p.TargetBondingRate))
			return tx, err
		}},
		{"deploy RoundsManager", func() (tx *types.Transaction, err error) {
			a.RoundsManager, tx, _, err = bindings.DeployRoundsManager(auth, backend, a.Controller,
				u(p.RoundLength), u(p.RoundLockAmount))
			return tx, err
		}},
		{"deploy BondingManager", func() (tx *types.Transaction, err error) {
			a.BondingManager, tx, _, err = bindings.DeployBondingManager(auth, backend, a.Controller,
				p.UnbondingPeriod, u(p.NumTranscoders), u(p.NumActiveTranscoders))
			return tx, err
		}},
		{"deploy JobsManager", func() (tx *types.Transaction, err error) {
			a.JobsManager, tx, _, err = bindings.DeployJobsManager(auth, backend, a.Controller,
				u(p.VerificationRate), u(p.VerificationPeriod), u(p.VerificationSlashingPeriod),
				u(p.FailedVerificationSlashAmount), u(p.MissedVerificationSlashAmount),
				u(p.DoubleClaimSegmentSlashAmount), u(p.FinderFee))
			return tx, err
		}},
		{"deploy Verifier", func() (tx *types.Transaction, err error) {
			a.Verifier, tx, _, err = bindings.DeployVerifier(auth, backend, a.Controller)
			return tx, err
		}},
	}
	for _, s := range steps {
		if err := m.do(s.what, s.send); err != nil {
			return nil, err
		}
	}
	for _, r := range a.registry() {
		if err := m.do("register "+r.name, func() (*types.Transaction, error) {
			return ctrl.SetContractInfo(auth, contracts.ContractID(r.name), r.addr, [20]byte{})
		}); err != nil {
			return nil, err
		}
	}
	if err := m.do("unpause Controller", func() (*types.Transaction, error) { return ctrl.Unpause(auth) }); err != nil {
		return nil, err
	}
	return &a, nil
}

type registration struct {
	name string
	addr common.Address
}

func (a *Addresses) registry() []registration {
	return []registration{
		{contracts.NameLivepeerToken, a.Token},
		{contracts.NameMinter, a.Minter},
		{contracts.NameRoundsManager, a.RoundsManager},
		{contracts.NameBondingManager, a.BondingManager},
		{contracts.NameJobsManager, a.JobsManager},
		{contracts.NameVerifier, a.Verifier},
	}
}

// Fund transfers amount LPT from auth's account to each of to.
func Fund(ctx context.Context, backend Backend, auth *bind.TransactOpts, token common.Address,
	amount *big.Int, c Committer, to ...common.Address) error {
	t, err := bindings.NewLivepeerToken(token, backend)
	if err != nil {
		return fmt.Errorf("bind token: %w", err)
	}
	m := miner{ctx: ctx, backend: backend, c: c}
	for _, addr := range to {
		if err := m.do("fund "+addr.Hex(), func() (*types.Transaction, error) {
			return t.Transfer(auth, addr, amount)
		}); err != nil {
			return err
		}
	}
	return nil
}

// TrustSolver lets solver answer verification requests (Verifier.setSolver);
// auth must be the Controller's owner.
func TrustSolver(ctx context.Context, backend Backend, auth *bind.TransactOpts, verifier, solver common.Address, c Committer) error {
	v, err := bindings.NewVerifier(verifier, backend)
	if err != nil {
		return fmt.Errorf("bind verifier: %w", err)
	}
	return miner{ctx: ctx, backend: backend, c: c}.do("trust solver "+solver.Hex(), func() (*types.Transaction, error) {
		return v.SetSolver(auth, solver, true)
	})
}

// miner sends one transaction at a time and waits until it is mined successfully.
type miner struct {
	ctx     context.Context
	backend Backend
	c       Committer
}

func (m miner) do(what string, send func() (*types.Transaction, error)) error {
	tx, err := send()
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	var rcpt *types.Receipt
	if m.c != nil {
		m.c.Commit()
		rcpt, err = m.backend.TransactionReceipt(m.ctx, tx.Hash())
	} else {
		rcpt, err = bind.WaitMined(m.ctx, m.backend, tx)
	}
	if err != nil {
		return fmt.Errorf("%s: wait for tx %s: %w", what, tx.Hash().Hex(), err)
	}
	if rcpt.Status != types.ReceiptStatusSuccessful {
		return fmt.Errorf("%s: tx %s: %w", what, tx.Hash().Hex(), ErrTxFailed)
	}
	return nil
}
