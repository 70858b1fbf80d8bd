package daemon_test

import (
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"
	"go.uber.org/zap/zaptest"

	"github.com/opkit-dev/opkit/staking/failover"
	"github.com/opkit-dev/opkit/staking/reward"
)

// TestDaemonRewardsThroughEndpointFailover: the daemon reaches the devnet
// through two RPC front ends; the first is killed in the middle of a round.
// Every round is still rewarded, and no reward is sent twice (one nonce per
// round, whatever endpoint carried it).
func TestDaemonRewardsThroughEndpointFailover(t *testing.T) {
	w := newWorld(t, 1, testLogger(t))
	w.register()
	u, err := url.Parse(w.dev.RPCURL())
	if err != nil {
		t.Fatal(err)
	}
	first := httptest.NewServer(httputil.NewSingleHostReverseProxy(u))
	t.Cleanup(first.Close)
	var eps []failover.Endpoint
	for i, raw := range []string{first.URL, w.proxy.URL()} {
		c, err := ethclient.Dial(raw)
		if err != nil {
			t.Fatal(err)
		}
		eps = append(eps, failover.Endpoint{Name: []string{"first", "second"}[i], Client: c})
	}
	fc, err := failover.New(failover.Config{Endpoints: eps, CallTimeout: 2 * time.Second, Logger: zaptest.NewLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fc.Close)
	start := w.head()/roundLength + 1
	w.startDaemonVia(w.daemonConfig(), fc)
	for r := start; r < start+4; r++ {
		if r == start+2 {
			w.mineTo(r*roundLength + 1) // the round has begun
			first.CloseClientConnections()
			first.Close()
		}
		o, ok := w.driveRound(r, 30*time.Second)
		if !ok || o.o != reward.OutcomeRewarded || o.err != nil {
			t.Fatalf("round %d: %v, %v (ok %v)", r, o.o, o.err, ok)
		}
		w.endRound(r)
	}
	if fc.Active() != 1 {
		t.Fatalf("active endpoint %d after the first died, want 1", fc.Active())
	}
	rec := w.readChain()
	for r := start; r < start+4; r++ {
		if n := len(rec.rewardBlock[r]); n != 1 {
			t.Fatalf("round %d: %d Reward events, want 1", r, n)
		}
	}
	txs, _ := w.proxy.Snapshot()
	for r, nonces := range rewardNonces(txs, w.proto.RewardData) {
		if len(nonces) > 1 {
			t.Fatalf("round %d: reward sent with nonces %v", r, nonces)
		}
	}
}
