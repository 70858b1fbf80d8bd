package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/opkit-dev/opkit/contracts/devnet"
)

// TestDevnetCommandWritesInfoAndStops runs `opkit devnet` in-process on a free
// loopback port, reads devnet.json, talks to the chain over JSON-RPC, and
// stops it the way SIGINT does: by cancelling the command's context.
func TestDevnetCommandWritesInfoAndStops(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "devnet.json")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- newApp().RunContext(ctx, []string{"opkit", "--log-level", "warn", "devnet",
			"--rpc-addr", "127.0.0.1:0", "--block-time", "50ms", "--round-length", "5",
			"--accounts", "2", "--out", out, "--data-dir", filepath.Join(dir, "data")})
	}()
	info := waitForInfo(t, out, done)
	client, err := ethclient.Dial(info.RPCURL)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer client.Close()
	if _, err := client.BlockNumber(context.Background()); err != nil {
		t.Fatalf("block number over JSON-RPC: %v", err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("devnet exited with %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("devnet did not stop after cancel")
	}
	if _, err := client.BlockNumber(context.Background()); err == nil {
		t.Fatal("JSON-RPC still answers after the devnet stopped")
	}
}

func waitForInfo(t *testing.T, path string, done <-chan error) *devnet.Info {
	t.Helper()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(60 * time.Second)
	for {
		if info, err := devnet.LoadInfo(path); err == nil {
			return info
		}
		select {
		case err := <-done:
			t.Fatalf("devnet exited early: %v", err)
		case <-deadline:
			t.Fatalf("no %s after 60s", path)
		case <-tick.C:
		}
	}
}
