package daemon_test

import (
	"testing"
	"time"

	"github.com/opkit-dev/opkit/contracts/bindings"
	"github.com/opkit-dev/opkit/contracts/devnet/rpcfault"
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
	maxGap := uint64(0)
	for r := first; r < first+rounds; r++ {
		init, ok := rec.initBlock[r]
		if !ok {
			t.Fatalf("round %d never initialized", r)
		}
		blocks := rec.rewardBlock[r]
		if len(blocks) != 1 {
			t.Fatalf("round %d: %d Reward events, want 1", r, len(blocks))
		}
		d := blocks[0] - init
		if d > 2 {
			t.Errorf("round %d: reward %d blocks after initialization", r, d)
		}
		maxGap = max(maxGap, d)
	}
	t.Logf("%d rounds rewarded; reward at most %d block(s) after the round's initialization", rounds, maxGap)
	txs, _ := w.proxy.Snapshot()
	nonces := rewardNonces(txs, w.proto.RewardData)
	for r := first; r < first+rounds; r++ {
		if len(nonces[r]) != 1 {
			t.Errorf("round %d: reward transactions with nonces %v, want exactly one", r, nonces[r])
		}
	}
}

// rewardNonces groups the nonces of the reward transactions the proxy
// forwarded by the round they were sent in. A re-broadcast or a fee-bumped
// replacement keeps its nonce: only a second nonce is a second reward.
func rewardNonces(txs []rpcfault.RawTx, rewardData []byte) map[uint64]map[uint64]int {
	out := map[uint64]map[uint64]int{}
	for _, tx := range txs {
		if !tx.Forwarded || !isReward(tx.Data, rewardData) {
			continue
		}
		if out[tx.Round] == nil {
			out[tx.Round] = map[uint64]int{}
		}
		out[tx.Round][tx.Nonce]++
	}
	return out
}

// isReward reports whether data calls reward() or rewardWithHint(...).
func isReward(data, rewardData []byte) bool {
	if string(data) == string(rewardData) {
		return true
	}
	a, _ := bindings.BondingManagerMetaData.GetAbi()
	sel := a.Methods["rewardWithHint"].ID
	return len(data) >= 4 && string(data[:4]) == string(sel)
}
