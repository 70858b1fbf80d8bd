package chain

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/opkit-dev/opkit/contracts/bindings"
	"github.com/opkit-dev/opkit/staking/txmgr"
)

// RewardHint is where a transcoder will sit in the stake-sorted pool after
// its reward: between Prev (more stake; zero for the head) and Next (less
// stake; zero for the tail).
type RewardHint struct {
	Prev, Next common.Address
	// NewStake is the stake the position was computed for.
	NewStake *big.Int
}

// RewardHint computes addr's place in the pool after its reward for round,
// as the contract will mint it (mintable × round stake / active total
// stake, rounded down). It walks the pool from the head off chain, so the
// transaction pays for none of the walk. A hint made stale by another
// transaction before ours is mined costs reward()'s walk, never correctness.
func (c *Client) RewardHint(ctx context.Context, addr common.Address, round uint64) (RewardHint, error) {
	opts := c.opts(ctx)
	stake, err := c.bonding.TranscoderTotalStake(opts, addr)
	if err != nil {
		return RewardHint{}, fmt.Errorf("chain: read stake of %s: %w", addr, err)
	}
	reward, err := c.expectedReward(ctx, addr, round)
	if err != nil {
		return RewardHint{}, err
	}
	newStake := new(big.Int).Add(stake, reward)
	h := RewardHint{NewStake: newStake}
	cur, err := c.bonding.GetFirstTranscoderInPool(opts)
	if err != nil {
		return RewardHint{}, fmt.Errorf("chain: read the pool's head: %w", err)
	}
	for cur != (common.Address{}) {
		if cur != addr {
			s, err := c.bonding.TranscoderTotalStake(opts, cur)
			if err != nil {
				return RewardHint{}, fmt.Errorf("chain: read stake of %s: %w", cur, err)
			}
			if s.Cmp(newStake) < 0 {
				break
			}
			h.Prev = cur
		}
		if cur, err = c.bonding.GetNextTranscoderInPool(opts, cur); err != nil {
			return RewardHint{}, fmt.Errorf("chain: walk the pool: %w", err)
		}
	}
	h.Next = cur
	return h, nil
}

// expectedReward is what reward() will mint for addr in round.
func (c *Client) expectedReward(ctx context.Context, addr common.Address, round uint64) (*big.Int, error) {
	opts := c.opts(ctx)
	pool, err := c.bonding.GetTranscoderEarningsPoolForRound(opts, addr, new(big.Int).SetUint64(round))
	if err != nil {
		return nil, fmt.Errorf("chain: read earnings pool of %s: %w", addr, err)
	}
	total, err := c.bonding.CurrentRoundTotalActiveStake(opts)
	if err != nil {
		return nil, fmt.Errorf("chain: read the active stake: %w", err)
	}
	mintable, err := c.minter.CurrentMintableTokens(opts)
	if err != nil {
		return nil, fmt.Errorf("chain: read mintable tokens: %w", err)
	}
	if total.Sign() == 0 || pool.TotalStake.Sign() == 0 {
		return new(big.Int), nil
	}
	r := new(big.Int).Mul(mintable, pool.TotalStake)
	return r.Quo(r, total), nil
}

// RewardWithHint is BondingManager.rewardWithHint(prev, next), the live
// network's O(1) reward.
func (c *Client) RewardWithHint(h RewardHint) (txmgr.Candidate, error) {
	return pack(bindings.BondingManagerMetaData, c.addrs.BondingManager, txmgr.LabelReward, "rewardWithHint", h.Prev, h.Next)
}
