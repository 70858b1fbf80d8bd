package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"

	"github.com/opkit-dev/opkit/staking/amount"
	"github.com/opkit-dev/opkit/staking/stake"
)

const (
	flagStakeInitializeRound = "initialize-round"
	flagStakeWait            = "wait"
	flagStakeWaitTimeout     = "wait-timeout"
	flagStakeRecipient       = "recipient"

	defaultStakeWaitTimeout = 10 * time.Minute
)

// writeConfig is what every sending stake subcommand does at a round
// boundary.
type writeConfig struct {
	InitializeRound bool
	Wait            bool
	WaitTimeout     time.Duration
}

func writeConfigFrom(c *cli.Context) writeConfig {
	return writeConfig{InitializeRound: c.Bool(flagStakeInitializeRound), Wait: c.Bool(flagStakeWait), WaitTimeout: c.Duration(flagStakeWaitTimeout)}
}

// Validate checks the values.
func (w writeConfig) Validate() error {
	if w.WaitTimeout <= 0 {
		return fmt.Errorf("--%s must be above zero", flagStakeWaitTimeout)
	}
	return nil
}

// withWriteFlags is withChainFlags plus the round flags of the writes.
func withWriteFlags(own ...cli.Flag) []cli.Flag {
	return withChainFlags(append(own,
		&cli.BoolFlag{Name: flagStakeInitializeRound, Usage: "when the current round is not initialized, call initializeRound first",
			EnvVars: []string{envVar("stake-" + flagStakeInitializeRound)}},
		&cli.BoolFlag{Name: flagStakeWait, Usage: "when the round is not initialized (and no --initialize-round) or is locked for this change, wait until it allows it",
			EnvVars: []string{envVar("stake-" + flagStakeWait)}},
		&cli.DurationFlag{Name: flagStakeWaitTimeout, Value: defaultStakeWaitTimeout, Usage: "give up waiting (--wait) after this long",
			EnvVars: []string{envVar("stake-" + flagStakeWaitTimeout)}},
	)...)
}

// stakeWrite is the action of a sending subcommand: parse its flags, then
// run plan through a stake.Writer and print what was sent and skipped.
func stakeWrite[A any](parse func(*cli.Context) (A, error), plan func(stake.Account, context.Context, A) (stake.Plan, error)) cli.ActionFunc {
	return func(c *cli.Context) error {
		wc := writeConfigFrom(c)
		if err := wc.Validate(); err != nil {
			return err
		}
		log := loggerFrom(c)
		run := func(ctx context.Context, env *chainEnv, a A, w io.Writer) error {
			if env.Txm == nil {
				return errReadOnly
			}
			wr := stake.Writer{
				Account: env.stakeAccount(), Sender: env.Txm, Calls: env.RPC,
				Round:  stake.RoundOptions{Initialize: wc.InitializeRound, Wait: wc.Wait, WaitTimeout: wc.WaitTimeout, PollInterval: env.cfg.PollInterval},
				Notify: func(s string) { log.Info(s) },
			}
			if !env.cfg.JSON {
				wr.Notify = func(s string) { fmt.Fprintln(w, s) }
			}
			res, err := wr.Run(ctx, func(ctx context.Context) (stake.Plan, error) { return plan(wr.Account, ctx, a) })
			if perr := printResult(w, env, res); perr != nil {
				err = errors.Join(err, perr)
			}
			if err != nil {
				return fmt.Errorf("stake %s: %w", c.Command.Name, err)
			}
			return nil
		}
		return stakeAction(parse, run)(c)
	}
}

func printResult(w io.Writer, env *chainEnv, res stake.Result) error {
	if env.cfg.JSON {
		return writeJSON(w, map[string]any{"account": env.From, "txs": res.Sent, "skipped": res.Skipped})
	}
	for _, s := range res.Skipped {
		fmt.Fprintf(w, "%-18s skipped: %s\n", s.Label, s.Why)
	}
	for _, tx := range res.Sent {
		fmt.Fprintf(w, "%-18s tx %s mined in block %d (gas %d)\n", tx.Label, tx.Hash, tx.Block, tx.GasUsed)
	}
	return nil
}

// ---- withdraw-fees ----

type withdrawFeesArgs struct {
	wei       *big.Int // nil: all
	recipient *common.Address
}

func stakeWithdrawFeesCommand() *cli.Command {
	return &cli.Command{
		Name:  "withdraw-fees",
		Usage: "withdraw earned fees (ETH) to the account or --recipient",
		Flags: withWriteFlags(
			&cli.StringFlag{Name: flagStakeAmount, Usage: "`ETH` to withdraw, up to 18 decimals (default: all earned fees)", EnvVars: []string{envVar("stake-" + flagStakeAmount)}},
			&cli.StringFlag{Name: flagStakeRecipient, Usage: "`ADDRESS` to pay (default: the account)", EnvVars: []string{envVar("stake-" + flagStakeRecipient)}},
		),
		Action: stakeWrite(parseWithdrawFeesArgs, planWithdrawFees),
	}
}

func parseWithdrawFeesArgs(c *cli.Context) (withdrawFeesArgs, error) {
	var a withdrawFeesArgs
	if s := c.String(flagStakeAmount); s != "" {
		v, err := amount.ParseDecimal(s, 18)
		if err != nil {
			return a, fmt.Errorf("--%s: %w", flagStakeAmount, err)
		}
		if v.Sign() == 0 {
			return a, fmt.Errorf("--%s must be above zero", flagStakeAmount)
		}
		a.wei = v
	}
	var err error
	a.recipient, err = optionalAddress(c, flagStakeRecipient)
	return a, err
}

func planWithdrawFees(acct stake.Account, ctx context.Context, a withdrawFeesArgs) (stake.Plan, error) {
	to := acct.From
	if a.recipient != nil {
		to = *a.recipient
	}
	return acct.WithdrawFees(ctx, a.wei, to)
}
