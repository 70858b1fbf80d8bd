package daemon_test

import (
	"testing"
	"time"

	"github.com/opkit-dev/opkit/staking/reward"
)

// TestDaemonRewardsEveryRound runs the daemon against the devnet's real EVM
// for 20 rounds of 4 blocks: it initializes each round and calls reward()
// once, within 2 blocks of the round's initialization.
func TestDaemonRewardsEveryRound(t *testing.T) {
	w := newWorld(t, 1, testLogger(t))
	w.register()
	first := w.head()/roundLength + 1
	w.startDaemon(w.daemonConfig())
	const rounds = 20
	for r := first; r < first+rounds; r++ {
		o, ok := w.driveRound(r, 30*time.Second)
		if !ok {
			t.Fatalf("round %d: no outcome", r)
		}
		if o.o != reward.OutcomeRewarded || o.err != nil {
			t.Fatalf("round %d: %v, %v", r, o.o, o.err)
		}
		w.endRound(r)
	}
	rec := w.readChain()
	for r := first; r < first+rounds; r++ {
		init, ok := rec.initBlock[r]
		if !ok {
			t.Fatalf("round %d never initialized", r)
		}
		blocks := rec.rewardBlock[r]
		if len(blocks) != 1 {
			t.Fatalf("round %d: %d Reward events, want 1", r, len(blocks))
		}
		if d := blocks[0] - init; d > 2 {
			t.Errorf("round %d: reward %d blocks after initialization", r, d)
		}
	}
	txs, _ := w.proxy.snapshot()
	perRound := map[uint64]int{}
	for _, tx := range txs {
		if string(tx.Data) == string(w.proto.RewardData) {
			perRound[tx.Round]++
		}
	}
	for r := first; r < first+rounds; r++ {
		if perRound[r] != 1 {
			t.Errorf("round %d: %d reward transactions sent", r, perRound[r])
		}
	}
}
