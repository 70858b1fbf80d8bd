package stake

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/opkit-dev/opkit/staking/amount"
	"github.com/opkit-dev/opkit/staking/chain"
	"github.com/opkit-dev/opkit/staking/txmgr"
)

// Register registers the account as a transcoder, or updates its rates
// (reward cut and fee share in ppm), and sets its price per segment when
// price is set. Each step is checked against the chain first and skipped
// when already done, so a run that failed halfway can simply be run again.
// Rate changes, and a price going up, revert during the round's lock
// period: the plan NeedsUnlocked then.
func (a Account) Register(ctx context.Context, rewardCut, feeShare uint64, price *big.Int) (Plan, error) {
	var p Plan
	if _, err := a.writableRound(ctx); err != nil {
		return p, err
	}
	if price != nil && !a.Client.HasJobsManager() {
		return p, fmt.Errorf("--price: %w", chain.ErrNoJobsManager)
	}
	d, err := a.Client.Delegator(ctx, a.From)
	if err != nil {
		return p, err
	}
	if d.DelegateAddress != a.From || d.BondedAmount.Sign() == 0 {
		return p, fmt.Errorf("%w: a transcoder must be bonded to itself: run `opkit stake bond --amount LPT` first", ErrPrecondition)
	}
	t, err := a.Client.Transcoder(ctx, a.From)
	if err != nil {
		return p, err
	}
	if t.Registered && t.RewardCut == rewardCut && t.FeeShare == feeShare {
		p.Skipped = append(p.Skipped, Skip{Label: txmgr.LabelTranscoder, Why: fmt.Sprintf("already registered with reward cut %s%% and fee share %s%%",
			percent(rewardCut), percent(feeShare))})
	} else {
		reg, err := a.Client.RegisterTranscoder(rewardCut, feeShare)
		if err != nil {
			return p, err
		}
		p.Txs = append(p.Txs, reg)
		p.NeedsUnlocked = true
	}
	if price == nil {
		return p, nil
	}
	if t.PricePerSegment != nil && t.PricePerSegment.Cmp(price) == 0 {
		p.Skipped = append(p.Skipped, Skip{Label: txmgr.LabelSetPrice, Why: fmt.Sprintf("price already %s wei/segment", price)})
		return p, nil
	}
	set, err := a.Client.SetPricePerSegment(price)
	if err != nil {
		return p, err
	}
	p.Txs = append(p.Txs, set)
	if t.PricePerSegment == nil || price.Cmp(t.PricePerSegment) > 0 {
		p.NeedsUnlocked = true // a price may only go down during the lock period
	}
	return p, nil
}

func percent(ppm uint64) string {
	return amount.FormatDecimal(new(big.Int).SetUint64(ppm), amount.PercentDecimals)
}

// WithdrawFees pays out wei of the account's earned fees to recipient; nil
// wei is all of them. An amount above the fees is not checked here: the
// BondingManager's revert says so.
func (a Account) WithdrawFees(ctx context.Context, wei *big.Int, recipient common.Address) (Plan, error) {
	r, err := a.writableRound(ctx)
	if err != nil {
		return Plan{}, err
	}
	if wei == nil {
		if wei, err = a.Client.PendingFees(ctx, a.From, r.Current); err != nil {
			return Plan{}, err
		}
		if wei.Sign() == 0 {
			return Plan{}, fmt.Errorf("%w: %s has no fees to withdraw", ErrPrecondition, a.From)
		}
	}
	return Txs(one(a.Client.WithdrawFees(recipient, wei)))
}

func one(c txmgr.Candidate, err error) ([]txmgr.Candidate, error) {
	if err != nil {
		return nil, err
	}
	return []txmgr.Candidate{c}, nil
}
