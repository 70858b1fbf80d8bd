package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"
	"go.uber.org/zap"
)

// flagNodeReward turns on the staking daemon's duty loop inside `opkit node`.
const flagNodeReward = "reward"

// nodeRewardConfig is the reward part of `opkit node`: the duty flags of
// `opkit daemon`, used when --reward is given with chain flags. The node
// serves the metrics itself, so there is no --metrics-addr.
type nodeRewardConfig struct {
	enabled bool
	duty    dutyConfig
}

func defaultNodeRewardConfig() nodeRewardConfig {
	d := defaultDutyConfig
	d.MetricsAddr = ""
	return nodeRewardConfig{duty: d}
}

func nodeRewardFlags(env func(string) []string) []cli.Flag {
	return append([]cli.Flag{
		&cli.BoolFlag{Name: flagNodeReward, Usage: "run the staking daemon's round duties (reward, and with --initialize-round round initialization) in this process, from the node's account; needs chain flags. Replaces a separate `opkit daemon` for the same key", EnvVars: env(flagNodeReward)},
	}, dutyFlagsEnv(false, env)...)
}

func nodeRewardConfigFrom(c *cli.Context) nodeRewardConfig {
	d := dutyConfigFrom(c)
	d.MetricsAddr, d.BlockTime = "", 0
	return nodeRewardConfig{enabled: c.Bool(flagNodeReward), duty: d}
}

// validate checks --reward against the chain flags and fills the default
// protection database path.
func (r *nodeRewardConfig) validate(cc ChainConfig) error {
	if !r.enabled {
		return nil
	}
	if !wantsChain(cc) {
		return fmt.Errorf("--%s needs chain flags (--%s, or --%s, --%s and --%s): the reward is sent from the node's account",
			flagNodeReward, flagChainDevnet, flagChainEthURL, flagChainController, flagChainKeystore)
	}
	return r.duty.Validate()
}

// nodeLoop is one background loop of a running node (claims, reward) in a
// goroutine it owns, with its own context: a signal drains the HTTP side
// before the loops end.
type nodeLoop struct {
	cancel context.CancelFunc
	done   chan error
}

// startNodeLoop runs run until stop. A loop that ends by itself calls fail,
// which stops the node.
func startNodeLoop(name string, run func(context.Context) error, fail func(error), log *zap.Logger) *nodeLoop {
	ctx, cancel := context.WithCancel(context.Background())
	l := &nodeLoop{cancel: cancel, done: make(chan error, 1)}
	go func() {
		err := run(ctx)
		if ctx.Err() == nil {
			if err == nil {
				err = errors.New("ended unexpectedly")
			}
			log.Error(name+" loop stopped", zap.Error(err))
			fail(fmt.Errorf("%s loop: %w", name, err))
		}
		l.done <- err
	}()
	return l
}

// wait returns the loop's result once it has ended; a cancellation is no
// error.
func (l *nodeLoop) wait() error {
	err := <-l.done
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}
