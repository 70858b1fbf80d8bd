package daemon_test

import (
	"context"
	"math/big"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/opkit-dev/opkit/contracts/devnet/rpcfault"
)

// soakClass is what a round of the soak does to the daemon.
type soakClass string

const (
	classClean   soakClass = "clean"
	classFlaky   soakClass = "flaky"   // dropped requests, lost answers, 5xx
	classStall   soakClass = "stall"   // requests held for seconds
	classRestart soakClass = "restart" // flaky, and the daemon restarts mid-round
	classGas     soakClass = "gas"     // the node reports a gas price above the cap
	classDown    soakClass = "down"    // every request fails all round
)

// soakCycle repeats over the run: gas spikes last two rounds.
var soakCycle = []soakClass{classClean, classFlaky, classRestart, classStall, classGas, classGas,
	classRestart, classFlaky, classDown, classRestart}

// eligible rounds had a reachable chain and gas under the cap: each must
// get exactly one reward.
func (c soakClass) eligible() bool { return c != classGas && c != classDown }

// soakSettings come from the environment: OPKIT_SOAK_ROUNDS (default 30),
// OPKIT_SOAK_STALL (default 300ms; 2s when OPKIT_SOAK_ROUNDS is set) and
// OPKIT_SOAK_SEED (default 7) for the fault schedule.
func soakSettings(t *testing.T) (rounds int, stall time.Duration) {
	rounds, stall = 30, 300*time.Millisecond
	if v := os.Getenv("OPKIT_SOAK_ROUNDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 10 {
			t.Fatalf("OPKIT_SOAK_ROUNDS=%q: want a number >= 10", v)
		}
		rounds = n
		stall = 2 * time.Second
	}
	if v := os.Getenv("OPKIT_SOAK_STALL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("OPKIT_SOAK_STALL=%q: %v", v, err)
		}
		stall = d
	}
	return rounds, stall
}

func (c soakClass) faults(stall time.Duration) rpcfault.Faults {
	switch c {
	case classFlaky, classRestart:
		return rpcfault.Faults{DropRate: 0.05, LoseRate: 0.05, ErrRate: 0.05}
	case classStall:
		// A tenth of the requests held: with ~20 requests per attempt a
		// 2-second stall hits most attempts, several times over.
		return rpcfault.Faults{Stall: stall, StallRate: 0.1}
	case classGas:
		return rpcfault.Faults{GasPrice: new(big.Int).Mul(maxGasPrice, big.NewInt(4))}
	case classDown:
		return rpcfault.Faults{Down: true}
	}
	return rpcfault.Faults{}
}

// TestSoakFaults runs the daemon through a fault-injecting proxy for many
// rounds, restarting it mid-round again and again on the same protection DB.
// It checks that every eligible round got exactly one reward, that no round
// ever saw a second reward transaction (a second nonce), that no transaction
// offered more than the gas cap, and that no nonce was skipped.
func TestSoakFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("soak: skipped in -short mode")
	}
	nRounds, stall := soakSettings(t)
	seed := uint64(7)
	if v := os.Getenv("OPKIT_SOAK_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("OPKIT_SOAK_SEED=%q: %v", v, err)
		}
		seed = n
	}
	w := newWorld(t, seed, testLogger(t))
	w.register()
	rng := rand.New(rand.NewPCG(seed, 11))
	first := w.head()/roundLength + 1
	d := w.startDaemon(w.daemonConfig())
	classes := map[uint64]soakClass{}
	restarts, missedEligible := 0, 0
	start := time.Now()
	for i := 0; i < nRounds; i++ {
		r := first + uint64(i)
		c := soakCycle[i%len(soakCycle)]
		if i < 2 {
			c = classClean
		}
		classes[r] = c
		w.proxy.Set(c.faults(stall))
		if !c.eligible() {
			w.proxy.SetRound(r)
			w.mineTo(r * roundLength)
			w.waitFaulted(5, 5*time.Second)
			w.endRound(r)
			continue
		}
		if c == classRestart {
			restartAt := rng.IntN(3) // before any tx, after init is sent, after reward is sent
			d = w.driveRestart(d, r, restartAt)
			restarts++
		}
		// The wall-clock budget stands in for a round's length: long enough
		// for the retries a sick but reachable node needs.
		o, ok := w.driveRound(r, 90*time.Second)
		if !ok || !o.o.Fulfilled() {
			missedEligible++
			t.Errorf("round %d (%s): no reward: %v %v", r, c, o.o, o.err)
		}
		w.endRound(r)
	}
	w.proxy.Set(rpcfault.Faults{})
	d.stop(t)
	w.mineTo(w.head() + 2) // let anything still pending land
	w.checkSoak(first, nRounds, classes, restarts, time.Since(start))
}

// waitFaulted waits until the proxy has faulted n more requests, or d.
func (w *world) waitFaulted(n int, d time.Duration) {
	_, before := w.proxy.Snapshot()
	sum := func(c map[string]int) int { return c["down"] + c["gas_rewritten"] }
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		_, now := w.proxy.Snapshot()
		if sum(now)-sum(before) >= n {
			return
		}
		w.pokeWatcher()
		select {
		case <-w.proxy.Sent():
			w.mineIfPending(w.head() / roundLength)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// driveRestart starts round r and restarts the daemon after the
// restartAt-th transaction of the round reached the node (before it is
// mined), or at once when restartAt is 0.
func (w *world) driveRestart(d *running, r uint64, restartAt int) *running {
	w.proxy.SetRound(r)
	w.mineTo(r * roundLength)
	blocks := time.NewTicker(100 * time.Millisecond)
	defer blocks.Stop()
	for seen := 0; seen < restartAt; {
		select {
		case <-blocks.C:
			w.mineIfPending(r)
		case <-w.proxy.Sent():
			seen++
		case o := <-w.outcomes:
			if o.round == r && o.gen == w.gen.Load() {
				w.outcomes <- o // the round is done already; driveRound takes it
				seen = restartAt
			}
		case <-time.After(30 * time.Second):
			w.t.Fatalf("round %d: no transaction before restart", r)
		}
	}
	d.stop(w.t)
	nd := w.startDaemon(w.daemonConfig())
	w.mineIfPending(r)
	return nd
}

func (w *world) checkSoak(first uint64, n int, classes map[uint64]soakClass, restarts int, took time.Duration) {
	t := w.t
	ctx := context.Background()
	txs, counts := w.proxy.Snapshot()
	rec := w.readChain()
	nonces := rewardNonces(txs, w.proto.RewardData)
	var eligible, rewarded, doubleSent, overCap, gaps, reverted int
	for i := 0; i < n; i++ {
		r := first + uint64(i)
		got := len(rec.rewardBlock[r])
		if classes[r].eligible() {
			eligible++
			if got != 1 {
				t.Errorf("round %d (%s): %d rewards on chain, want 1", r, classes[r], got)
			}
		} else if got > 1 {
			t.Errorf("round %d (%s): %d rewards on chain", r, classes[r], got)
		}
		if got > 0 {
			rewarded++
		}
		if len(nonces[r]) > 1 {
			doubleSent++
			t.Errorf("round %d: reward sent with nonces %v", r, nonces[r])
		}
	}
	for _, tx := range txs {
		if tx.FeeCap.Cmp(maxGasPrice) > 0 || tx.Tip.Cmp(maxGasPrice) > 0 {
			overCap++
			t.Errorf("tx %s offers %s wei/gas, above the cap", tx.Hash, tx.FeeCap)
		}
		if tx.PendingNonce != rpcfault.NoPendingNonce && tx.Nonce > tx.PendingNonce {
			gaps++
			t.Errorf("tx %s nonce %d skips past pending nonce %d", tx.Hash, tx.Nonce, tx.PendingNonce)
		}
		if !tx.Forwarded {
			continue
		}
		if rc, err := w.direct.TransactionReceipt(ctx, tx.Hash); err == nil {
			if rc.Status != types.ReceiptStatusSuccessful {
				reverted++
				t.Errorf("tx %s (nonce %d) reverted", tx.Hash, tx.Nonce)
			}
			if rc.EffectiveGasPrice != nil && rc.EffectiveGasPrice.Cmp(maxGasPrice) > 0 {
				overCap++
			}
		}
	}
	latest, _ := w.direct.NonceAt(ctx, w.acct, nil)
	pending, _ := w.direct.PendingNonceAt(ctx, w.acct)
	if pending != latest {
		gaps++
		t.Errorf("after the soak %d transactions are stuck (nonce %d, pending %d)", pending-latest, latest, pending)
	}
	t.Logf("soak: %d rounds in %v, %d restarts; eligible rounds %d, rounds rewarded %d; "+
		"reward sent twice in a round: %d; txs above cap: %d; nonce gaps: %d; reverted txs: %d; "+
		"raw txs seen %d; faults: dropped %d, lost answers %d, 5xx %d, stalled %d, gas rewritten %d, down %d",
		n, took.Round(time.Millisecond), restarts, eligible, rewarded, doubleSent, overCap, gaps, reverted,
		len(txs), counts["dropped"], counts["lost"], counts["5xx"], counts["stalled"], counts["gas_rewritten"], counts["down"])
}
