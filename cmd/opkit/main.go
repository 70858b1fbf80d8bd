// Command opkit is the video-transcoder operator's toolkit: transcoding on
// CPU or NVIDIA GPU, staking and reward duties, and claims of work.
//
// The command layer is thin: flags fill a config struct, Validate checks it,
// and a package does the work.
package main

import (
	"fmt"
	"os"

	"github.com/urfave/cli/v2"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	if err := newApp().Run(os.Args); err != nil {
		fmt.Fprintf(os.Stderr, "opkit: %v\n", redactErr(err))
		os.Exit(exitCode(err))
	}
}

func newApp() *cli.App {
	return &cli.App{
		Name:    "opkit",
		Usage:   "video-transcoder operator's toolkit: transcode, stake, claim",
		Version: version,
		Flags:   loggingFlags(),
		Before:  setupLogging,
		After:   syncLogging,
		// Each subcommand lives in its own file and is listed here, by job.
		Commands: []*cli.Command{
			// Transcoding.
			transcodeCommand(),
			testsrcCommand(),
			benchCommand(),
			nodeCommand(),
			transcoderCommand(),
			// Staking and rewards.
			devnetCommand(),
			accountCommand(),
			stakeCommand(),
			roundCommand(),
			rewardCommand(),
			daemonCommand(),
			// Claims of work.
			claimsCommand(),
			broadcastCommand(),
			verifierCommand(),
			demoCommand(),
		},
		ExitErrHandler: func(*cli.Context, error) {}, // main prints and exits
	}
}
