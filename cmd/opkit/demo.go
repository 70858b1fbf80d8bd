package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/opkit-dev/opkit/ffmpeg"
	"github.com/opkit-dev/opkit/transcoder"
)

// Flags of `opkit demo`.
const (
	flagDemoOut      = "out"
	flagDemoDuration = "duration"
	flagDemoJSON     = "json"
	flagDemoLadder   = "ladder"
	flagDemoTestsrc  = "testsrc"
	flagDemoSegDur   = "segment-duration"
	flagDemoWind     = "wind-down"
	flagDemoKeep     = "keep"
)

// The demo's protocol settings: what the operator registers with and the
// broadcaster pays.
const (
	demoPriceWei   = 1000 // per segment and profile
	demoFeeShare   = 50   // % of fees to the delegators' pool
	demoRewardCut  = 10   // % of rewards kept by the operator
	demoBondLPT    = "1000"
	demoDelegateLP = "500"
)

// demoConfig is what the demo flags fill.
type demoConfig struct {
	out, ladder, testsrc string
	duration, segDur     time.Duration
	windDown             time.Duration
	json, keep           bool
}

var defaultDemoConfig = demoConfig{
	out: "demo-out", ladder: transcoder.P360p30fps16x9 + "," + transcoder.P240p30fps16x9, testsrc: "1920x1080@30",
	duration: 3 * time.Minute, segDur: 2 * time.Second, windDown: 4 * time.Minute,
}

var errDemoConfig = errors.New("invalid demo flags")

// Validate checks the values.
func (c demoConfig) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{errDemoConfig}, a...)...)
	}
	switch {
	case c.out == "" || c.out == "/" || c.out == ".":
		return bad("--%s %q: want a directory of its own (it is emptied)", flagDemoOut, c.out)
	case c.segDur < 500*time.Millisecond || c.segDur > 10*time.Second:
		return bad("--%s %v: want 500ms to 10s", flagDemoSegDur, c.segDur)
	case c.duration < c.segDur || c.duration > 24*time.Hour:
		return bad("--%s %v: want at least one segment (%v) and at most 24h", flagDemoDuration, c.duration, c.segDur)
	case c.windDown < 30*time.Second:
		return bad("--%s %v: want at least 30s (claims wait out the verification and slashing windows)", flagDemoWind, c.windDown)
	}
	if _, err := transcoder.ParseLadderSpec(c.ladder); err != nil {
		return bad("--%s: %v", flagDemoLadder, err)
	}
	if _, err := c.synthetic(); err != nil {
		return bad("--%s %q: %v", flagDemoTestsrc, c.testsrc, err)
	}
	return nil
}

// segments is how many segments --duration holds.
func (c demoConfig) segments() int { return int(c.duration / c.segDur) }

// renditions is the ladder's length.
func (c demoConfig) renditions() int {
	l, _ := transcoder.ParseLadderSpec(c.ladder)
	return len(l)
}

func (c demoConfig) synthetic() (ffmpeg.SyntheticSpec, error) {
	b := broadcastConfig{testsrc: c.testsrc, segDur: c.segDur, segments: c.segments()}
	return b.syntheticSpec()
}

func demoEnv(flag string) []string { return []string{envVar("demo-" + flag)} }

func demoCommand() *cli.Command {
	d := defaultDemoConfig
	return &cli.Command{
		Name:  "demo",
		Usage: "run the whole mission on the embedded dev chain: stake, reward, transcode, claim, verify, get paid",
		Description: `Starts the dev chain in-process and, as separate opkit processes: an operator
(dev account 1) that bonds, registers and runs opkit node with the reward duty,
the claims loop and one remote opkit transcoder; a delegator (dev account 0)
that bonds to it; opkit verifier (dev account 3, the trusted solver, fetching
challenged segments over the node's archive API); and a broadcaster (dev
account 2) that creates a job and streams a generated --testsrc stream for
--duration. A status line follows the run. Once the
stream ends it waits (at most --wind-down) for the claims, verifications and
fee payouts, then prints a summary read from the chain, stops everything and
exits 0 only when every check held. --json prints the summary as one object.
Logs and the HLS output are in --out (emptied first).`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: flagDemoOut, EnvVars: demoEnv(flagDemoOut), Value: d.out, Usage: "`DIR` for the chain, logs, stores and HLS output (emptied first)"},
			&cli.DurationFlag{Name: flagDemoDuration, EnvVars: demoEnv(flagDemoDuration), Value: d.duration, Usage: "media length of the broadcast stream"},
			&cli.BoolFlag{Name: flagDemoJSON, EnvVars: demoEnv(flagDemoJSON), Usage: "print the summary as one JSON object on standard output"},
			&cli.StringFlag{Name: flagDemoLadder, EnvVars: demoEnv(flagDemoLadder), Value: d.ladder, Usage: "the job's renditions (presets)"},
			&cli.StringFlag{Name: flagDemoTestsrc, EnvVars: demoEnv(flagDemoTestsrc), Value: d.testsrc, Usage: "the generated source, `WxH@FPS`"},
			&cli.DurationFlag{Name: flagDemoSegDur, EnvVars: demoEnv(flagDemoSegDur), Value: d.segDur, Usage: "segment length"},
			&cli.DurationFlag{Name: flagDemoWind, EnvVars: demoEnv(flagDemoWind), Value: d.windDown, Usage: "longest wait for claims, verifications and fees after the stream"},
			&cli.BoolFlag{Name: flagDemoKeep, EnvVars: demoEnv(flagDemoKeep), Usage: "after the summary, keep everything running until Ctrl-C"},
		},
		Action: runDemo,
	}
}

func demoConfigFrom(c *cli.Context) demoConfig {
	return demoConfig{
		out: c.String(flagDemoOut), ladder: c.String(flagDemoLadder), testsrc: c.String(flagDemoTestsrc),
		duration: c.Duration(flagDemoDuration), segDur: c.Duration(flagDemoSegDur), windDown: c.Duration(flagDemoWind),
		json: c.Bool(flagDemoJSON), keep: c.Bool(flagDemoKeep),
	}
}

func runDemo(c *cli.Context) error {
	cfg := demoConfigFrom(c)
	if err := cfg.Validate(); err != nil {
		return withExitCode(2, err)
	}
	out, err := filepath.Abs(cfg.out)
	if err != nil {
		return err
	}
	if err := os.RemoveAll(out); err != nil {
		return fmt.Errorf("empty %s: %w", out, err)
	}
	if err := os.MkdirAll(out, 0o700); err != nil {
		return err
	}
	cfg.out = out
	log := loggerFrom(c).Named("demo")
	ctx, cancel := signalContext(c.Context, log)
	defer cancel()
	d := &demo{cfg: cfg, status: c.App.ErrWriter, log: log}
	if f, ok := d.status.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		d.live = true
	}
	sum, runErr := d.run(ctx)
	if sum != nil {
		if perr := sum.print(c.App.Writer, cfg.json); perr != nil {
			runErr = errors.Join(runErr, perr)
		}
	}
	if runErr != nil {
		return runErr
	}
	if !sum.OK {
		return withExitCode(1, fmt.Errorf("demo: checks failed: %s", strings.Join(sum.Failed, "; ")))
	}
	return nil
}
