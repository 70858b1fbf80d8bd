package protocoltest

import (
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Delegator is BondingManager.getDelegator's result.
type Delegator struct {
	BondedAmount, Fees, DelegatedAmount, StartRound, LastClaimRound, NextUnbondingLockId *big.Int
	DelegateAddress                                                                      common.Address
}

// Delegator reads addr's delegator record.
func (c *Chain) Delegator(addr common.Address) Delegator {
	c.t.Helper()
	d, err := c.BondingManager.GetDelegator(c.Call(), addr)
	if err != nil {
		c.t.Fatalf("getDelegator(%s): %v", addr.Hex(), err)
	}
	return Delegator{
		BondedAmount: d.BondedAmount, Fees: d.Fees, DelegatedAmount: d.DelegatedAmount,
		StartRound: d.StartRound, LastClaimRound: d.LastClaimRound, NextUnbondingLockId: d.NextUnbondingLockId,
		DelegateAddress: d.DelegateAddress,
	}
}

// Bond approves amount LPT wei to the BondingManager and bonds it from a to to.
func (c *Chain) Bond(a *Account, amount *big.Int, to common.Address) (*types.Receipt, error) {
	if amount.Sign() > 0 {
		if _, err := c.Tx(a, func(o *bind.TransactOpts) (*types.Transaction, error) {
			return c.Token.Approve(o, c.Addr.BondingManager, amount)
		}); err != nil {
			return nil, err
		}
	}
	return c.Tx(a, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return c.BondingManager.Bond(o, amount, to)
	})
}

// MustBond is Bond that fails the test on error.
func (c *Chain) MustBond(a *Account, amount *big.Int, to common.Address) *types.Receipt {
	c.t.Helper()
	rcpt, err := c.Bond(a, amount, to)
	if err != nil {
		c.t.Fatalf("bond %v from %s to %s: %v", amount, a.Addr.Hex(), to.Hex(), err)
	}
	return rcpt
}

// BalanceOf is a's LPT balance.
func (c *Chain) BalanceOf(addr common.Address) *big.Int {
	c.t.Helper()
	b, err := c.Token.BalanceOf(c.Call(), addr)
	if err != nil {
		c.t.Fatalf("balanceOf(%s): %v", addr.Hex(), err)
	}
	return b
}

// Big reads a *big.Int view, failing the test on error.
func (c *Chain) Big(what string, get func(*bind.CallOpts) (*big.Int, error)) *big.Int {
	c.t.Helper()
	v, err := get(c.Call())
	if err != nil {
		c.t.Fatalf("%s: %v", what, err)
	}
	return v
}
