package main

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"

	"github.com/opkit-dev/opkit/contracts/bindings"
	"github.com/opkit-dev/opkit/contracts/devnet"
)

// demoChain reads what the demo reports from the chain itself: the
// contracts' events and views, never the processes' own accounts.
type demoChain struct {
	bm                  *bindings.BondingManager
	jm                  *bindings.JobsManager
	rm                  *bindings.RoundsManagerCaller
	ver                 *bindings.VerifierCaller
	operator, delegator common.Address
}

func newDemoChain(net *devnet.Devnet, operator, delegator common.Address) (*demoChain, error) {
	info, c := net.Info(), net.Client()
	bm, err1 := bindings.NewBondingManager(info.Contracts.BondingManager, c)
	jm, err2 := bindings.NewJobsManager(info.Contracts.JobsManager, c)
	rm, err3 := bindings.NewRoundsManagerCaller(info.Contracts.RoundsManager, c)
	ver, err4 := bindings.NewVerifierCaller(info.Contracts.Verifier, c)
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return nil, fmt.Errorf("bind the protocol: %w", err)
	}
	return &demoChain{bm: bm, jm: jm, rm: rm, ver: ver, operator: operator, delegator: delegator}, nil
}

// setVerificationRate has the Controller's owner (dev account 0, the
// deployer) challenge one segment in rate.
func (c *demoChain) setVerificationRate(ctx context.Context, net *devnet.Devnet, rate int64) error {
	opts, err := bind.NewKeyedTransactorWithChainID(net.Key(0), big.NewInt(devnet.ChainID))
	if err != nil {
		return err
	}
	opts.Context = ctx
	tx, err := c.jm.SetVerificationRate(opts, big.NewInt(rate))
	if err != nil {
		return fmt.Errorf("set the verification rate: %w", err)
	}
	r, err := bind.WaitMined(ctx, net.Client(), tx)
	if err != nil || r.Status != 1 {
		return fmt.Errorf("set the verification rate: %v (receipt %v)", err, r)
	}
	return nil
}

// requests is how many verification requests the Verifier has raised.
func (c *demoChain) requests() (uint64, error) {
	n, err := c.ver.NumRequests(&bind.CallOpts{})
	if err != nil {
		return 0, fmt.Errorf("verification requests: %w", err)
	}
	return n.Uint64(), nil
}

// round is the round of block (nil: the head), by the RoundsManager's
// current rule: the devnet keeps no state of old blocks to ask it then.
func (c *demoChain) round(ctx context.Context, block *big.Int) (uint64, error) {
	opts := &bind.CallOpts{Context: ctx}
	if block == nil {
		r, err := c.rm.CurrentRound(opts)
		if err != nil {
			return 0, fmt.Errorf("current round: %w", err)
		}
		return r.Uint64(), nil
	}
	round, err1 := c.rm.LastRoundLengthUpdateRound(opts)
	start, err2 := c.rm.LastRoundLengthUpdateStartBlock(opts)
	length, err3 := c.rm.RoundLength(opts)
	if err := errors.Join(err1, err2, err3); err != nil {
		return 0, fmt.Errorf("round rule: %w", err)
	}
	if block.Cmp(start) < 0 || length.Sign() == 0 {
		return 0, fmt.Errorf("block %s is before the round length's last change (block %s)", block, start)
	}
	blocks := new(big.Int).Sub(block, start)
	return round.Uint64() + blocks.Div(blocks, length).Uint64(), nil
}

// demoBalances is one account's stake and fees, as of the current round.
type demoBalances struct {
	Stake *big.Int `json:"stake_wei"`
	Fees  *big.Int `json:"fees_wei"`
}

func (c *demoChain) balances(ctx context.Context, who common.Address) (demoBalances, error) {
	r, err := c.round(ctx, nil)
	if err != nil {
		return demoBalances{}, err
	}
	opts, end := &bind.CallOpts{Context: ctx}, new(big.Int).SetUint64(r)
	stake, err1 := c.bm.PendingStake(opts, who, end)
	fees, err2 := c.bm.PendingFees(opts, who, end)
	if err := errors.Join(err1, err2); err != nil {
		return demoBalances{}, fmt.Errorf("read %s's stake and fees: %w", who, err)
	}
	return demoBalances{Stake: stake, Fees: fees}, nil
}

// demoEvents is what the chain's events say of the operator's work.
type demoEvents struct {
	Activation    uint64              // the operator's first active round
	Rewards       map[uint64]*big.Int // round: LPT minted to the operator's pool
	Claims        int
	ClaimedSegs   uint64
	ClaimedFees   *big.Int // as the claims priced them
	Distributions int
	Distributed   *big.Int // fees paid out by distributeFees
	TranscoderCut *big.Int // the operator's share before the delegators' pool: fees - fees*feeShare
	Passed        int
	Failed        int
	Slashed       int
}

// eventIterator is a binding's event iterator.
type eventIterator interface {
	Next() bool
	Error() error
	Close() error
}

// eachEvent calls f for every event of it (as a Filter* call returned it
// with err) and closes it.
func eachEvent[I eventIterator](it I, err error, f func(I)) error {
	if err != nil {
		return err
	}
	for it.Next() {
		f(it)
	}
	return errors.Join(it.Error(), it.Close())
}

// events reads every event of the run, from the genesis block.
func (c *demoChain) events(ctx context.Context) (demoEvents, error) {
	e := demoEvents{Rewards: map[uint64]*big.Int{}, ClaimedFees: new(big.Int), Distributed: new(big.Int), TranscoderCut: new(big.Int)}
	opts := &bind.FilterOpts{Context: ctx}
	ops := []common.Address{c.operator}
	t, err := c.bm.GetTranscoder(&bind.CallOpts{Context: ctx}, c.operator)
	if err != nil {
		return e, fmt.Errorf("read the operator: %w", err)
	}
	var roundErr error
	activated, err1 := c.bm.FilterTranscoderActivated(opts, ops)
	rewards, err2 := c.bm.FilterReward(opts, ops)
	claimed, err3 := c.jm.FilterWorkClaimed(opts, ops, nil, nil)
	paid, err4 := c.jm.FilterClaimFeesDistributed(opts, ops, nil, nil)
	passed, err5 := c.jm.FilterSegmentVerificationPassed(opts, nil, nil)
	failed, err6 := c.jm.FilterSegmentVerificationFailed(opts, nil, nil)
	slashed, err7 := c.jm.FilterClaimSlashed(opts, ops, nil, nil)
	err = errors.Join(
		eachEvent(activated, err1, func(it *bindings.BondingManagerTranscoderActivatedIterator) {
			e.Activation = it.Event.ActivationRound.Uint64()
		}),
		eachEvent(rewards, err2, func(it *bindings.BondingManagerRewardIterator) {
			r, err := c.round(ctx, new(big.Int).SetUint64(it.Event.Raw.BlockNumber))
			roundErr = errors.Join(roundErr, err)
			e.Rewards[r] = it.Event.Amount
		}),
		eachEvent(claimed, err3, func(it *bindings.JobsManagerWorkClaimedIterator) {
			e.Claims++
			e.ClaimedSegs += it.Event.SegmentEnd.Uint64() - it.Event.SegmentStart.Uint64() + 1
			e.ClaimedFees.Add(e.ClaimedFees, it.Event.Fees)
		}),
		eachEvent(paid, err4, func(it *bindings.JobsManagerClaimFeesDistributedIterator) {
			fees := it.Event.Fees
			e.Distributions++
			e.Distributed.Add(e.Distributed, fees)
			pool := new(big.Int).Div(new(big.Int).Mul(fees, t.FeeShare), big.NewInt(percDivisor))
			e.TranscoderCut.Add(e.TranscoderCut, new(big.Int).Sub(fees, pool))
		}),
		eachEvent(passed, err5, func(*bindings.JobsManagerSegmentVerificationPassedIterator) { e.Passed++ }),
		eachEvent(failed, err6, func(*bindings.JobsManagerSegmentVerificationFailedIterator) { e.Failed++ }),
		eachEvent(slashed, err7, func(*bindings.JobsManagerClaimSlashedIterator) { e.Slashed++ }),
		roundErr,
	)
	if err != nil {
		return e, fmt.Errorf("read the run's events: %w", err)
	}
	return e, nil
}

// percDivisor is the contracts' PERC_DIVISOR: percentages in millionths.
const percDivisor = 1_000_000

// missedRounds lists the rounds from the operator's activation through
// last in which it was active and got no reward.
func (e demoEvents) missedRounds(last uint64) []uint64 {
	var missed []uint64
	if e.Activation == 0 {
		return nil
	}
	for r := e.Activation; r <= last; r++ {
		if _, ok := e.Rewards[r]; !ok {
			missed = append(missed, r)
		}
	}
	return missed
}
