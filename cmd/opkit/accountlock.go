package main

import (
	"errors"
	"fmt"
	"io/fs"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
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

// lockAccount takes the account's host-wide lock in dir. It comes before
// anything else of the account is opened (its transaction journal too): a
// second opkit process sending for the account would share its nonces, and
// one could replace the other's transactions, so it is refused here with
// the lock's error and what to do.
func lockAccount(dir string, chainID *big.Int, account common.Address) (*txmgr.AccountLock, error) {
	l, err := txmgr.LockAccount(dir, chainID, account)
	switch {
	case errors.Is(err, txmgr.ErrAccountLocked):
		return nil, fmt.Errorf("%w; run the reward duty inside `opkit node --reward`, or use one process per account", err)
	case errors.Is(err, fs.ErrPermission):
		return nil, fmt.Errorf("%w: create --%s %s for the user opkit runs as (systemd: RuntimeDirectory=opkit; by hand: install -d -o opkit -m 0755 /run/opkit), or give another --%s that every opkit process on the host uses",
			err, flagChainLockDir, dir, flagChainLockDir)
	}
	return l, err
}
