package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"go.uber.org/zap/zaptest"

	"github.com/opkit-dev/opkit/contracts/bindings"
	"github.com/opkit-dev/opkit/contracts/devnet"
	"github.com/opkit-dev/opkit/transcoder"
)

func TestNodeRewardFlags(t *testing.T) {
	devnetChain := defaultChainConfig
	devnetChain.DevnetFile = "devnet.json"
	on := defaultNodeRewardConfig()
	on.enabled, on.duty.DB = true, "/var/lib/opkit/protection.db"
	for name, tc := range map[string]struct {
		cfg   nodeRewardConfig
		chain ChainConfig
		want  string
	}{
		"off":                 {defaultNodeRewardConfig(), ChainConfig{}, ""},
		"with chain":          {on, devnetChain, ""},
		"without chain":       {on, ChainConfig{}, "--reward needs chain flags"},
		"bad poll":            {func() nodeRewardConfig { c := on; c.duty.PollInterval = 0; return c }(), devnetChain, "--poll-interval"},
		"bad min balance":     {func() nodeRewardConfig { c := on; c.duty.MinBalance = "lots"; return c }(), devnetChain, "--min-eth-balance"},
		"negative init delay": {func() nodeRewardConfig { c := on; c.duty.InitDelayMax = -time.Second; return c }(), devnetChain, "--initialize-delay-max"},
	} {
		t.Run(name, func(t *testing.T) {
			err := tc.cfg.validate(tc.chain)
			if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
	if d := defaultNodeRewardConfig(); d.duty.MetricsAddr != "" {
		t.Errorf("the node serves the reward metrics itself, not on %q", d.duty.MetricsAddr)
	}

	secret := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secret, []byte("node-reward-secret-0123456789\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := newApp().Run([]string{"opkit", "node", "--secret-file", secret, "--listen", "127.0.0.1:0", "--reward"})
	if err == nil || exitCode(err) != 2 || !strings.Contains(err.Error(), "--reward needs chain flags") {
		t.Errorf("--reward without chain flags: %v (exit %d), want exit 2", err, exitCode(err))
	}
}

// TestNodeRewardAndClaimsEndToEnd: `opkit node --claims-db --reward
// --initialize-round --devnet` initializes and rewards every round and
// claims the signed segments it transcoded, all from the transcoder's
// account through one transaction manager: one reward per round, no
// transaction replaced, every send accepted at the first try.
func TestNodeRewardAndClaimsEndToEnd(t *testing.T) {
	net, devnetFile := testDevnet(t)
	job := claimsJob(t, net, big.NewInt(1e12))
	dir := t.TempDir()
	secretFile := filepath.Join(dir, "secret")
	const secret = "node-reward-secret-0123456789"
	if err := os.WriteFile(secretFile, []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	cl := devnetChain(t, net)
	acct := net.Info().Accounts[1].Address
	firstBlock, err := net.Client().BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}

	addr := freeAddr(t)
	nodeCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		app := newApp()
		app.Writer = io.Discard
		done <- app.RunContext(nodeCtx, []string{"opkit", "--log-level", "warn", "node", "--secret-file", secretFile,
			"--listen", addr, "--ladder", transcoder.P240p30fps16x9 + "," + transcoder.P144p30fps16x9, "--preset", "ultrafast",
			"--claims-db", filepath.Join(dir, "claims.db"), "--claims-idle", "1ns", "--claims-poll-interval", "20ms",
			"--reward", "--initialize-round", "--initialize-delay-max", "0", "--poll-interval", "20ms",
			"--db", filepath.Join(dir, "protection.db"), "--min-eth-balance", "0",
			"--devnet", devnetFile, "--account", "1", "--tx-poll-interval", "20ms"})
	}()
	stop := sync.OnceValue(func() error { cancel(); return <-done })
	t.Cleanup(func() { _ = stop() })
	base := "http://" + addr
	waitHealthy(t, base, done)

	// poll waits for cond, failing if the node exits first.
	poll := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not within 30s", what)
			}
			select {
			case err := <-done:
				done <- err
				t.Fatalf("%s: node exited: %v", what, err)
			case <-time.After(20 * time.Millisecond): // an outside observer's poll interval
			}
		}
	}
	rewarded := func() (uint64, uint64) {
		r, err1 := cl.Round(ctx)
		tr, err2 := cl.Transcoder(ctx, acct)
		if err1 != nil || err2 != nil {
			t.Fatalf("read round: %v, %v", err1, err2)
		}
		return r.Current, tr.LastRewardRound
	}

	// The current round was initialized by the test; the node rewards it,
	// then, round after round, initializes and rewards each new one while
	// the segments come in.
	const rounds = 3
	segs := testSegments(t, rounds)
	var rewardedRounds []uint64
	for i := 0; i <= rounds; i++ {
		if i > 0 {
			if status, body := postSignedSegment(t, base, secret, net, job, i-1, segs[i-1], 2); status != http.StatusOK {
				t.Fatalf("segment %d: %d %.300s", i-1, status, body)
			}
			mineToNextRound(t, net)
		}
		var cur uint64
		poll("reward of round "+strconv.Itoa(i), func() bool { c, last := rewarded(); cur = c; return last == c })
		rewardedRounds = append(rewardedRounds, cur)
	}
	for i := 1; i < len(rewardedRounds); i++ {
		if rewardedRounds[i] != rewardedRounds[i-1]+1 {
			t.Fatalf("rewarded rounds %v: want consecutive", rewardedRounds)
		}
	}
	jm, err := bindings.NewJobsManagerCaller(net.Info().Contracts.JobsManager, net.Client())
	if err != nil {
		t.Fatal(err)
	}
	poll("claimWork", func() bool {
		j, err := jm.GetJob(&bind.CallOpts{}, new(big.Int).SetUint64(job))
		return err == nil && j.NumClaims > 0
	})
	// The daemon has seen its last reward mined (a reward still being
	// confirmed at shutdown is logged, not replaced), and nothing is pending.
	last := rewardedRounds[len(rewardedRounds)-1]
	var metrics map[string]float64
	poll("the node's metrics", func() bool {
		metrics = scrape(t, base+"/metrics")
		return metrics["opkit_last_reward_round"] == float64(last) && metrics["opkit_tx_pending"] == 0
	})
	if err := stop(); err != nil {
		t.Fatalf("node after cancel: %v", err)
	}

	// The node's one transaction manager: every send accepted at once,
	// nothing replaced; the reward metrics on the same /metrics.
	for series, v := range metrics {
		switch {
		case strings.HasPrefix(series, "opkit_tx_sent_total{") && !strings.Contains(series, `result="ok"`) && v != 0,
			series == "opkit_tx_replaced_total" && v != 0:
			t.Errorf("%s %v: a send collided or was replaced", series, v)
		}
	}
	if metrics[`opkit_tx_sent_total{label="reward",result="ok"}`] != float64(len(rewardedRounds)) {
		t.Errorf("reward sends %v, want %d", metrics[`opkit_tx_sent_total{label="reward",result="ok"}`], len(rewardedRounds))
	}

	// On chain: the account's transactions since the node started, in nonce
	// order without a gap, all successful; one reward per round; a claimWork.
	txs := accountTxs(t, net, firstBlock, acct)
	now, err := cl.Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	roundOf := func(block uint64) uint64 { // the simulated chain keeps no historical state to ask
		if block >= now.StartBlock {
			return now.Current
		}
		return now.Current - (now.StartBlock-block+now.Length-1)/now.Length
	}
	perRound := map[uint64]int{}
	claimed, inits := 0, 0
	for i, tx := range txs {
		if i > 0 && tx.nonce != txs[i-1].nonce+1 {
			t.Fatalf("nonce %d after %d", tx.nonce, txs[i-1].nonce)
		}
		if tx.status != types.ReceiptStatusSuccessful {
			t.Errorf("%s (nonce %d) reverted", tx.method, tx.nonce)
		}
		switch tx.method {
		case "reward", "rewardWithHint":
			perRound[roundOf(tx.block)]++
		case "claimWork":
			claimed++
		case "initializeRound":
			inits++
		}
	}
	for _, r := range rewardedRounds {
		if perRound[r] != 1 {
			t.Errorf("round %d: %d reward transactions, want 1 (per round: %v)", r, perRound[r], perRound)
		}
	}
	if inits != rounds {
		t.Errorf("%d initializeRound transactions, want %d (the node initialized every round the test mined)", inits, rounds)
	}
	if claimed == 0 {
		t.Errorf("no claimWork among the account's transactions")
	}
	t.Logf("rounds rewarded %v; account transactions %d (claimWork %d)", rewardedRounds, len(txs), claimed)
}

// minedTx is one mined transaction of the account.
type minedTx struct {
	nonce, block uint64
	method       string
	status       uint64
}

// accountTxs lists acct's mined transactions from block from on, in nonce
// order, with the contract method each called.
func accountTxs(t *testing.T, net *devnet.Devnet, from uint64, acct common.Address) []minedTx {
	t.Helper()
	ctx := context.Background()
	c := net.Client()
	head, err := c.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var abis []*abi.ABI
	for _, md := range []*bind.MetaData{bindings.BondingManagerMetaData, bindings.JobsManagerMetaData, bindings.RoundsManagerMetaData} {
		a, err := md.GetAbi()
		if err != nil {
			t.Fatal(err)
		}
		abis = append(abis, a)
	}
	var out []minedTx
	for n := from; n <= head; n++ {
		b, err := c.BlockByNumber(ctx, new(big.Int).SetUint64(n))
		if err != nil {
			t.Fatal(err)
		}
		for _, tx := range b.Transactions() {
			sender, err := types.Sender(types.LatestSignerForChainID(tx.ChainId()), tx)
			if err != nil || sender != acct {
				continue
			}
			r, err := c.TransactionReceipt(ctx, tx.Hash())
			if err != nil {
				t.Fatal(err)
			}
			m := minedTx{nonce: tx.Nonce(), block: n, status: r.Status}
			if len(tx.Data()) >= 4 {
				for _, a := range abis {
					if method, err := a.MethodById(tx.Data()[:4]); err == nil {
						m.method = method.Name
						break
					}
				}
			}
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].nonce < out[j].nonce })
	return out
}

// scrape reads a Prometheus text page into series -> value.
func scrape(t *testing.T, url string) map[string]float64 {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	out := map[string]float64{}
	for _, line := range bytes.Split(body, []byte("\n")) {
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		i := bytes.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(string(line[i+1:]), 64)
		if i < 0 || err != nil {
			t.Fatalf("metrics line %q", line)
		}
		out[string(line[:i])] = v
	}
	return out
}

// TestNodeLoopFailureStopsNode: a loop that ends by itself reports to the
// node (which stops with the error); one that is stopped reports nothing.
func TestNodeLoopFailureStopsNode(t *testing.T) {
	log := zaptest.NewLogger(t)
	boom := errors.New("protection DB unusable")
	failed := make(chan error, 2)
	l := startNodeLoop("reward", func(context.Context) error { return boom }, func(err error) { failed <- err }, log)
	if err := l.wait(); !errors.Is(err, boom) {
		t.Fatalf("wait: %v", err)
	}
	if err := <-failed; !errors.Is(err, boom) || !strings.Contains(err.Error(), "reward loop") {
		t.Fatalf("fail got %v", err)
	}

	l = startNodeLoop("reward", func(context.Context) error { return nil }, func(err error) { failed <- err }, log)
	if err := l.wait(); err == nil || len(failed) != 1 {
		t.Fatalf("a loop that returned early: %v, %d failures reported", err, len(failed))
	}
	<-failed

	l = startNodeLoop("claims", func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }, func(err error) { failed <- err }, log)
	l.cancel()
	if err := l.wait(); err != nil || len(failed) != 0 {
		t.Fatalf("a stopped loop: %v, %d failures reported", err, len(failed))
	}
}
