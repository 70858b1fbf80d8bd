package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// envTestExec makes the test binary run as opkit (see TestMain).
const envTestExec = "OPKIT_TEST_EXEC"

// TestMain gives the tests a home directory and a lock directory of their
// own: commands that send take the account lock in --lock-dir, and a test
// must neither touch the user's files nor collide with an opkit running on
// the host.
//
// With OPKIT_TEST_EXEC=1 the test binary is opkit itself: the fault suite
// starts its node and workers as processes of their own this way, so that it
// can kill and stop them.
func TestMain(m *testing.M) {
	if os.Getenv(envTestExec) == "1" {
		main()
		os.Exit(0)
	}
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
