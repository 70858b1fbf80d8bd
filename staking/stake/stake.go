// Package stake owns an operator account's stake operations on the
// protocol: its status, read at one block, and bond, unbond, rebond,
// withdraw, claim earnings and register. Each operation first checks on
// chain what the BondingManager would revert on (ErrPrecondition: nothing
// is sent) and then returns the transactions to send, in order.
package stake

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/opkit-dev/opkit/staking/amount"
	"github.com/opkit-dev/opkit/staking/chain"
	"github.com/opkit-dev/opkit/staking/txmgr"
)

// ErrPrecondition is wrapped when a write would revert on chain; nothing was
// sent.
var ErrPrecondition = errors.New("not possible now")

// Account is the account the writes are for.
type Account struct {
	Client *chain.Client
	From   common.Address
}

// writableRound checks what every BondingManager write requires.
func (a Account) writableRound(ctx context.Context) (chain.RoundInfo, error) {
	if paused, err := a.Client.Paused(ctx); err != nil {
		return chain.RoundInfo{}, err
	} else if paused {
		return chain.RoundInfo{}, fmt.Errorf("%w: the protocol is paused", ErrPrecondition)
	}
	r, err := a.Client.Round(ctx)
	if err != nil {
		return r, err
	}
	if !r.Initialized {
		return r, fmt.Errorf("%w: %w: round %d is not initialized yet (--initialize-round calls initializeRound first, "+
			"--wait waits for another account or the reward daemon to)", ErrPrecondition, ErrRoundNotInitialized, r.Current)
	}
	return r, nil
}

// writableDelegator is writableRound, then the account's delegator state.
func (a Account) writableDelegator(ctx context.Context) (chain.RoundInfo, chain.DelegatorInfo, error) {
	r, err := a.writableRound(ctx)
	if err != nil {
		return r, chain.DelegatorInfo{}, err
	}
	d, err := a.Client.Delegator(ctx, a.From)
	return r, d, err
}

// Bond bonds lpt LPT to the transcoder to (0 moves an existing bond),
// approving the BondingManager first when its allowance is short.
func (a Account) Bond(ctx context.Context, lpt *big.Int, to common.Address) ([]txmgr.Candidate, error) {
	if _, err := a.writableRound(ctx); err != nil {
		return nil, err
	}
	bal, err := a.Client.Balances(ctx, a.From)
	if err != nil {
		return nil, err
	}
	if bal.LPT.Cmp(lpt) < 0 {
		return nil, fmt.Errorf("%w: bond %s LPT, but %s holds %s LPT", ErrPrecondition, amount.FormatLPT(lpt), a.From, amount.FormatLPT(bal.LPT))
	}
	var cands []txmgr.Candidate
	if lpt.Sign() > 0 && bal.Allowance.Cmp(lpt) < 0 {
		// bond pulls the tokens with transferFrom from the BondingManager.
		approve, err := a.Client.ApproveBonding(lpt)
		if err != nil {
			return nil, err
		}
		cands = append(cands, approve)
	}
	bond, err := a.Client.Bond(lpt, to)
	if err != nil {
		return nil, err
	}
	return append(cands, bond), nil
}

// Unbond unbonds lpt LPT into an unbonding lock.
func (a Account) Unbond(ctx context.Context, lpt *big.Int) ([]txmgr.Candidate, error) {
	_, d, err := a.writableDelegator(ctx)
	if err != nil {
		return nil, err
	}
	if d.BondedAmount.Cmp(lpt) < 0 {
		return nil, fmt.Errorf("%w: unbond %s LPT, but only %s LPT is bonded", ErrPrecondition, amount.FormatLPT(lpt), amount.FormatLPT(d.BondedAmount))
	}
	cand, err := a.Client.Unbond(lpt)
	if err != nil {
		return nil, err
	}
	return []txmgr.Candidate{cand}, nil
}

// Rebond bonds unbonding lock id's LPT again.
func (a Account) Rebond(ctx context.Context, id uint64) ([]txmgr.Candidate, error) {
	return a.lockWrite(ctx, id, (*chain.Client).Rebond, false)
}

// Withdraw withdraws unbonding lock id's LPT once its withdraw round has
// come.
func (a Account) Withdraw(ctx context.Context, id uint64) ([]txmgr.Candidate, error) {
	return a.lockWrite(ctx, id, (*chain.Client).WithdrawStake, true)
}

// lockWrite checks the lock exists (and, for withdraw, that its round has
// come), then builds build(lock).
func (a Account) lockWrite(ctx context.Context, id uint64, build func(*chain.Client, uint64) (txmgr.Candidate, error), needWithdrawable bool) ([]txmgr.Candidate, error) {
	r, d, err := a.writableDelegator(ctx)
	if err != nil {
		return nil, err
	}
	locks, err := a.Client.UnbondingLocks(ctx, a.From, d.NextUnbondingLockID)
	if err != nil {
		return nil, err
	}
	var lock *chain.UnbondingLock
	for i := range locks {
		if locks[i].ID == id {
			lock = &locks[i]
		}
	}
	if lock == nil {
		return nil, fmt.Errorf("%w: %s has no open unbonding lock %d", ErrPrecondition, a.From, id)
	}
	if needWithdrawable && lock.WithdrawRound > r.Current {
		return nil, fmt.Errorf("%w: lock %d is withdrawable from round %d; this is round %d", ErrPrecondition, id, lock.WithdrawRound, r.Current)
	}
	cand, err := build(a.Client, id)
	if err != nil {
		return nil, err
	}
	return []txmgr.Candidate{cand}, nil
}

// Claim claims rewards and fees into the bond up to round end (0: the
// current round).
func (a Account) Claim(ctx context.Context, end uint64) ([]txmgr.Candidate, error) {
	r, err := a.writableRound(ctx)
	if err != nil {
		return nil, err
	}
	if end == 0 {
		end = r.Current
	}
	if end > r.Current {
		return nil, fmt.Errorf("%w: --end-round %d is after the current round %d", ErrPrecondition, end, r.Current)
	}
	cand, err := a.Client.ClaimEarnings(end)
	if err != nil {
		return nil, err
	}
	return []txmgr.Candidate{cand}, nil
}
