package chain

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
)

// RoundInfo is the RoundsManager's view of the current round.
type RoundInfo struct {
	Current         uint64 `json:"current"`
	Initialized     bool   `json:"initialized"`
	Locked          bool   `json:"locked"`
	StartBlock      uint64 `json:"start_block"`
	Length          uint64 `json:"length"` // blocks
	LastInitialized uint64 `json:"last_initialized"`
}

// EndBlock is the first block of the next round.
func (r RoundInfo) EndBlock() uint64 { return r.StartBlock + r.Length }

// Round reads the current round.
func (c *Client) Round(ctx context.Context) (RoundInfo, error) {
	o := c.opts(ctx)
	var r RoundInfo
	var err error
	if r.Current, err = u64(c.rounds.CurrentRound(o)); err != nil {
		return r, fmt.Errorf("chain: currentRound: %w", err)
	}
	if r.Initialized, err = c.rounds.CurrentRoundInitialized(o); err != nil {
		return r, fmt.Errorf("chain: currentRoundInitialized: %w", err)
	}
	if r.Locked, err = c.rounds.CurrentRoundLocked(o); err != nil {
		return r, fmt.Errorf("chain: currentRoundLocked: %w", err)
	}
	if r.StartBlock, err = u64(c.rounds.CurrentRoundStartBlock(o)); err != nil {
		return r, fmt.Errorf("chain: currentRoundStartBlock: %w", err)
	}
	if r.Length, err = u64(c.rounds.RoundLength(o)); err != nil {
		return r, fmt.Errorf("chain: roundLength: %w", err)
	}
	if r.LastInitialized, err = u64(c.rounds.LastInitializedRound(o)); err != nil {
		return r, fmt.Errorf("chain: lastInitializedRound: %w", err)
	}
	return r, nil
}

// TranscoderStatus is BondingManager.transcoderStatus.
type TranscoderStatus uint8

const (
	TranscoderNotRegistered TranscoderStatus = 0
	TranscoderRegistered    TranscoderStatus = 1
)

func (s TranscoderStatus) String() string {
	switch s {
	case TranscoderNotRegistered:
		return "not_registered"
	case TranscoderRegistered:
		return "registered"
	}
	return fmt.Sprintf("status_%d", uint8(s))
}

// MarshalText makes the status readable in JSON output.
func (s TranscoderStatus) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads what MarshalText wrote.
func (s *TranscoderStatus) UnmarshalText(b []byte) error {
	return unmarshalStatus(b, (*uint8)(s), func(v uint8) string { return TranscoderStatus(v).String() })
}

// TranscoderInfo is what the operator needs about a transcoder. RewardCut
// and FeeShare are parts per million.
type TranscoderInfo struct {
	Address           common.Address   `json:"address"`
	Status            TranscoderStatus `json:"status"`
	Registered        bool             `json:"registered"`
	Active            bool             `json:"active"`
	LastRewardRound   uint64           `json:"last_reward_round"`
	RewardCut         uint64           `json:"reward_cut_ppm"`
	FeeShare          uint64           `json:"fee_share_ppm"`
	ActivationRound   uint64           `json:"activation_round"`
	DeactivationRound *big.Int         `json:"deactivation_round"` // may be 2^256-1 ("never")
	TotalStake        *big.Int         `json:"total_stake"`
	// PricePerSegment is read from the JobsManager (extension); nil without one.
	PricePerSegment *big.Int `json:"price_per_segment,omitempty"`
}

// Transcoder reads addr's transcoder record.
func (c *Client) Transcoder(ctx context.Context, addr common.Address) (TranscoderInfo, error) {
	o := c.opts(ctx)
	t := TranscoderInfo{Address: addr}
	rec, err := c.bonding.GetTranscoder(o, addr)
	if err != nil {
		return t, fmt.Errorf("chain: getTranscoder(%s): %w", addr, err)
	}
	for _, f := range []struct {
		dst *uint64
		v   *big.Int
	}{{&t.LastRewardRound, rec.LastRewardRound}, {&t.RewardCut, rec.RewardCut}, {&t.FeeShare, rec.FeeShare}, {&t.ActivationRound, rec.ActivationRound}} {
		if *f.dst, err = u64(f.v, nil); err != nil {
			return t, fmt.Errorf("chain: getTranscoder(%s): %w", addr, err)
		}
	}
	t.DeactivationRound = rec.DeactivationRound
	status, err := c.bonding.TranscoderStatus(o, addr)
	if err != nil {
		return t, fmt.Errorf("chain: transcoderStatus(%s): %w", addr, err)
	}
	t.Status = TranscoderStatus(status)
	if t.Registered, err = c.bonding.IsRegisteredTranscoder(o, addr); err != nil {
		return t, fmt.Errorf("chain: isRegisteredTranscoder(%s): %w", addr, err)
	}
	if t.Active, err = c.bonding.IsActiveTranscoder(o, addr); err != nil {
		return t, fmt.Errorf("chain: isActiveTranscoder(%s): %w", addr, err)
	}
	if t.TotalStake, err = c.bonding.TranscoderTotalStake(o, addr); err != nil {
		return t, fmt.Errorf("chain: transcoderTotalStake(%s): %w", addr, err)
	}
	if c.jobs != nil {
		if t.PricePerSegment, err = c.jobs.TranscoderPricePerSegment(o, addr); err != nil {
			return t, fmt.Errorf("chain: transcoderPricePerSegment(%s): %w", addr, err)
		}
	}
	return t, nil
}

// DelegatorStatus is BondingManager.delegatorStatus. Values 0-2 mean what
// they mean on the live network.
type DelegatorStatus uint8

const (
	DelegatorPending   DelegatorStatus = 0
	DelegatorBonded    DelegatorStatus = 1
	DelegatorUnbonded  DelegatorStatus = 2
	DelegatorUnbonding DelegatorStatus = 3 // opkit contracts only
)

func (s DelegatorStatus) String() string {
	switch s {
	case DelegatorPending:
		return "pending"
	case DelegatorBonded:
		return "bonded"
	case DelegatorUnbonded:
		return "unbonded"
	case DelegatorUnbonding:
		return "unbonding"
	}
	return fmt.Sprintf("status_%d", uint8(s))
}

// MarshalText makes the status readable in JSON output.
func (s DelegatorStatus) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads what MarshalText wrote.
func (s *DelegatorStatus) UnmarshalText(b []byte) error {
	return unmarshalStatus(b, (*uint8)(s), func(v uint8) string { return DelegatorStatus(v).String() })
}

// unmarshalStatus finds the value whose name is b.
func unmarshalStatus(b []byte, dst *uint8, name func(uint8) string) error {
	for v := 0; v <= 255; v++ {
		if name(uint8(v)) == string(b) {
			*dst = uint8(v)
			return nil
		}
	}
	return fmt.Errorf("chain: unknown status %q", b)
}

// DelegatorInfo is addr's delegator record. Amounts are LPT wei.
type DelegatorInfo struct {
	Address             common.Address  `json:"address"`
	Status              DelegatorStatus `json:"status"`
	BondedAmount        *big.Int        `json:"bonded_amount"`
	Fees                *big.Int        `json:"fees"`
	DelegateAddress     common.Address  `json:"delegate"`
	DelegatedAmount     *big.Int        `json:"delegated_amount"`
	StartRound          uint64          `json:"start_round"`
	LastClaimRound      uint64          `json:"last_claim_round"`
	NextUnbondingLockID uint64          `json:"next_unbonding_lock_id"`
}

// Delegator reads addr's delegator record.
func (c *Client) Delegator(ctx context.Context, addr common.Address) (DelegatorInfo, error) {
	o := c.opts(ctx)
	d := DelegatorInfo{Address: addr}
	rec, err := c.bonding.GetDelegator(o, addr)
	if err != nil {
		return d, fmt.Errorf("chain: getDelegator(%s): %w", addr, err)
	}
	d.BondedAmount, d.Fees, d.DelegateAddress, d.DelegatedAmount =
		rec.BondedAmount, rec.Fees, rec.DelegateAddress, rec.DelegatedAmount
	for _, f := range []struct {
		dst *uint64
		v   *big.Int
	}{{&d.StartRound, rec.StartRound}, {&d.LastClaimRound, rec.LastClaimRound}, {&d.NextUnbondingLockID, rec.NextUnbondingLockId}} {
		if *f.dst, err = u64(f.v, nil); err != nil {
			return d, fmt.Errorf("chain: getDelegator(%s): %w", addr, err)
		}
	}
	status, err := c.bonding.DelegatorStatus(o, addr)
	if err != nil {
		return d, fmt.Errorf("chain: delegatorStatus(%s): %w", addr, err)
	}
	d.Status = DelegatorStatus(status)
	return d, nil
}

// UnbondingLock is an unbond waiting to be withdrawn or rebonded.
type UnbondingLock struct {
	ID            uint64   `json:"id"`
	Amount        *big.Int `json:"amount"`
	WithdrawRound uint64   `json:"withdraw_round"`
}

// UnbondingLocks reads addr's open unbonding locks: those with an amount
// (withdrawn and rebonded locks are cleared on chain).
func (c *Client) UnbondingLocks(ctx context.Context, addr common.Address, next uint64) ([]UnbondingLock, error) {
	o := c.opts(ctx)
	var out []UnbondingLock
	for id := range next {
		l, err := c.bonding.GetDelegatorUnbondingLock(o, addr, new(big.Int).SetUint64(id))
		if err != nil {
			return nil, fmt.Errorf("chain: getDelegatorUnbondingLock(%s, %d): %w", addr, id, err)
		}
		if l.Amount.Sign() == 0 {
			continue
		}
		wr, err := u64(l.WithdrawRound, nil)
		if err != nil {
			return nil, fmt.Errorf("chain: unbonding lock %d: %w", id, err)
		}
		out = append(out, UnbondingLock{ID: id, Amount: l.Amount, WithdrawRound: wr})
	}
	return out, nil
}

// PendingStake is addr's stake including rewards not yet claimed, up to
// endRound.
func (c *Client) PendingStake(ctx context.Context, addr common.Address, endRound uint64) (*big.Int, error) {
	v, err := c.bonding.PendingStake(c.opts(ctx), addr, new(big.Int).SetUint64(endRound))
	if err != nil {
		return nil, fmt.Errorf("chain: pendingStake(%s, %d): %w", addr, endRound, err)
	}
	return v, nil
}

// Balances of an account: ETH (wei), LPT (wei), and the LPT the
// BondingManager may pull from it (allowance).
type Balances struct {
	ETH       *big.Int `json:"eth"`
	LPT       *big.Int `json:"lpt"`
	Allowance *big.Int `json:"bonding_allowance"`
}

// Balances reads addr's balances.
func (c *Client) Balances(ctx context.Context, addr common.Address) (Balances, error) {
	o := c.opts(ctx)
	var b Balances
	var err error
	if b.ETH, err = c.backend.BalanceAt(ctx, addr, c.block); err != nil {
		return b, fmt.Errorf("chain: balance of %s: %w", addr, err)
	}
	if b.LPT, err = c.token.BalanceOf(o, addr); err != nil {
		return b, fmt.Errorf("chain: balanceOf(%s): %w", addr, err)
	}
	if b.Allowance, err = c.token.Allowance(o, addr, c.addrs.BondingManager); err != nil {
		return b, fmt.Errorf("chain: allowance(%s): %w", addr, err)
	}
	return b, nil
}

// Paused reports whether the Controller has paused the protocol.
func (c *Client) Paused(ctx context.Context) (bool, error) {
	p, err := c.controller.Paused(c.opts(ctx))
	if err != nil {
		return false, fmt.Errorf("chain: paused: %w", err)
	}
	return p, nil
}

// MintInfo is the Minter's state for the current round.
type MintInfo struct {
	Mintable  *big.Int `json:"mintable"`
	Minted    *big.Int `json:"minted"`
	Inflation *big.Int `json:"inflation_ppm"` // see the Minter for its precision
}

// Mint reads the Minter.
func (c *Client) Mint(ctx context.Context) (MintInfo, error) {
	o := c.opts(ctx)
	var m MintInfo
	var err error
	if m.Mintable, err = c.minter.CurrentMintableTokens(o); err != nil {
		return m, fmt.Errorf("chain: currentMintableTokens: %w", err)
	}
	if m.Minted, err = c.minter.CurrentMintedTokens(o); err != nil {
		return m, fmt.Errorf("chain: currentMintedTokens: %w", err)
	}
	if m.Inflation, err = c.minter.Inflation(o); err != nil {
		return m, fmt.Errorf("chain: inflation: %w", err)
	}
	return m, nil
}

// u64 converts a uint256 result that must fit a uint64 (rounds, blocks,
// percentages, ids).
func u64(v *big.Int, err error) (uint64, error) {
	if err != nil {
		return 0, err
	}
	if v == nil || !v.IsUint64() {
		return 0, fmt.Errorf("value %v does not fit 64 bits", v)
	}
	return v.Uint64(), nil
}
