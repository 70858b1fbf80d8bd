package chain

import (
	"context"

	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"

	"github.com/opkit-dev/opkit/contracts/bindings"
	"github.com/opkit-dev/opkit/staking/txmgr"
)

// PPM is 100% in the contracts' parts-per-million percentages.
const PPM = 1_000_000

func pack(meta *bind.MetaData, to common.Address, label, method string, args ...any) (txmgr.Candidate, error) {
	a, err := meta.GetAbi()
	if err != nil {
		return txmgr.Candidate{}, fmt.Errorf("chain: abi for %s: %w", method, err)
	}
	return packABI(a, to, label, method, args...)
}

func packABI(a *abi.ABI, to common.Address, label, method string, args ...any) (txmgr.Candidate, error) {
	data, err := a.Pack(method, args...)
	if err != nil {
		return txmgr.Candidate{}, fmt.Errorf("chain: encode %s: %w", method, err)
	}
	return txmgr.Candidate{To: &to, Data: data, Label: label}, nil
}

func positive(what string, v *big.Int) error {
	if v == nil || v.Sign() <= 0 {
		return fmt.Errorf("chain: %s must be above zero", what)
	}
	return nil
}

// Reward is BondingManager.reward().
func (c *Client) Reward() (txmgr.Candidate, error) {
	return pack(bindings.BondingManagerMetaData, c.addrs.BondingManager, txmgr.LabelReward, "reward")
}

// InitializeRound is RoundsManager.initializeRound().
func (c *Client) InitializeRound() (txmgr.Candidate, error) {
	return pack(bindings.RoundsManagerMetaData, c.addrs.RoundsManager, txmgr.LabelInitializeRound, "initializeRound")
}

// ApproveBonding is LivepeerToken.approve(BondingManager, amount): bond
// pulls the tokens with transferFrom, so it must come first.
func (c *Client) ApproveBonding(amount *big.Int) (txmgr.Candidate, error) {
	if amount == nil || amount.Sign() < 0 {
		return txmgr.Candidate{}, fmt.Errorf("chain: approve amount must not be negative")
	}
	return pack(bindings.LivepeerTokenMetaData, c.addrs.Token, txmgr.LabelApprove, "approve", c.addrs.BondingManager, amount)
}

// Bond is BondingManager.bond(amount, to). amount may be zero to move an
// existing bond to another delegate.
func (c *Client) Bond(amount *big.Int, to common.Address) (txmgr.Candidate, error) {
	if amount == nil || amount.Sign() < 0 {
		return txmgr.Candidate{}, fmt.Errorf("chain: bond amount must not be negative")
	}
	if to == (common.Address{}) {
		return txmgr.Candidate{}, fmt.Errorf("chain: bond to the zero address")
	}
	return pack(bindings.BondingManagerMetaData, c.addrs.BondingManager, txmgr.LabelBond, "bond", amount, to)
}

// Unbond is BondingManager.unbond(amount).
func (c *Client) Unbond(amount *big.Int) (txmgr.Candidate, error) {
	if err := positive("unbond amount", amount); err != nil {
		return txmgr.Candidate{}, err
	}
	return pack(bindings.BondingManagerMetaData, c.addrs.BondingManager, txmgr.LabelUnbond, "unbond", amount)
}

// Rebond is BondingManager.rebond(lockID).
func (c *Client) Rebond(lockID uint64) (txmgr.Candidate, error) {
	return pack(bindings.BondingManagerMetaData, c.addrs.BondingManager, txmgr.LabelRebond, "rebond", new(big.Int).SetUint64(lockID))
}

// WithdrawStake is BondingManager.withdrawStake(lockID).
func (c *Client) WithdrawStake(lockID uint64) (txmgr.Candidate, error) {
	return pack(bindings.BondingManagerMetaData, c.addrs.BondingManager, txmgr.LabelWithdrawStake, "withdrawStake", new(big.Int).SetUint64(lockID))
}

// ClaimEarnings is BondingManager.claimEarnings(endRound).
func (c *Client) ClaimEarnings(endRound uint64) (txmgr.Candidate, error) {
	return pack(bindings.BondingManagerMetaData, c.addrs.BondingManager, txmgr.LabelClaimEarnings, "claimEarnings", new(big.Int).SetUint64(endRound))
}

// RegisterTranscoder is BondingManager.transcoder(rewardCut, feeShare), both
// in ppm: it registers the caller or updates its rates.
func (c *Client) RegisterTranscoder(rewardCut, feeShare uint64) (txmgr.Candidate, error) {
	if rewardCut > PPM || feeShare > PPM {
		return txmgr.Candidate{}, fmt.Errorf("chain: reward cut %d and fee share %d ppm must be at most %d", rewardCut, feeShare, PPM)
	}
	return pack(bindings.BondingManagerMetaData, c.addrs.BondingManager, txmgr.LabelTranscoder, "transcoder",
		new(big.Int).SetUint64(rewardCut), new(big.Int).SetUint64(feeShare))
}

// SetPricePerSegment is JobsManager.setPricePerSegment(price), in wei.
// Extension: fails with ErrNoJobsManager on the live network.
func (c *Client) SetPricePerSegment(price *big.Int) (txmgr.Candidate, error) {
	if c.jobs == nil {
		return txmgr.Candidate{}, ErrNoJobsManager
	}
	if err := positive("price per segment", price); err != nil {
		return txmgr.Candidate{}, err
	}
	return pack(bindings.JobsManagerMetaData, c.addrs.JobsManager, txmgr.LabelSetPrice, "setPricePerSegment", price)
}

// WithdrawFees is BondingManager.withdrawFees(recipient, amount): pays out
// amount wei of the caller's claimed fees.
func (c *Client) WithdrawFees(recipient common.Address, amount *big.Int) (txmgr.Candidate, error) {
	if recipient == (common.Address{}) {
		return txmgr.Candidate{}, fmt.Errorf("chain: withdraw fees to the zero address")
	}
	if err := positive("fee amount", amount); err != nil {
		return txmgr.Candidate{}, err
	}
	return pack(bindings.BondingManagerMetaData, c.addrs.BondingManager, txmgr.LabelWithdrawFees, "withdrawFees", recipient, amount)
}

// PendingFees is BondingManager.pendingFees(addr, endRound): the fees, in
// wei, that withdrawFees can pay out to addr (claimed and unclaimed through
// endRound). It is here, with WithdrawFees, because only that write needs it.
func (c *Client) PendingFees(ctx context.Context, addr common.Address, endRound uint64) (*big.Int, error) {
	v, err := c.bonding.PendingFees(c.opts(ctx), addr, new(big.Int).SetUint64(endRound))
	if err != nil {
		return nil, fmt.Errorf("chain: pendingFees(%s, %d): %w", addr, endRound, err)
	}
	return v, nil
}
