// Package chain is the operator's typed view of the protocol contracts. It
// resolves their addresses through the Controller, reads round, transcoder,
// delegator and balance state, and builds the calldata of the writes the
// operator sends through the transaction manager (package txmgr).
//
// Every call it makes is in the chain interface shared with the live Livepeer
// network, so the same client serves both, except those marked as extensions:
// they touch the JobsManager, which the live network lacks, and fail with
// ErrNoJobsManager there.
package chain

import (
	"context"
	"errors"
	"fmt"
	"github.com/opkit-dev/opkit/contracts"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"

	"github.com/opkit-dev/opkit/contracts/bindings"
)

// Backend is what the client needs from a JSON-RPC client: contract calls
// and ETH balances. *ethclient.Client satisfies it.
type Backend interface {
	bind.ContractCaller
	BalanceAt(ctx context.Context, account common.Address, blockNumber *big.Int) (*big.Int, error)
}

// Errors callers act on.
var (
	// ErrNoContract is returned when the Controller has no address, or the
	// address has no code, for a contract the client needs.
	ErrNoContract = errors.New("chain: contract not deployed")
	// ErrNoJobsManager is returned by extension calls on a chain without a
	// JobsManager (the live network).
	ErrNoJobsManager = errors.New("chain: no JobsManager on this chain (extension call)")
)

// Addresses of the protocol contracts. JobsManager is zero on the live
// network.
type Addresses struct {
	Controller     common.Address `json:"controller"`
	BondingManager common.Address `json:"bonding_manager"`
	RoundsManager  common.Address `json:"rounds_manager"`
	Minter         common.Address `json:"minter"`
	Token          common.Address `json:"token"`
	JobsManager    common.Address `json:"jobs_manager,omitempty"`
	Verifier       common.Address `json:"verifier,omitempty"` // with the JobsManager
}

// Client reads protocol state and builds protocol writes.
type Client struct {
	backend Backend
	addrs   Addresses
	block   *big.Int // pinned block for reads; nil is latest

	controller *bindings.ControllerCaller
	bonding    *bindings.BondingManagerCaller
	rounds     *bindings.RoundsManagerCaller
	minter     *bindings.MinterCaller
	token      *bindings.LivepeerTokenCaller
	jobs       *bindings.JobsManagerCaller // nil without a JobsManager
}

// Dial resolves the protocol's addresses from the Controller at controller
// and checks that each holds code.
func Dial(ctx context.Context, backend Backend, controller common.Address) (*Client, error) {
	ctrl, err := bindings.NewControllerCaller(controller, backend)
	if err != nil {
		return nil, fmt.Errorf("chain: bind Controller: %w", err)
	}
	if err := hasCode(ctx, backend, "Controller", controller); err != nil {
		return nil, err
	}
	a := Addresses{Controller: controller}
	opts := &bind.CallOpts{Context: ctx}
	for _, r := range []struct {
		name     string
		dst      *common.Address
		optional bool
	}{
		{contracts.NameBondingManager, &a.BondingManager, false},
		{contracts.NameRoundsManager, &a.RoundsManager, false},
		{contracts.NameMinter, &a.Minter, false},
		{contracts.NameLivepeerToken, &a.Token, false},
		{contracts.NameJobsManager, &a.JobsManager, true},
		{contracts.NameVerifier, &a.Verifier, true},
	} {
		addr, err := ctrl.GetContract(opts, contracts.ContractID(r.name))
		if err != nil {
			return nil, fmt.Errorf("chain: Controller.getContract(%s): %w", r.name, err)
		}
		if addr == (common.Address{}) {
			if r.optional {
				continue
			}
			return nil, fmt.Errorf("%w: Controller %s has no %s", ErrNoContract, controller, r.name)
		}
		if err := hasCode(ctx, backend, r.name, addr); err != nil {
			return nil, err
		}
		*r.dst = addr
	}
	return New(backend, a)
}

func hasCode(ctx context.Context, backend Backend, name string, addr common.Address) error {
	code, err := backend.CodeAt(ctx, addr, nil)
	if err != nil {
		return fmt.Errorf("chain: code of %s at %s: %w", name, addr, err)
	}
	if len(code) == 0 {
		return fmt.Errorf("%w: no code for %s at %s (wrong --controller or chain?)", ErrNoContract, name, addr)
	}
	return nil
}

// New binds known addresses without resolving or checking them.
func New(backend Backend, a Addresses) (*Client, error) {
	c := &Client{backend: backend, addrs: a}
	var errs []error
	var err error
	c.controller, err = bindings.NewControllerCaller(a.Controller, backend)
	errs = append(errs, err)
	c.bonding, err = bindings.NewBondingManagerCaller(a.BondingManager, backend)
	errs = append(errs, err)
	c.rounds, err = bindings.NewRoundsManagerCaller(a.RoundsManager, backend)
	errs = append(errs, err)
	c.minter, err = bindings.NewMinterCaller(a.Minter, backend)
	errs = append(errs, err)
	c.token, err = bindings.NewLivepeerTokenCaller(a.Token, backend)
	errs = append(errs, err)
	if a.JobsManager != (common.Address{}) {
		c.jobs, err = bindings.NewJobsManagerCaller(a.JobsManager, backend)
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("chain: bind: %w", err)
	}
	return c, nil
}

// Addresses returns the resolved contract addresses.
func (c *Client) Addresses() Addresses { return c.addrs }

// HasJobsManager reports whether extension calls are available.
func (c *Client) HasJobsManager() bool { return c.jobs != nil }

// AtBlock returns a client whose reads are all made at block n, so that
// several reads see one state. nil means the latest block.
func (c *Client) AtBlock(n *big.Int) *Client {
	cp := *c
	if n != nil {
		cp.block = new(big.Int).Set(n)
	} else {
		cp.block = nil
	}
	return &cp
}

func (c *Client) opts(ctx context.Context) *bind.CallOpts {
	return &bind.CallOpts{Context: ctx, BlockNumber: c.block}
}
