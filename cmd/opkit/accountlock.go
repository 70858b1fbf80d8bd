package main

import (
	"github.com/urfave/cli/v2"
)

// flagChainLockDir names the directory of the account locks.
const flagChainLockDir = "lock-dir"

// defaultLockDir is where senders take their account's lock: the host's
// runtime directory, so that every opkit process on the host sees the same
// file whatever its user and $HOME (a service's home and an operator's
// shell differ). The systemd units create /run/opkit (RuntimeDirectory=).
const defaultLockDir = "/run/opkit/locks"

func lockDirFlag(def string) cli.Flag {
	return &cli.StringFlag{Name: flagChainLockDir, Value: def,
		Usage:   "`DIR` of the account locks, one per chain and account for the host; every opkit process that sends for an account must use the same",
		EnvVars: []string{envVar(flagChainLockDir)}}
}
