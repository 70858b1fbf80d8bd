package txmgr

import (
	"errors"
	"math/big"
	"os"
	"strings"
	"testing"
)

func TestAccountLockOneManagerPerAccount(t *testing.T) {
	c := newChain(t)
	dir := t.TempDir()
	locked := func(cfg *Config) { cfg.LockDir, cfg.ChainID = dir, big.NewInt(1337) }

	first := c.manager(t, locked)
	_, err := New(func() Config { cfg := c.config(t); locked(&cfg); return cfg }())
	var le *AccountLockedError
	if !errors.Is(err, ErrAccountLocked) || !errors.As(err, &le) {
		t.Fatalf("second manager for the account: %v, want ErrAccountLocked", err)
	}
	want := AccountLockPath(dir, big.NewInt(1337), c.from)
	if le.Path != want || le.Account != c.from || !strings.Contains(err.Error(), c.from.Hex()) || !strings.Contains(err.Error(), want) {
		t.Fatalf("error %q (%+v): want the account and lock %s", err, le, want)
	}
	if pid, err := os.ReadFile(want); err != nil || strings.TrimSpace(string(pid)) == "" {
		t.Errorf("lock file holds %q, %v; want the holder's pid", pid, err)
	}

	// Another chain's account, and a manager without LockDir, are not held up.
	other := c.manager(t, func(cfg *Config) { cfg.LockDir, cfg.ChainID = dir, big.NewInt(42) })
	other.Close()
	c.manager(t, nil).Close()

	first.Close()
	first.Close() // idempotent
	third := c.manager(t, locked)
	third.Close()
}

func TestAccountLockNeedsChainID(t *testing.T) {
	c := newChain(t)
	cfg := c.config(t)
	cfg.LockDir = t.TempDir()
	if _, err := New(cfg); !errors.Is(err, ErrInvalidConfig) {
		t.Fatalf("LockDir without ChainID: %v, want ErrInvalidConfig", err)
	}
}
