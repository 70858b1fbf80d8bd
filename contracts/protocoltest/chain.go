// Package protocoltest runs the opkit protocol contracts on an in-process go-ethereum
// simulated chain, for tests: a deployed protocol, funded accounts, block and round control,
// and transaction helpers that mine and check receipts. Everything runs on a real EVM.
package protocoltest

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"

	"github.com/opkit-dev/opkit/contracts/deploy"
)

// ChainID of go-ethereum's simulated backend.
var ChainID = big.NewInt(1337)

// EtherPerAccount is the genesis ETH balance of every account.
var EtherPerAccount = new(big.Int).Mul(big.NewInt(1_000_000), big.NewInt(1e18))

// Account is a funded key on the chain.
type Account struct {
	Key  *ecdsa.PrivateKey
	Addr common.Address
}

// Opts returns fresh transaction options for the account (nonce and gas filled by the backend).
func (a *Account) Opts() *bind.TransactOpts {
	opts, err := bind.NewKeyedTransactorWithChainID(a.Key, ChainID)
	if err != nil {
		panic(err) // only fails for a nil chain id
	}
	return opts
}

// Chain is a simulated chain with the protocol deployed by Deployer.
type Chain struct {
	t        testing.TB
	Backend  *simulated.Backend
	Client   simulated.Client
	Params   deploy.Params
	Deployer *Account
	Accounts []*Account
	Addr     *deploy.Addresses
	*deploy.Contracts
}

// New starts a chain with nAccounts funded accounts (ETH in genesis, lptEach LPT wei each from
// the deployer) and the protocol deployed with p. The chain is closed at the end of the test.
func New(t testing.TB, p deploy.Params, nAccounts int, lptEach *big.Int) *Chain {
	t.Helper()
	accounts := make([]*Account, nAccounts+1)
	alloc := types.GenesisAlloc{}
	for i := range accounts {
		// Deterministic keys keep failures reproducible.
		key, err := crypto.ToECDSA(crypto.Keccak256([]byte(fmt.Sprintf("opkit protocoltest account %d", i))))
		if err != nil {
			t.Fatalf("key %d: %v", i, err)
		}
		accounts[i] = &Account{Key: key, Addr: crypto.PubkeyToAddress(key.PublicKey)}
		alloc[accounts[i].Addr] = types.Account{Balance: EtherPerAccount}
	}
	backend := simulated.NewBackend(alloc, simulated.WithBlockGasLimit(60_000_000))
	t.Cleanup(func() {
		if err := backend.Close(); err != nil {
			t.Errorf("close simulated backend: %v", err)
		}
	})
	c := &Chain{t: t, Backend: backend, Client: backend.Client(), Params: p, Deployer: accounts[0], Accounts: accounts[1:]}

	ctx := context.Background()
	addr, err := deploy.Deploy(ctx, c.Client, c.Deployer.Opts(), p, backend)
	if err != nil {
		t.Fatalf("deploy: %v", err)
	}
	c.Addr = addr
	if c.Contracts, err = deploy.Bind(addr, c.Client); err != nil {
		t.Fatalf("bind: %v", err)
	}
	if nAccounts > 0 && lptEach != nil && lptEach.Sign() > 0 {
		addrs := make([]common.Address, nAccounts)
		for i, a := range c.Accounts {
			addrs[i] = a.Addr
		}
		if err := deploy.Fund(ctx, c.Client, c.Deployer.Opts(), addr.Token, lptEach, backend, addrs...); err != nil {
			t.Fatalf("fund: %v", err)
		}
	}
	return c
}

// ErrReverted is wrapped by Tx when a transaction is rejected by the EVM.
var ErrReverted = errors.New("reverted")

// Tx sends one transaction from a, mines it, and returns its receipt. A revert (found while
// estimating gas, with its reason, or in the receipt) is returned as an error wrapping ErrReverted.
func (c *Chain) Tx(a *Account, send func(*bind.TransactOpts) (*types.Transaction, error)) (*types.Receipt, error) {
	tx, err := send(a.Opts())
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrReverted, err)
	}
	c.Backend.Commit()
	rcpt, err := c.Client.TransactionReceipt(context.Background(), tx.Hash())
	if err != nil {
		return nil, fmt.Errorf("receipt of %s: %w", tx.Hash().Hex(), err)
	}
	if rcpt.Status != types.ReceiptStatusSuccessful {
		return rcpt, fmt.Errorf("tx %s: %w", tx.Hash().Hex(), ErrReverted)
	}
	return rcpt, nil
}

// MustTx is Tx that fails the test on any error.
func (c *Chain) MustTx(what string, a *Account, send func(*bind.TransactOpts) (*types.Transaction, error)) *types.Receipt {
	c.t.Helper()
	rcpt, err := c.Tx(a, send)
	if err != nil {
		c.t.Fatalf("%s: %v", what, err)
	}
	return rcpt
}

// Call returns read-only call options at the latest block.
func (c *Chain) Call() *bind.CallOpts { return &bind.CallOpts{Context: context.Background()} }

// BlockNumber is the number of the latest mined block.
func (c *Chain) BlockNumber() uint64 {
	c.t.Helper()
	n, err := c.Client.BlockNumber(context.Background())
	if err != nil {
		c.t.Fatalf("block number: %v", err)
	}
	return n
}

// Mine mines n empty blocks.
func (c *Chain) Mine(n uint64) {
	for i := uint64(0); i < n; i++ {
		c.Backend.Commit()
	}
}

// Round is the RoundsManager's current round.
func (c *Chain) Round() uint64 {
	c.t.Helper()
	r, err := c.RoundsManager.CurrentRound(c.Call())
	if err != nil {
		c.t.Fatalf("current round: %v", err)
	}
	return r.Uint64()
}

// NextRound mines blocks until the latest block is the first of the next round, so that the
// next transaction runs in the round's second block. It returns the new round.
func (c *Chain) NextRound() uint64 {
	c.t.Helper()
	start := c.Round()
	for c.Round() == start {
		c.Backend.Commit()
	}
	return c.Round()
}

// InitRound advances to the next round and initializes it from the deployer's account.
func (c *Chain) InitRound() uint64 {
	c.t.Helper()
	r := c.NextRound()
	c.MustTx("initializeRound", c.Deployer, c.RoundsManager.InitializeRound)
	return r
}
