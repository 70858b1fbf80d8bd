package main

import (
	"context"
	"encoding/json"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"

	"github.com/opkit-dev/opkit/contracts/bindings"
	"github.com/opkit-dev/opkit/contracts/devnet"
	"github.com/opkit-dev/opkit/staking/chain"
	"github.com/opkit-dev/opkit/staking/stake"
)

// devnetRound reads the current round.
func devnetRound(t *testing.T, net *devnet.Devnet) chain.RoundInfo {
	t.Helper()
	cl := devnetChain(t, net)
	r, err := cl.Round(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// lockStart is the first block of the current round's lock period.
func lockStart(t *testing.T, net *devnet.Devnet) uint64 {
	t.Helper()
	r := devnetRound(t, net)
	rm, err := bindings.NewRoundsManager(net.Info().Contracts.RoundsManager, net.Client())
	if err != nil {
		t.Fatal(err)
	}
	lock, err := rm.RoundLockAmount(&bind.CallOpts{})
	if err != nil {
		t.Fatal(err)
	}
	locked := new(big.Int).Mul(new(big.Int).SetUint64(r.Length), lock)
	return r.EndBlock() - locked.Div(locked, big.NewInt(chain.PPM)).Uint64()
}

// mineTo mines until the head is block n.
func mineTo(t *testing.T, net *devnet.Devnet, n uint64) {
	t.Helper()
	head, err := net.Client().BlockNumber(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n < head {
		t.Fatalf("head %d is already past block %d", head, n)
	}
	net.Mine(int(n - head))
}

func headBlock(t *testing.T, net *devnet.Devnet) uint64 {
	t.Helper()
	head, err := net.Client().BlockNumber(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return head
}

// opkitAsync runs the CLI in a goroutine; done gets its error.
func opkitAsync(t *testing.T, args ...string) (*syncBuffer, <-chan error) {
	t.Helper()
	out := &syncBuffer{}
	done := make(chan error, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		defer cancel()
		app := newApp()
		app.Writer = out
		done <- app.RunContext(ctx, append([]string{"opkit", "--log-level", "warn"}, args...))
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-finished:
		case <-time.After(30 * time.Second):
			t.Error("command still running 30s after cancel")
		}
	})
	return out, done
}

// methodCounts counts acct's mined transactions from block from on by
// contract method and status ("transcoder/ok", "setPricePerSegment/reverted").
func methodCounts(t *testing.T, net *devnet.Devnet, from uint64, acct common.Address) map[string]int {
	t.Helper()
	n := map[string]int{}
	for _, tx := range accountTxs(t, net, from, acct) {
		status := "ok"
		if tx.status != 1 {
			status = "reverted"
		}
		n[tx.method+"/"+status]++
	}
	return n
}

// TestStakeBondInitializesRound: at a round boundary, before anyone
// initialized the new round, bond refuses and sends nothing; with
// --initialize-round it calls initializeRound through the same account and
// bonds.
func TestStakeBondInitializesRound(t *testing.T) {
	net, info := testDevnet(t)
	chainArgs := []string{"--devnet", info, "--account", "1", "--tx-poll-interval", "10ms"}
	acct := net.Info().Accounts[1].Address
	mineTo(t, net, devnetRound(t, net).EndBlock())
	r := devnetRound(t, net)
	if r.Initialized || r.StartBlock != headBlock(t, net) {
		t.Fatalf("not at a fresh round's first block: %+v, head %d", r, headBlock(t, net))
	}
	from := headBlock(t, net) + 1

	_, err := opkit(t, append([]string{"stake", "bond", "--amount", "10"}, chainArgs...)...)
	if err == nil || !strings.Contains(err.Error(), "not initialized") {
		t.Fatalf("bond in an uninitialized round: %v, want a not-initialized refusal", err)
	}
	if txs := accountTxs(t, net, from, acct); len(txs) != 0 {
		t.Fatalf("refused bond sent %+v", txs)
	}

	out := mustOpkit(t, append([]string{"stake", "bond", "--amount", "10", "--initialize-round"}, chainArgs...)...)
	t.Logf("bond --initialize-round:\n%s", out)
	if !strings.Contains(out, "initialize_round") || !strings.Contains(out, "bond ") {
		t.Fatalf("bond --initialize-round output:\n%s", out)
	}
	if now := devnetRound(t, net); !now.Initialized || now.Current != r.Current {
		t.Fatalf("round after bond --initialize-round: %+v", r)
	}
	n := methodCounts(t, net, from, acct)
	if n["initializeRound/ok"] != 1 || n["bond/ok"] != 1 || len(n) != 3 { // and the token approve
		t.Fatalf("transactions by method %v, want one initializeRound, approve and bond", n)
	}
	// In an initialized round the flag sends nothing more.
	from = headBlock(t, net) + 1
	mustOpkit(t, append([]string{"stake", "bond", "--amount", "1", "--initialize-round"}, chainArgs...)...)
	if n := methodCounts(t, net, from, acct); n["initializeRound/ok"] != 0 || n["bond/ok"] != 1 || len(n) != 2 {
		t.Fatalf("second bond sent %v", n)
	}
}

// TestStakeRegisterWaitsOutLockPeriod: in the round's lock period register
// fails with the contract's revert reason; with --wait it waits for the
// next round (mined and initialized here while it waits) and registers.
func TestStakeRegisterWaitsOutLockPeriod(t *testing.T) {
	net, info := testDevnet(t)
	chainArgs := []string{"--devnet", info, "--account", "1", "--tx-poll-interval", "10ms"}
	acct := net.Info().Accounts[1].Address
	mustOpkit(t, append([]string{"stake", "bond", "--amount", "100"}, chainArgs...)...)
	mineTo(t, net, lockStart(t, net)+1)
	r := devnetRound(t, net)
	if !r.Locked {
		t.Fatalf("round %+v not locked at head %d", r, headBlock(t, net))
	}
	from := headBlock(t, net) + 1
	register := append([]string{"stake", "register", "--reward-cut", "10", "--fee-share", "50", "--price", "1000"}, chainArgs...)

	_, err := opkit(t, register...)
	const reason = `reverted: "can't update transcoder params, current round is locked"`
	if err == nil || !strings.Contains(err.Error(), "stake register: transcoder: ") || !strings.Contains(err.Error(), reason) {
		t.Fatalf("register in the lock period: %v, want %s", err, reason)
	}
	t.Logf("register in the lock period: %v", err)

	out, done := opkitAsync(t, append(register, "--wait", "--wait-timeout", "1m")...)
	deadline := time.After(60 * time.Second)
	for !strings.Contains(out.String(), "waiting for round") {
		select {
		case err := <-done:
			t.Fatalf("register --wait returned before the round ended: %v\n%s", err, out)
		case <-deadline:
			t.Fatalf("register --wait never said it waits:\n%s", out)
		case <-time.After(10 * time.Millisecond): // poll the command's output
		}
	}
	if txs := accountTxs(t, net, from, acct); len(txs) != 0 {
		t.Fatalf("sent while waiting: %+v", txs)
	}
	nextRound(t, net) // mined to the next round, initialized by account 2
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("register --wait: %v\n%s", err, out)
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("register --wait still running after the round changed:\n%s", out)
	}
	t.Logf("register --wait:\n%s", out)
	if n := methodCounts(t, net, from, acct); n["transcoder/ok"] != 1 || n["setPricePerSegment/ok"] != 1 || len(n) != 2 {
		t.Fatalf("transactions by method %v, want one transcoder and one setPricePerSegment", n)
	}
	tr := readStatus(t, chainArgs).Transcoder
	if !tr.Registered || tr.RewardCut != 100_000 || tr.FeeShare != 500_000 || tr.PricePerSegment.Int64() != 1000 {
		t.Fatalf("transcoder %+v", tr)
	}
}

// TestStakeRegisterResumesAfterPartialFailure: transcoder() goes through in
// the last block before the lock period and the price, mined in its first
// block, reverts. Run again next round, register sends only the price; a
// third run sends nothing.
func TestStakeRegisterResumesAfterPartialFailure(t *testing.T) {
	net, info := testDevnet(t)
	chainArgs := []string{"--devnet", info, "--account", "1", "--tx-poll-interval", "10ms"}
	acct := net.Info().Accounts[1].Address
	mustOpkit(t, append([]string{"stake", "bond", "--amount", "100"}, chainArgs...)...)
	mineTo(t, net, lockStart(t, net)-2) // transcoder() in the last open block, the price in the first locked one
	from := headBlock(t, net) + 1
	register := append([]string{"stake", "register", "--reward-cut", "10", "--fee-share", "50", "--price", "1000"}, chainArgs...)

	out, err := opkit(t, register...)
	const reason = `reverted: "price may only go down while round is locked"`
	if err == nil || !strings.Contains(err.Error(), "stake register: set_price: ") || !strings.Contains(err.Error(), reason) {
		t.Fatalf("register across the lock: %v, want set_price %s\n%s", err, reason, out)
	}
	t.Logf("register across the lock: %v\n%s", err, out)
	if !strings.Contains(out, "transcoder ") || !strings.Contains(out, "mined in block") {
		t.Fatalf("the mined transcoder() is not reported:\n%s", out)
	}

	nextRound(t, net)
	out = mustOpkit(t, register...)
	t.Logf("register again:\n%s", out)
	if !strings.Contains(out, "transcoder         skipped: already registered with reward cut 10% and fee share 50%") ||
		!strings.Contains(out, "set_price ") {
		t.Fatalf("register again:\n%s", out)
	}
	out = mustOpkit(t, register...)
	if strings.Contains(out, "mined") || !strings.Contains(out, "set_price          skipped: price already 1000 wei/segment") {
		t.Fatalf("register a third time:\n%s", out)
	}
	n := methodCounts(t, net, from, acct)
	if n["transcoder/ok"] != 1 || n["setPricePerSegment/ok"] != 1 || n["transcoder/reverted"] != 0 {
		t.Fatalf("transactions by method %v, want transcoder and a successful setPricePerSegment once each", n)
	}
	t.Logf("transactions by method: %v", n)
	tr := readStatus(t, chainArgs).Transcoder
	if !tr.Registered || tr.RewardCut != 100_000 || tr.FeeShare != 500_000 || tr.PricePerSegment.Int64() != 1000 {
		t.Fatalf("transcoder %+v", tr)
	}
}

func readStatus(t *testing.T, chainArgs []string) stake.Status {
	t.Helper()
	var st stake.Status
	if err := json.Unmarshal([]byte(mustOpkit(t, append([]string{"stake", "status", "--json"}, chainArgs...)...)), &st); err != nil {
		t.Fatal(err)
	}
	return st
}
