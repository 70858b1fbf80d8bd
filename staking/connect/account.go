package connect

import (
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"path/filepath"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/staking/txmgr"
)

// LockAccount takes the account's host-wide lock in dir. It comes before
// anything else of the account is opened (its transaction journal too): a
// second opkit process sending for the account would share its nonces, and
// one could replace the other's transactions, so it is refused here with
// the lock's error and what to do.
func LockAccount(dir string, chainID *big.Int, account common.Address) (*txmgr.AccountLock, error) {
	l, err := txmgr.LockAccount(dir, chainID, account)
	switch {
	case errors.Is(err, txmgr.ErrAccountLocked):
		return nil, fmt.Errorf("%w; run the reward duty inside `opkit node --reward`, or use one process per account", err)
	case errors.Is(err, fs.ErrPermission):
		return nil, fmt.Errorf("%w: create --lock-dir %s for the user opkit runs as (systemd: RuntimeDirectory=opkit; by hand: install -d -o opkit -m 0755 /run/opkit), or give another --lock-dir that every opkit process on the host uses",
			err, dir)
	}
	return l, err
}

// journalPath names the journal of one account on one deployment.
func journalPath(dir string, chainID *big.Int, controller, account common.Address) string {
	name := fmt.Sprintf("txjournal-%s-%s-%s.db", chainID, strings.ToLower(controller.Hex()), strings.ToLower(account.Hex()))
	return filepath.Join(dir, "tx", name)
}

// openJournal opens the account's journal in dir; the caller closes it
// after the transaction manager.
func openJournal(dir string, chainID *big.Int, controller, account common.Address) (*txmgr.BoltJournal, error) {
	j, err := txmgr.OpenJournal(journalPath(dir, chainID, controller, account))
	if err != nil {
		return nil, fmt.Errorf("open the transaction journal: %w", err)
	}
	return j, nil
}

// recoverPending takes over the transactions an earlier run left pending.
func recoverPending(m *txmgr.Manager, j *txmgr.BoltJournal, log *zap.Logger) error {
	n, err := m.Recover()
	if err != nil {
		return fmt.Errorf("take over pending transactions from %s: %w", j.Path(), err)
	}
	if n > 0 {
		log.Warn("taking over transactions left pending by an earlier run", zap.Int("count", n), zap.String("journal", j.Path()))
	}
	return nil
}
