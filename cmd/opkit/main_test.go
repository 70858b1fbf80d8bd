package main

import (
	"fmt"
	"os"
	"testing"
)

// TestMain gives the tests a home directory of their own: commands that
// send take the account lock under $HOME/.opkit/locks, and a test must
// neither touch the user's nor collide with an opkit running on the host.
func TestMain(m *testing.M) {
	home, err := os.MkdirTemp("", "opkit-test-home-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("HOME", home)
	code := m.Run()
	os.RemoveAll(home)
	os.Exit(code)
}
