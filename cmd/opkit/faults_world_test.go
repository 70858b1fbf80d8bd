package main

import (
	"context"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"go.uber.org/zap/zaptest"

	"github.com/opkit-dev/opkit/contracts/bindings"
	"github.com/opkit-dev/opkit/contracts/devnet"
	"github.com/opkit-dev/opkit/contracts/devnet/rpcfault"
	"github.com/opkit-dev/opkit/transcoder"
)

// Fault suite chain settings: 60 blocks of 100 ms make a 6 s round (a live
// round is 5760 blocks: the suite is far harsher on timing than a chain).
const (
	faultRoundLength = 60
	faultBlockTime   = 100 * time.Millisecond
	// The reward cap (gwei) sits under the price a gas spike reports; the
	// cap of verify(), which a missed verification would slash, above it.
	faultMaxGasGwei       = 5
	faultMaxGasVerifyGwei = 50
)

var faultSpikeWei = big.NewInt(20e9) // 20 gwei: above the reward cap, under verify's

// faultWorld is the fault suite's operator: the devnet behind a
// fault-injecting RPC proxy, one node process running the reward and claims
// loops on one account as a pure orchestrator, and two remote transcoder
// processes doing its segments.
type faultWorld struct {
	t        *testing.T
	net      *devnet.Devnet
	proxy    *rpcfault.Proxy
	acct     common.Address
	job      uint64
	base     string // the node's URL
	secret   string
	node     *proc
	workers  []*proc
	verifier *proc
	dir      string
}

func newFaultWorld(t *testing.T) *faultWorld {
	dir := t.TempDir()
	net, err := devnet.Start(context.Background(), devnet.Config{
		RPCAddr: "127.0.0.1:0", RoundLength: faultRoundLength,
		Accounts: 4, Dir: filepath.Join(dir, "data"), Logger: zaptest.NewLogger(t),
	})
	if err != nil {
		t.Fatalf("start devnet: %v", err)
	}
	t.Cleanup(func() { _ = net.Close() })
	w := &faultWorld{t: t, net: net, acct: net.Info().Accounts[1].Address, dir: dir,
		secret: "fault-suite-client-secret-0123456789"}
	steady := w.produceBlocks()
	initializeRound(t, net)
	w.job = testJob(t, net, "fault-stream", big.NewInt(1e12), 100_000, transcoder.P144p30fps16x9)
	steady.Store(true)
	if w.proxy, err = rpcfault.New(net.RPCURL(), big.NewInt(devnet.ChainID), 7); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.proxy.Close() })
	w.startProcs()
	return w
}

// produceBlocks mines the devnet: a block whenever a dev account has a
// transaction pending until the returned flag is set (the setup sends and
// waits), then a block every faultBlockTime, as a live chain does.
func (w *faultWorld) produceBlocks() *atomic.Bool {
	var steady atomic.Bool
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		last := time.Now()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-tick.C:
				switch {
				case steady.Load() && now.Sub(last) >= faultBlockTime:
					w.net.Mine(1)
					last = now
				case !steady.Load() && hasPending(ctx, w.net.Client(), w.net.Info().Accounts):
					w.net.Mine(1)
				}
			}
		}
	}()
	w.t.Cleanup(func() { cancel(); <-done })
	return &steady
}

// startProcs writes the node's files and starts the node and two workers.
func (w *faultWorld) startProcs() {
	t := w.t
	info := w.net.Info()
	info.RPCURL = w.proxy.URL() // every chain call of the node goes through the faults
	devnetFile := filepath.Join(w.dir, "devnet.json")
	if err := info.Write(devnetFile); err != nil {
		t.Fatal(err)
	}
	clientSecret := w.file("secret", w.secret)
	workerSecret := w.file("worker-secret", "fault-suite-worker-secret-0123456789")
	verifierSecret := w.file("verifier-secret", "fault-suite-verifier-secret-0123456789")
	addr := freeAddr(t)
	w.base = "http://" + addr
	env := []string{"HOME=" + w.dir, "OPKIT_LOCK_DIR=" + filepath.Join(w.dir, "locks")}
	w.node = newProc(t, "node", env, "--log-level", "info", "node",
		"--listen", addr, "--secret-file", clientSecret, "--worker-secret-file", workerSecret, "--verifier-secret-file", verifierSecret,
		"--max-sessions", "0", "--ladder", transcoder.P144p30fps16x9, "--preset", "ultrafast",
		"--job-timeout", "2s", "--segment-timeout", "30s", "--retry-after", "1s", "--drain-timeout", "5s",
		"--claims-db", filepath.Join(w.dir, "claims.db"), "--claims-idle", "1ns", "--claims-poll-interval", "50ms",
		"--reward", "--initialize-round", "--initialize-delay-max", "0", "--poll-interval", "50ms",
		"--db", filepath.Join(w.dir, "protection.db"), "--min-eth-balance", "0",
		"--devnet", devnetFile, "--account", "1", "--state-dir", filepath.Join(w.dir, "state"),
		"--tx-poll-interval", "50ms", "--tx-resubmit-timeout", "2s",
		"--max-gas-price", strconv.Itoa(faultMaxGasGwei), "--max-gas-price-verify", strconv.Itoa(faultMaxGasVerifyGwei))
	w.node.start()
	w.waitNode()
	for i := range 2 {
		p := newProc(t, "worker-"+strconv.Itoa(i+1), env, "--log-level", "warn", "transcoder",
			"--orchestrator", w.base, "--secret-file", workerSecret, "--name", "worker-"+strconv.Itoa(i+1),
			"--capacity", "2", "--backoff", "200ms", "--preset", "ultrafast")
		p.start()
		w.workers = append(w.workers, p)
	}
	w.waitWorkers(2)
	w.startVerifier(env)
}

// startVerifier starts opkit verifier for the devnet's solver (the last
// account): a third party, so it reaches the chain directly, not through
// the operator's faults, and fetches challenged segments over the node's
// archive API, which the node's restarts do interrupt.
func (w *faultWorld) startVerifier(env []string) {
	direct := filepath.Join(w.dir, "devnet-direct.json")
	if err := w.net.Info().Write(direct); err != nil {
		w.t.Fatal(err)
	}
	w.verifier = newProc(w.t, "verifier", env, "--log-level", "info", "verifier",
		"--devnet", direct, "--account", "3", "--state-dir", filepath.Join(w.dir, "verifier-state"),
		"--node", w.base, "--node-secret-file", filepath.Join(w.dir, "verifier-secret"),
		"--db", filepath.Join(w.dir, "verifier.db"), "--poll-interval", "200ms", "--metrics-addr", "",
		"--give-up-after", "2m", "--tx-poll-interval", "50ms")
	w.verifier.start()
}

func (w *faultWorld) file(name, content string) string {
	p := filepath.Join(w.dir, name)
	if err := os.WriteFile(p, []byte(content+"\n"), 0o600); err != nil {
		w.t.Fatal(err)
	}
	return p
}

// restartNode starts the node again on the same files (after a kill) and
// waits for its workers to come back.
func (w *faultWorld) restartNode() {
	w.node.start()
	w.waitNode()
	w.waitWorkers(1)
}

// waitNode waits until the node answers /healthz, failing with its output
// if it exits first.
func (w *faultWorld) waitNode() {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if err, done := w.node.exited(); done {
			w.t.Fatalf("node exited: %v\n%s", err, w.node.output())
		}
		if resp, err := http.Get(w.base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(20 * time.Millisecond) // an outside observer's poll interval
	}
	w.t.Fatalf("node not healthy within 30s\n%s", w.node.output())
}

// waitWorkers waits until at least n workers are registered with the node.
func (w *faultWorld) waitWorkers(n int) {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if scrapeQuiet(w.base + "/metrics")["opkit_node_workers"] >= float64(n) {
			return
		}
		time.Sleep(50 * time.Millisecond) // an outside observer's poll interval
	}
	w.t.Fatalf("fewer than %d workers registered within 30s\nnode: %s", n, w.node.output())
}

// head is the devnet's head block number.
func (w *faultWorld) head() uint64 {
	n, err := w.net.Client().BlockNumber(context.Background())
	if err != nil {
		w.t.Fatal(err)
	}
	return n
}

// waitBlock waits until the head reaches block n.
func (w *faultWorld) waitBlock(n uint64) {
	for w.head() < n {
		time.Sleep(faultBlockTime / 4)
	}
}

func (w *faultWorld) jobs() *bindings.JobsManagerCaller {
	jm, err := bindings.NewJobsManagerCaller(w.net.Info().Contracts.JobsManager, w.net.Client())
	if err != nil {
		w.t.Fatal(err)
	}
	return jm
}

var callLatest = &bind.CallOpts{}
