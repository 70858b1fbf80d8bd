package stake

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/opkit-dev/opkit/staking/chain"
)

// Status is an account's stake as `opkit stake status` shows it.
type Status struct {
	Account        common.Address        `json:"account"`
	Block          uint64                `json:"block"`
	Round          chain.RoundInfo       `json:"round"`
	Balances       chain.Balances        `json:"balances"`
	Delegator      chain.DelegatorInfo   `json:"delegator"`
	PendingStake   *big.Int              `json:"pending_stake"`
	Transcoder     chain.TranscoderInfo  `json:"transcoder"`
	UnbondingLocks []chain.UnbondingLock `json:"unbonding_locks"`
}

// HeadReader reads a block header; nil reads the head.
type HeadReader interface {
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
}

// ReadStatus reads everything at one block, so the parts agree.
func ReadStatus(ctx context.Context, head HeadReader, client *chain.Client, addr common.Address) (*Status, error) {
	h, err := head.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("read head: %w", err)
	}
	cl := client.AtBlock(h.Number)
	st := &Status{Account: addr, Block: h.Number.Uint64()}
	if st.Round, err = cl.Round(ctx); err != nil {
		return nil, err
	}
	if st.Balances, err = cl.Balances(ctx, addr); err != nil {
		return nil, err
	}
	if st.Delegator, err = cl.Delegator(ctx, addr); err != nil {
		return nil, err
	}
	if st.PendingStake, err = cl.PendingStake(ctx, addr, st.Round.Current); err != nil {
		return nil, err
	}
	if st.Transcoder, err = cl.Transcoder(ctx, addr); err != nil {
		return nil, err
	}
	if st.UnbondingLocks, err = cl.UnbondingLocks(ctx, addr, st.Delegator.NextUnbondingLockID); err != nil {
		return nil, err
	}
	if st.UnbondingLocks == nil {
		st.UnbondingLocks = []chain.UnbondingLock{}
	}
	return st, nil
}
