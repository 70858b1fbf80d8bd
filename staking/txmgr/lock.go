package txmgr

import (
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"golang.org/x/sys/unix"
)

// ErrAccountLocked is matched (errors.Is) by an *AccountLockedError: another
// process on this host already sends for the account.
var ErrAccountLocked = errors.New("txmgr: account is managed by another process")

// AccountLockedError says which account's lock is held, and where.
type AccountLockedError struct {
	Account common.Address
	ChainID *big.Int
	Path    string
}

func (e *AccountLockedError) Error() string {
	return fmt.Sprintf("account %s is already managed by another opkit process on this host (lock %s)", e.Account, e.Path)
}

// Is makes errors.Is(err, ErrAccountLocked) true.
func (e *AccountLockedError) Is(target error) bool { return target == ErrAccountLocked }

// AccountLock is an exclusive, host-wide claim on one account's nonce
// sequence: a file locked with flock(2). The kernel drops the lock when the
// process exits, however it exits, so a stale file never blocks a restart.
type AccountLock struct {
	f *os.File
}

// AccountLockPath is the lock file of (chainID, account) in dir.
func AccountLockPath(dir string, chainID *big.Int, account common.Address) string {
	return filepath.Join(dir, fmt.Sprintf("%s-%s.lock", chainID, strings.ToLower(account.Hex())))
}

// LockAccount takes the lock of (chainID, account) in dir, creating dir
// (mode 0700) if needed. It does not wait: if another open file holds the
// lock, in this process or another, it fails with *AccountLockedError.
func LockAccount(dir string, chainID *big.Int, account common.Address) (*AccountLock, error) {
	if chainID == nil || chainID.Sign() <= 0 {
		return nil, fmt.Errorf("%w: the account lock needs the chain id", ErrInvalidConfig)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("txmgr: create account lock directory: %w", err)
	}
	path := AccountLockPath(dir, chainID, account)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("txmgr: open account lock: %w", err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, &AccountLockedError{Account: account, ChainID: new(big.Int).Set(chainID), Path: path}
		}
		return nil, fmt.Errorf("txmgr: lock %s: %w", path, err)
	}
	// The holder's pid, for an operator looking at the file; informative only.
	if err := f.Truncate(0); err == nil {
		_, _ = fmt.Fprintf(f, "%d\n", os.Getpid())
	}
	return &AccountLock{f: f}, nil
}

// Release gives the lock up. It may be called more than once.
func (l *AccountLock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close() // closing the last descriptor drops the flock
	l.f = nil
	return err
}
