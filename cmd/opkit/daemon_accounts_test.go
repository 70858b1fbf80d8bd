package main

import (
	"context"
	"errors"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/opkit-dev/opkit/contracts/devnet"
	"github.com/opkit-dev/opkit/staking/chain"
	"github.com/opkit-dev/opkit/staking/connect"
	"github.com/opkit-dev/opkit/staking/txmgr"
)

func TestDaemonAccountsHelpers(t *testing.T) {
	if got := splitAccounts(" 1, 0xAbC ,,2"); strings.Join(got, "|") != "1|0xAbC|2" {
		t.Errorf("splitAccounts: %q", got)
	}
	addr := common.HexToAddress("0x00000000000000000000000000000000000000Ab")
	if got, want := accountDBPath("/var/lib/opkit/protection.db", addr), "/var/lib/opkit/protection-0x00000000000000000000000000000000000000ab.db"; got != want {
		t.Errorf("accountDBPath = %s, want %s", got, want)
	}
	if got, want := accountDBPath("/srv/p", addr), "/srv/p-0x00000000000000000000000000000000000000ab"; got != want {
		t.Errorf("accountDBPath without extension = %s, want %s", got, want)
	}
}

// daemonRun is an `opkit daemon` run in-process.
type daemonRun struct {
	done chan error
	stop func() error // idempotent; returns the command's error
}

func startDaemonCmd(t *testing.T, args ...string) *daemonRun {
	t.Helper()
	r := &daemonRun{done: make(chan error, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		app := newApp()
		app.Writer = io.Discard
		r.done <- app.RunContext(ctx, append([]string{"opkit", "--log-level", "warn", "daemon"}, args...))
	}()
	r.stop = sync.OnceValue(func() error { cancel(); return <-r.done })
	t.Cleanup(func() { _ = r.stop() })
	return r
}

// poll waits for cond, failing if the daemon exits first.
func (r *daemonRun) poll(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 60s", what)
		}
		select {
		case err := <-r.done:
			r.done <- err
			t.Fatalf("%s: daemon exited: %v", what, err)
		case <-time.After(20 * time.Millisecond): // an outside observer's poll interval
		}
	}
}

// registerTranscoders bonds and registers the dev accounts, then moves to
// the next round, where they are active.
func registerTranscoders(t *testing.T, net *devnet.Devnet, devnetFile string, accounts ...string) {
	t.Helper()
	for _, a := range accounts {
		args := []string{"--devnet", devnetFile, "--account", a, "--tx-poll-interval", "10ms"}
		mustOpkit(t, append([]string{"stake", "bond", "--amount", "1000"}, args...)...)
		mustOpkit(t, append([]string{"stake", "register", "--reward-cut", "10", "--fee-share", "50"}, args...)...)
	}
	nextRound(t, net)
}

// lastRewards reads the current round and each account's last reward round.
func lastRewards(t *testing.T, cl *chain.Client, accts ...common.Address) (uint64, []uint64) {
	t.Helper()
	ctx := context.Background()
	r, err := cl.Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	last := make([]uint64, len(accts))
	for i, a := range accts {
		tr, err := cl.Transcoder(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		last[i] = tr.LastRewardRound
	}
	return r.Current, last
}

// TestDaemonSeveralAccounts: one `opkit daemon` with two registered
// transcoder accounts rewards each exactly once in every round, from each
// account's own transaction manager and protection DB, with the metrics
// of both on one endpoint; a second daemon for one of them is refused by
// that account's lock.
func TestDaemonSeveralAccounts(t *testing.T) {
	net, devnetFile := testDevnet(t)
	registerTranscoders(t, net, devnetFile, "0", "1")
	ctx := context.Background()
	cl := devnetChain(t, net)
	accts := []common.Address{net.Info().Accounts[0].Address, net.Info().Accounts[1].Address}
	firstBlock, err := net.Client().BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "protection.db")
	metricsURL := "http://" + freeAddr(t)
	d := startDaemonCmd(t, "--devnet", devnetFile, "--account", "0", "--account", accts[1].Hex(), "--db", db,
		"--metrics-addr", strings.TrimPrefix(metricsURL, "http://"), "--poll-interval", "20ms", "--tx-poll-interval", "20ms",
		"--min-eth-balance", "0")

	const rounds = 3
	var rewarded []uint64
	for i := 0; i < rounds; i++ {
		if i > 0 {
			nextRound(t, net)
		}
		var cur uint64
		d.poll(t, "both accounts' rewards", func() bool {
			c, last := lastRewards(t, cl, accts...)
			cur = c
			return last[0] == c && last[1] == c
		})
		rewarded = append(rewarded, cur)
	}

	// A second daemon for one of the accounts: refused by its lock.
	_, err = opkit(t, "daemon", "--devnet", devnetFile, "--account", "1", "--db", filepath.Join(dir, "other.db"), "--metrics-addr", "")
	if !errors.Is(err, txmgr.ErrAccountLocked) || !strings.Contains(err.Error(), "already managed by another opkit process") {
		t.Fatalf("second daemon for account 1: %v, want the account lock's refusal", err)
	}

	last := rewarded[len(rewarded)-1]
	var metrics map[string]float64
	d.poll(t, "both accounts' metrics", func() bool {
		metrics = scrape(t, metricsURL+"/metrics")
		for _, a := range accts {
			l := `{account="` + a.Hex() + `"}`
			if metrics["opkit_last_reward_round"+l] != float64(last) || metrics["opkit_tx_pending"+l] != 0 || metrics["opkit_daemon_account_up"+l] != 1 {
				return false
			}
		}
		return true
	})
	if err := d.stop(); err != nil {
		t.Fatalf("daemon after cancel: %v", err)
	}
	for _, a := range accts {
		series := `opkit_tx_sent_total{account="` + a.Hex() + `",label="reward",result="ok"}`
		if metrics[series] != rounds {
			t.Errorf("%s = %v, want %d", series, metrics[series], rounds)
		}
		if _, err := os.Stat(accountDBPath(db, a)); err != nil {
			t.Errorf("protection DB of %s: %v", a, err)
		}
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("the single-account DB %s exists (%v): each account has its own", db, err)
	}

	// On chain: one reward transaction per account and round, all
	// successful.
	now, err := cl.Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	roundOf := func(block uint64) uint64 {
		if block >= now.StartBlock {
			return now.Current
		}
		return now.Current - (now.StartBlock-block+now.Length-1)/now.Length
	}
	for _, a := range accts {
		perRound := map[uint64]int{}
		for _, tx := range accountTxs(t, net, firstBlock, a) {
			if tx.status != 1 {
				t.Errorf("%s: %s (nonce %d) reverted", a, tx.method, tx.nonce)
			}
			if tx.method == "reward" || tx.method == "rewardWithHint" {
				perRound[roundOf(tx.block)]++
			}
		}
		for _, r := range rewarded {
			if perRound[r] != 1 {
				t.Errorf("%s, round %d: %d reward transactions, want 1 (per round %v)", a, r, perRound[r], perRound)
			}
		}
		if len(perRound) != len(rewarded) {
			t.Errorf("%s: rewards in rounds %v, want only %v", a, perRound, rewarded)
		}
	}
}

// TestDaemonAccountThatCannotStart: of three accounts, one whose lock
// another process holds cannot start and one is not a transcoder; the
// registered one is rewarded all the same, and the metrics say which runs.
// The daemon's exit names the account that failed; with every account
// locked it stops at once.
func TestDaemonAccountThatCannotStart(t *testing.T) {
	net, devnetFile := testDevnet(t)
	registerTranscoders(t, net, devnetFile, "1")
	info := net.Info()
	cl, err := chain.Dial(context.Background(), net.Client(), info.Contracts.Controller)
	if err != nil {
		t.Fatal(err)
	}
	chainID := big.NewInt(devnet.ChainID)
	held, err := connect.LockAccount(defaultChainConfig.LockDir, chainID, info.Accounts[0].Address)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Release()

	dir := t.TempDir()
	_, err = opkit(t, "daemon", "--devnet", devnetFile, "--account", "1,"+info.Accounts[1].Address.Hex(), "--db", filepath.Join(dir, "p.db"), "--metrics-addr", "")
	if !errors.Is(err, errChainConfig) || !strings.Contains(err.Error(), "are both") {
		t.Fatalf("one account twice: %v", err)
	}

	metricsURL := "http://" + freeAddr(t)
	d := startDaemonCmd(t, "--devnet", devnetFile, "--account", "0,1,2", "--db", filepath.Join(dir, "p.db"),
		"--metrics-addr", strings.TrimPrefix(metricsURL, "http://"), "--poll-interval", "20ms", "--tx-poll-interval", "20ms",
		"--min-eth-balance", "0")
	for i := 0; i < 2; i++ {
		if i > 0 {
			nextRound(t, net)
		}
		d.poll(t, "account 1's reward", func() bool {
			c, last := lastRewards(t, cl, info.Accounts[1].Address)
			return last[0] == c
		})
	}
	up := func(i int) string { return `opkit_daemon_account_up{account="` + info.Accounts[i].Address.Hex() + `"}` }
	d.poll(t, "the accounts' metrics", func() bool {
		m := scrape(t, metricsURL+"/metrics")
		v0, ok0 := m[up(0)]
		return ok0 && v0 == 0 && m[up(1)] == 1 && m[up(2)] == 1
	})
	err = d.stop()
	if !errors.Is(err, txmgr.ErrAccountLocked) || !strings.Contains(err.Error(), info.Accounts[0].Address.Hex()) {
		t.Fatalf("daemon exit: %v, want account 0's lock error", err)
	}

	held1, err := connect.LockAccount(defaultChainConfig.LockDir, chainID, info.Accounts[1].Address)
	if err != nil {
		t.Fatal(err)
	}
	defer held1.Release()
	_, err = opkit(t, "daemon", "--devnet", devnetFile, "--account", "0,1", "--db", filepath.Join(dir, "p.db"), "--metrics-addr", "")
	if !errors.Is(err, errNoAccountRunning) || !errors.Is(err, txmgr.ErrAccountLocked) {
		t.Fatalf("every account locked: %v, want errNoAccountRunning", err)
	}
}
