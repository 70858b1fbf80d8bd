package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/opkit-dev/opkit/contracts/devnet/rpcfault"
)

// faultClass is what one round of the fault suite does to the operator.
type faultClass string

const (
	fcClean        faultClass = "clean"
	fcSlowRPC      faultClass = "slow_rpc"      // a tenth of the chain calls held 300 ms, some answers lost
	fcGas          faultClass = "gas_spike"     // the chain's gas price above the reward cap all round
	fcKillSend     faultClass = "kill_send"     // the node is killed between a send and its answer
	fcRPCDown      faultClass = "rpc_down"      // every chain call fails all round
	fcStuckTx      faultClass = "stuck_tx"      // an underpriced transaction, and a kill, across a restart
	fcHungWorker   faultClass = "hung_worker"   // a worker stopped (SIGSTOP) all round
	fcKilledWorker faultClass = "killed_worker" // a worker killed mid-stream, back a second later
	fcReorg        faultClass = "reorg"         // the block with the node's transaction reorganised away
	fcDisconnect   faultClass = "disconnect"    // the client goes away from every segment once
)

var faultCycle = []faultClass{fcClean, fcSlowRPC, fcGas, fcKillSend, fcRPCDown, fcStuckTx,
	fcHungWorker, fcKilledWorker, fcReorg, fcDisconnect}

// rewardable rounds had a reachable chain under the cap: each must be
// rewarded exactly once. The others must not be rewarded twice.
func (c faultClass) rewardable() bool { return c != fcGas && c != fcRPCDown }

// faultRounds is OPKIT_FAULT_ROUNDS (default 10, the short run of make test;
// make faults runs 20).
func faultRounds(t *testing.T) int {
	v := os.Getenv("OPKIT_FAULT_ROUNDS")
	if v == "" {
		return len(faultCycle)
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < len(faultCycle) {
		t.Fatalf("OPKIT_FAULT_ROUNDS=%q: want a number >= %d", v, len(faultCycle))
	}
	return n
}

// TestFaultSuite runs the operator end to end on the devnet, one node with
// the reward and claims loops on one account and two remote transcoder
// processes, for OPKIT_FAULT_ROUNDS rounds, injecting a fault class each
// round while a broadcaster streams, disconnects and repeats every segment.
// It prints one summary line and fails on any loss: a rewardable round
// without exactly one reward, a round rewarded twice, a slashable claim, a
// segment never answered or never claimed, a receipt conflict, or a nonce
// left stuck.
func TestFaultSuite(t *testing.T) {
	if testing.Short() {
		t.Skip("fault suite: skipped in -short mode")
	}
	n := faultRounds(t)
	w := newFaultWorld(t)
	client := newFaultClient(w.base, w.secret, w.job, w.net.Key(2))
	segs := testSegments(t, 4)
	var disconnectAll sync.Map // set during the disconnect round
	ctx, stopClient := context.WithCancel(context.Background())
	clientDone := make(chan struct{})
	var sentSegs int
	go func() { // the broadcaster: a segment every 400 ms until told to stop
		defer close(clientDone)
		for seq := 0; ctx.Err() == nil; seq++ {
			_, all := disconnectAll.Load("on")
			client.send(context.Background(), seq, segs[seq%len(segs)], all || seq%5 == 4)
			sentSegs = seq + 1
			select {
			case <-ctx.Done():
			case <-time.After(400 * time.Millisecond):
			}
		}
	}()

	f := w.startFinder()
	w.labelRounds()
	first := w.head()/faultRoundLength + 1
	classes := map[uint64]faultClass{}
	injected := map[faultClass]int{}
	start := time.Now()
	for i := range n {
		r := first + uint64(i)
		c := faultCycle[i%len(faultCycle)]
		classes[r] = c
		w.waitBlock(r * faultRoundLength)
		if c == fcDisconnect {
			disconnectAll.Store("on", true)
		}
		if w.inject(r, c) {
			injected[c]++
		}
		w.waitBlock((r+1)*faultRoundLength - 1)
		w.endRound(c)
		disconnectAll.Delete("on")
		if err, done := w.node.exited(); done {
			t.Fatalf("round %d (%s): the node exited: %v\n%s", r, c, err, w.node.output())
		}
	}
	stopClient()
	<-clientDone
	sum := w.settle(f, first, n, classes, client, sentSegs)
	f.close()
	t.Logf("fault suite: %d rounds in %v; injected %v; proxy %v; client %+v", n, time.Since(start).Round(time.Second), injected, sum.proxyCounts, client.stats())
	fmt.Println(sum.line())
	w.keepLogs()
	if !sum.ok() {
		t.Errorf("fault suite lost something: %s\nthe node's last run logged:\n%s", sum.line(), tail(w.node.output(), 150))
	}
	for c, k := range injected {
		if k == 0 {
			t.Errorf("fault %s was never injected", c)
		}
	}
}

// inject starts round r's fault; false when it could not be injected.
func (w *faultWorld) inject(r uint64, c faultClass) bool {
	switch c {
	case fcSlowRPC:
		w.proxy.Set(rpcfault.Faults{Stall: 300 * time.Millisecond, StallRate: 0.1, LoseRate: 0.03})
	case fcGas:
		w.proxy.Set(rpcfault.Faults{GasPrice: faultSpikeWei})
	case fcRPCDown:
		w.proxy.Set(rpcfault.Faults{Down: true})
	case fcKillSend:
		w.proxy.Set(rpcfault.Faults{HoldSends: true})
		return w.killOnSend(r, func() {})
	case fcStuckTx:
		w.proxy.Set(rpcfault.Faults{StaleBaseFee: true})
		return w.killOnSend(r, func() { time.Sleep(5 * faultBlockTime) }) // unmined for a few blocks
	case fcHungWorker:
		return w.workers[0].signal(syscall.SIGSTOP)
	case fcKilledWorker:
		w.workers[1].kill()
		time.Sleep(time.Second)
		w.workers[1].start()
	case fcReorg:
		return w.reorgNodeTx(r)
	}
	return true
}

// nodeTx waits up to half a round for the node's next transaction of round
// r to reach the chain.
func (w *faultWorld) nodeTx(r uint64) (rpcfault.RawTx, bool) {
	deadline := time.After(time.Duration(faultRoundLength/2) * faultBlockTime)
	for {
		select {
		case tx := <-w.proxy.Sent():
			if txRound(tx) == r && tx.From == w.acct {
				return tx, true
			}
		case <-deadline:
			return rpcfault.RawTx{}, false
		}
	}
}

// killOnSend waits for the node's next transaction of round r to reach the
// chain, lets settle run, kills the node (SIGKILL), lifts the faults and
// starts it again.
func (w *faultWorld) killOnSend(r uint64, settle func()) bool {
	defer w.proxy.Set(rpcfault.Faults{})
	if _, ok := w.nodeTx(r); !ok {
		return false
	}
	settle()
	w.node.kill()
	w.proxy.Set(rpcfault.Faults{})
	w.restartNode()
	return true
}

// reorgNodeTx waits for a transaction of the node's in round r to be mined
// and reorganises its block away.
func (w *faultWorld) reorgNodeTx(r uint64) bool {
	tx, ok := w.nodeTx(r)
	if !ok {
		return false
	}
	rc := w.waitReceipt(tx)
	if rc == nil {
		return false
	}
	blk, err := w.net.Client().HeaderByHash(context.Background(), rc.BlockHash)
	if err != nil {
		return false
	}
	// The simulated chain forks only with nothing pending: try between the
	// node's sends.
	for range 100 {
		if err = w.net.Reorg(blk.ParentHash, time.Second); err == nil {
			return true
		}
		time.Sleep(faultBlockTime / 10)
	}
	w.t.Errorf("reorg: %v", err)
	return false
}

// endRound lifts the round's faults: the chain heals, a stopped worker goes on.
func (w *faultWorld) endRound(c faultClass) {
	w.proxy.Set(rpcfault.Faults{})
	if c == fcHungWorker {
		w.workers[0].signal(syscall.SIGCONT)
	}
}

// keepLogs writes every process's whole output to the directory named by
// OPKIT_FAULT_LOGS, if set (make faults sets it).
func (w *faultWorld) keepLogs() {
	dir := os.Getenv("OPKIT_FAULT_LOGS")
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		w.t.Errorf("OPKIT_FAULT_LOGS: %v", err)
		return
	}
	for _, p := range append([]*proc{w.node}, w.workers...) {
		if err := os.WriteFile(filepath.Join(dir, p.name+".log"), []byte(p.output()), 0o644); err != nil {
			w.t.Errorf("OPKIT_FAULT_LOGS: %v", err)
		}
	}
}

// labelRounds keeps the proxy's round label on the chain head's round, so
// every transaction is counted in the round it was sent in.
func (w *faultWorld) labelRounds() {
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for {
			w.proxy.SetRound(w.head() / faultRoundLength)
			select {
			case <-stop:
				return
			case <-time.After(faultBlockTime / 5):
			}
		}
	}()
	w.t.Cleanup(func() { close(stop); <-done })
}

// tail is the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// scrapeQuiet reads a Prometheus text page; empty when it cannot be read.
func scrapeQuiet(url string) map[string]float64 {
	out := map[string]float64{}
	resp, err := http.Get(url)
	if err != nil {
		return out
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(body), "\n") {
		i := strings.LastIndexByte(line, ' ')
		if line == "" || line[0] == '#' || i < 0 {
			continue
		}
		if v, err := strconv.ParseFloat(line[i+1:], 64); err == nil {
			out[line[:i]] = v
		}
	}
	return out
}
