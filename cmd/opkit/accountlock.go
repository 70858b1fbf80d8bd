package main

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/urfave/cli/v2"

	"github.com/opkit-dev/opkit/staking/txmgr"
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

// newAccountTxmgr builds the connection's transaction manager holding the
// account's host-wide lock in dir: a second opkit process sending for the
// same account would share its nonces, and one could replace the other's
// transactions.
func newAccountTxmgr(cfg txmgr.Config, dir string) (*txmgr.Manager, error) {
	cfg.LockDir = dir
	m, err := txmgr.New(cfg)
	switch {
	case errors.Is(err, txmgr.ErrAccountLocked):
		return nil, fmt.Errorf("%w; run the reward duty inside `opkit node --reward`, or use one process per account", err)
	case errors.Is(err, fs.ErrPermission):
		return nil, fmt.Errorf("%w: create --%s %s for the user opkit runs as (systemd: RuntimeDirectory=opkit; by hand: install -d -o opkit -m 0755 /run/opkit), or give another --%s that every opkit process on the host uses",
			err, flagChainLockDir, dir, flagChainLockDir)
	}
	return m, err
}
