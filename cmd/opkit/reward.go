package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/urfave/cli/v2"

	"github.com/opkit-dev/opkit/staking/reward"
)

// Exit codes of `opkit reward --once`, for cron and monitoring.
const (
	exitOK             = 0 // rewarded now, or already rewarded this round
	exitFailed         = 1
	exitNotActive      = 2 // not in the round's active set
	exitNotInitialized = 3 // round not initialized and --initialize-round not given
)

func rewardCommand() *cli.Command {
	return &cli.Command{
		Name:      "reward",
		Usage:     "call reward() for the current round (--once: one check-and-call for cron)",
		ArgsUsage: " ",
		Description: `With --once: reads the current round, initializes it if needed and allowed
(--initialize-round), and calls reward() unless the reward is already on
chain. Transient failures are retried until --timeout. Exit status:
  0  rewarded now, or already rewarded this round
  2  the transcoder is not active this round
  3  the round is not initialized and --initialize-round was not given
  1  any error (chain unreachable, gas above --max-gas-price until --timeout,
     protection database locked by another process, ...)
Without --once it runs the reward service in the foreground, like
'opkit daemon' without the metrics endpoint.`,
		Flags: withChainFlags(append(dutyFlags(false),
			&cli.BoolFlag{Name: flagRewardOnce, Usage: "one check-and-call, then exit with a status cron can read", EnvVars: []string{envVar(flagRewardOnce)}},
			&cli.DurationFlag{Name: flagRewardTimeout, Value: 10 * time.Minute, Usage: "with --once: give up after this long", EnvVars: []string{envVar(flagRewardTimeout)}},
		)...),
		Action: runReward,
	}
}

// rewardReport is what `opkit reward --once` prints.
type rewardReport struct {
	Round   uint64 `json:"round"`
	Outcome string `json:"outcome"`
	Exit    int    `json:"exit_code"`
	Error   string `json:"error,omitempty"`
}

func runReward(c *cli.Context) error {
	duty := dutyConfigFrom(c)
	duty.MetricsAddr = ""
	if err := duty.Validate(); err != nil {
		return err
	}
	log := loggerFrom(c)
	ctx, cancel := signalContext(c.Context, log)
	defer cancel()
	env, d, err := buildDaemon(ctx, c, duty, prometheus.NewRegistry(), log)
	if err != nil {
		return withExitCode(exitFailed, err)
	}
	defer env.Close()
	if !c.Bool(flagRewardOnce) {
		return d.Run(ctx)
	}
	ctx, stop := context.WithTimeout(ctx, c.Duration(flagRewardTimeout))
	defer stop()
	var round uint64
	if ri, err := env.Client.Round(ctx); err == nil {
		round = ri.Current
	}
	o, err := d.Once(ctx)
	code := onceExitCode(o, err)
	if perr := printRewardReport(c.App.Writer, env.cfg.JSON, rewardReport{Round: round, Outcome: o.String(), Exit: code, Error: errString(err)}); perr != nil {
		err = errors.Join(err, perr)
	}
	switch {
	case code == exitOK:
		return nil
	case err == nil:
		return withExitCode(code, fmt.Errorf("round %d: %s", round, o))
	default:
		return withExitCode(code, err)
	}
}

// onceExitCode maps a RunOnce result to the documented exit status.
func onceExitCode(o reward.Outcome, err error) int {
	if err != nil {
		return exitFailed
	}
	switch o {
	case reward.OutcomeRewarded, reward.OutcomeAlreadyRewarded:
		return exitOK
	case reward.OutcomeNotActive:
		return exitNotActive
	case reward.OutcomeNotInitialized:
		return exitNotInitialized
	}
	return exitFailed
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func printRewardReport(w io.Writer, asJSON bool, r rewardReport) error {
	if asJSON {
		return json.NewEncoder(w).Encode(r)
	}
	_, err := fmt.Fprintf(w, "round %d: %s\n", r.Round, r.Outcome)
	return err
}
