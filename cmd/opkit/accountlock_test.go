package main

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/zap/zaptest"

	"github.com/opkit-dev/opkit/staking/keys"
	"github.com/opkit-dev/opkit/staking/txmgr"
)

// TestAccountLockOneSenderPerAccount: a connection that can send holds its
// account's lock until Close; a second one for the account, and `opkit
// daemon` or `opkit claims run` started meanwhile, are refused with the
// typed error; a read-only connection takes no lock.
func TestAccountLockOneSenderPerAccount(t *testing.T) {
	net, devnetFile := testDevnet(t)
	cfg, connect := lockTestConnect(t, devnetFile)

	first, err := connect(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	_, err = connect(cfg)
	var le *txmgr.AccountLockedError
	if !errors.Is(err, txmgr.ErrAccountLocked) || !errors.As(err, &le) {
		t.Fatalf("second sender for the account: %v, want txmgr.ErrAccountLocked", err)
	}
	acct := net.Info().Accounts[1].Address
	if le.Account != acct || !strings.Contains(err.Error(), "opkit node --reward") || !strings.Contains(err.Error(), le.Path) {
		t.Fatalf("error %q: want account %s, the lock file and the advice", err, acct)
	}

	dir := t.TempDir()
	for name, args := range map[string][]string{
		"daemon":     {"daemon", "--db", filepath.Join(dir, "p.db"), "--metrics-addr", ""},
		"claims run": {"claims", "run", "--db", filepath.Join(dir, "c.db")},
	} {
		_, err := opkit(t, append(args, "--devnet", devnetFile, "--account", "1")...)
		if !errors.Is(err, txmgr.ErrAccountLocked) {
			t.Errorf("opkit %s beside a sender of the account: %v, want txmgr.ErrAccountLocked", name, err)
		}
	}

	// Another account of the same chain is free.
	other := cfg
	other.Account = "2"
	env, err := connect(other)
	if err != nil {
		t.Fatalf("another account: %v", err)
	}
	env.Close()

	// A read-only connection to the held account takes no lock.
	ro := defaultChainConfig
	ro.EthURL, ro.Controller, ro.Account = net.Info().RPCURL, net.Info().Contracts.Controller.Hex(), acct.Hex()
	env, err = connect(ro)
	if err != nil || env.Txm != nil {
		t.Fatalf("read-only connection beside the sender: %v (txm %v)", err, env != nil && env.Txm != nil)
	}
	env.Close()

	first.Close()
	third, err := connect(cfg)
	if err != nil {
		t.Fatalf("after the first released the lock: %v", err)
	}
	third.Close()
}

// TestAccountLockIsHostWide: two senders for one account whose $HOME
// differ (a service's home and an operator's shell) still share the lock:
// it lives in --lock-dir, not under $HOME.
func TestAccountLockIsHostWide(t *testing.T) {
	_, devnetFile := testDevnet(t)
	cfg, connectCfg := lockTestConnect(t, devnetFile)
	// Each home keeps its own transaction journal, as ~/.opkit does
	// without --devnet: only the account lock can stop the second sender.
	connect := func() (*chainEnv, error) {
		home := t.TempDir()
		t.Setenv("HOME", home)
		cfg.StateDir = filepath.Join(home, ".opkit")
		return connectCfg(cfg)
	}
	first, err := connect()
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	second, err := connect()
	if err == nil {
		second.Close()
		t.Fatal("a sender with another $HOME got the account's lock while the first held it")
	}
	var le *txmgr.AccountLockedError
	if !errors.As(err, &le) || !strings.HasPrefix(le.Path, cfg.LockDir) {
		t.Fatalf("second sender: %v, want txmgr.ErrAccountLocked on a lock in %s", err, cfg.LockDir)
	}
}

// lockTestConnect is the sender config of dev account 1 and a connect
// function for it.
func lockTestConnect(t *testing.T, devnetFile string) (ChainConfig, func(ChainConfig) (*chainEnv, error)) {
	log := zaptest.NewLogger(t)
	cfg := defaultChainConfig
	cfg.DevnetFile, cfg.Account = devnetFile, "1"
	return cfg, func(cfg ChainConfig) (*chainEnv, error) {
		return connectChainWith(context.Background(), cfg, keys.StdPrompter(), txmgr.NoopMetrics{}, log)
	}
}
