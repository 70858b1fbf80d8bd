package stake

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/opkit-dev/opkit/staking/chain"
	"github.com/opkit-dev/opkit/staking/txmgr"
)

// Errors callers act on, besides ErrPrecondition.
var (
	// ErrRoundNotInitialized (with ErrPrecondition) is wrapped when the
	// current round is not initialized: nothing was sent.
	ErrRoundNotInitialized = errors.New("round not initialized")
	// ErrWaitTimeout is returned when RoundOptions.WaitTimeout passed before
	// the round allowed the write.
	ErrWaitTimeout = errors.New("gave up waiting for the round")
	// ErrReverted is wrapped, as a *RevertError naming the reason, when a
	// transaction reverted or its gas estimate did.
	ErrReverted = chain.ErrReverted
)

// RevertError is a revert with the contract's reason.
type RevertError = chain.RevertError

// Sender sends one transaction and waits until it is mined; a mined revert
// returns the receipt with an error. *txmgr.Manager is one.
type Sender interface {
	Send(ctx context.Context, c txmgr.Candidate) (*types.Receipt, error)
}

// Plan is what a write sends now, in order, and the steps it skips because
// the chain shows them done.
type Plan struct {
	Txs     []txmgr.Candidate
	Skipped []Skip
	// NeedsUnlocked: the transactions revert during the round's lock
	// period, so a waiting write waits for the next round first.
	NeedsUnlocked bool
}

// Skip is a step already done on chain.
type Skip struct {
	Label string `json:"label"`
	Why   string `json:"why"`
}

// Txs makes a Plan of what a checked write returned.
func Txs(txs []txmgr.Candidate, err error) (Plan, error) { return Plan{Txs: txs}, err }

// RoundOptions say what a write does when the round is not ready for it.
type RoundOptions struct {
	// Initialize sends initializeRound first when the current round is not
	// initialized.
	Initialize bool
	// Wait polls until the round allows the write (initialized by someone
	// else, or past the lock period) instead of failing, for at most
	// WaitTimeout.
	Wait         bool
	WaitTimeout  time.Duration
	PollInterval time.Duration
}

// Sent is a mined transaction of a write.
type Sent struct {
	Label   string      `json:"label"`
	Hash    common.Hash `json:"tx"`
	Block   uint64      `json:"block"`
	GasUsed uint64      `json:"gas_used"`
}

// Result is what a write did.
type Result struct {
	Sent    []Sent `json:"txs"`
	Skipped []Skip `json:"skipped"`
}

// Writer runs a write for an account: it gets the round ready as Round
// says, sends the plan's transactions through Sender one at a time, and
// names the revert reason of any that reverts.
type Writer struct {
	Account
	Sender Sender
	Calls  chain.CallBackend // replays a mined revert to learn its reason
	Round  RoundOptions
	// Notify gets progress: initializing, waiting. May be nil.
	Notify func(string)
}

// maxRoundRetries bounds the re-plans after a send reverted because the
// round moved under it (it ended, or its lock period began).
const maxRoundRetries = 5

// Run plans with plan, which reads chain state and is called again after
// every wait, so steps already done are skipped, and sends the plan.
func (w Writer) Run(ctx context.Context, plan func(context.Context) (Plan, error)) (Result, error) {
	res := Result{Sent: []Sent{}, Skipped: []Skip{}}
	waitCtx, cancel := ctx, context.CancelFunc(func() {})
	if w.Round.Wait && w.Round.WaitTimeout > 0 {
		waitCtx, cancel = context.WithTimeout(ctx, w.Round.WaitTimeout)
	}
	defer cancel()
	retries := 0
	for {
		if err := w.readyRound(ctx, waitCtx, &res); err != nil {
			return res, err
		}
		p, err := plan(ctx)
		if err == nil && p.NeedsUnlocked && w.Round.Wait {
			switch werr := w.waitUnlocked(waitCtx); {
			case werr == nil:
				continue // a new round: ready it and plan again
			case !errors.Is(werr, errNotLocked):
				return res, werr
			}
		}
		if err != nil {
			if errors.Is(err, ErrRoundNotInitialized) && (w.Round.Initialize || w.Round.Wait) && retries < maxRoundRetries {
				retries++ // the round ended between the check and the plan
				continue
			}
			return res, err
		}
		res.Skipped = p.Skipped
		if res.Skipped == nil {
			res.Skipped = []Skip{}
		}
		again := false
		for _, c := range p.Txs {
			s, err := w.send(ctx, c)
			if err != nil {
				if retries < maxRoundRetries && w.roundMoved(ctx, err, p.NeedsUnlocked) {
					retries++
					again = true
					break
				}
				return res, fmt.Errorf("%s: %w", c.Label, err)
			}
			res.Sent = append(res.Sent, s)
		}
		if !again {
			return res, nil
		}
	}
}

// send sends c; a revert, at gas estimation or mined, becomes a
// *RevertError with the reason.
func (w Writer) send(ctx context.Context, c txmgr.Candidate) (Sent, error) {
	r, err := w.Sender.Send(ctx, c)
	if err == nil {
		return Sent{Label: c.Label, Hash: r.TxHash, Block: r.BlockNumber.Uint64(), GasUsed: r.GasUsed}, nil
	}
	if errors.Is(err, txmgr.ErrReverted) && r != nil && w.Calls != nil {
		msg := ethereum.CallMsg{From: w.From, To: c.To, Data: c.Data, Value: c.Value, Gas: r.GasUsed * 2}
		if re := chain.ReplayRevert(ctx, w.Calls, msg, r.BlockNumber); re != nil {
			return Sent{}, fmt.Errorf("tx %s mined in block %s: %w", r.TxHash, r.BlockNumber, re)
		}
		return Sent{}, err
	}
	if errors.Is(err, txmgr.ErrEstimateGas) {
		if re := chain.AsRevert(err); re != nil {
			return Sent{}, fmt.Errorf("gas estimate: %w (nothing was sent)", re)
		}
	}
	return Sent{}, err
}

// roundMoved reports whether a send that failed with err may go through
// after the round is ready again: it reverted, and the round is now not
// initialized (with Initialize or Wait), or locked (with Wait, for a write
// that needs it unlocked).
func (w Writer) roundMoved(ctx context.Context, err error, needsUnlocked bool) bool {
	if !errors.Is(err, ErrReverted) || !(w.Round.Initialize || w.Round.Wait) {
		return false
	}
	r, rerr := w.Client.Round(ctx)
	if rerr != nil {
		return false
	}
	return !r.Initialized || (w.Round.Wait && r.Locked && needsUnlocked)
}

// readyRound makes the current round initialized: it is, or Initialize
// sends initializeRound, or Wait waits until someone else does. Otherwise
// the plan's own check fails with the reason.
func (w Writer) readyRound(ctx, waitCtx context.Context, res *Result) error {
	for {
		r, err := w.Client.Round(ctx)
		if err != nil || r.Initialized {
			return err
		}
		switch {
		case w.Round.Initialize:
			w.notify(fmt.Sprintf("round %d is not initialized: sending initializeRound", r.Current))
			cand, err := w.Client.InitializeRound()
			if err != nil {
				return err
			}
			s, err := w.send(ctx, cand)
			if err != nil {
				if again, rerr := w.Client.Round(ctx); rerr == nil && again.Initialized {
					continue // another account initialized it first
				}
				return fmt.Errorf("%s: %w", cand.Label, err)
			}
			res.Sent = append(res.Sent, s)
		case w.Round.Wait:
			w.notify(fmt.Sprintf("round %d is not initialized: waiting for another account to initialize it", r.Current))
			if err := w.waitFor(waitCtx, func(n chain.RoundInfo) bool { return n.Initialized || n.Current != r.Current }); err != nil {
				return fmt.Errorf("round %d not initialized: %w", r.Current, err)
			}
		default:
			return nil
		}
	}
}

// waitUnlocked waits for the round after the current one when the current
// one is locked; it returns errNotLocked at once when it is not.
func (w Writer) waitUnlocked(waitCtx context.Context) error {
	r, err := w.Client.Round(waitCtx)
	if err != nil {
		return err
	}
	if !r.Locked {
		return errNotLocked
	}
	w.notify(fmt.Sprintf("round %d is locked (no rate changes until it ends): waiting for round %d at block %d", r.Current, r.Current+1, r.EndBlock()))
	if err := w.waitFor(waitCtx, func(n chain.RoundInfo) bool { return n.Current != r.Current }); err != nil {
		return fmt.Errorf("round %d locked: %w", r.Current, err)
	}
	return nil
}

// errNotLocked ends waitUnlocked when there is nothing to wait for; Run
// then sends the plan.
var errNotLocked = errors.New("not locked")

// waitFor polls the round until ok, or waitCtx ends (ErrWaitTimeout).
func (w Writer) waitFor(waitCtx context.Context, ok func(chain.RoundInfo) bool) error {
	every := w.Round.PollInterval
	if every <= 0 {
		every = time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-waitCtx.Done():
			if errors.Is(waitCtx.Err(), context.DeadlineExceeded) {
				return fmt.Errorf("%w after %s", ErrWaitTimeout, w.Round.WaitTimeout)
			}
			return waitCtx.Err()
		case <-t.C:
		}
		r, err := w.Client.Round(waitCtx)
		if err == nil && ok(r) {
			return nil
		}
		if err != nil && waitCtx.Err() == nil && !strings.Contains(err.Error(), "context") {
			w.notify("reading the round: " + err.Error())
		}
	}
}

func (w Writer) notify(s string) {
	if w.Notify != nil {
		w.Notify(s)
	}
}
