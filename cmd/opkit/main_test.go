package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestMain gives the tests a home directory and a lock directory of their
// own: commands that send take the account lock in --lock-dir, and a test
// must neither touch the user's files nor collide with an opkit running on
// the host.
func TestMain(m *testing.M) {
	home, err := os.MkdirTemp("", "opkit-test-home-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("HOME", home)
	// The account locks too: not the host's /run/opkit.
	defaultChainConfig.LockDir = filepath.Join(home, "locks")
	os.Setenv("OPKIT_LOCK_DIR", defaultChainConfig.LockDir)
	code := m.Run()
	os.RemoveAll(home)
	os.Exit(code)
}
