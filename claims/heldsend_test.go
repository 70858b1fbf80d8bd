package claims_test

import (
	"context"
	"math/big"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/opkit-dev/opkit/claims"
	"github.com/opkit-dev/opkit/staking/txmgr"
)

// spikeBackend reports a gas tip of 20 gwei while spiking: above the
// transaction manager's cap, under the cap of verify().
type spikeBackend struct {
	automine
	spiking *atomic.Bool
}

func (b spikeBackend) SuggestGasTipCap(ctx context.Context) (*big.Int, error) {
	if b.spiking.Load() {
		return big.NewInt(20e9), nil
	}
	return b.automine.SuggestGasTipCap(ctx)
}

// TestHeldDistributeDoesNotDelayVerify: one claim's distributeFees is held
// above the gas cap (a spike that can last hours) when another claim's
// challenged segments must be verified before their window ends. The
// verification must not wait behind the held send: a missed one is a
// slash. Before the fix the claims loop did one claim after the other, and
// the held distributeFees kept it from the verify until the window was
// over (found by the fault suite's gas_spike round).
func TestHeldDistributeDoesNotDelayVerify(t *testing.T) {
	w := newWorld(t)
	store := w.openStore(w.storePath(), nil)
	t.Cleanup(func() { _ = store.Close() })
	metrics, err := claims.NewPromMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	w.tx(w.owner, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.jm.SetVerificationRate(o, big.NewInt(1))
	})
	var spiking atomic.Bool
	signer := types.LatestSignerForChainID(w.chainID)
	txm, err := txmgr.New(txmgr.Config{Backend: spikeBackend{automine{w.rpc, w.dn}, &spiking}, ChainID: w.chainID, From: addr(w.T),
		Sign: func(_ context.Context, _ common.Address, tx *types.Transaction) (*types.Transaction, error) {
			return types.SignTx(tx, signer, w.T)
		},
		MaxGasPrice: big.NewInt(5e9), PollInterval: 5 * time.Millisecond, ResubmitTimeout: time.Minute, Logger: w.log.Named("txmgr")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(txm.Close)
	two := func(c *claims.Config) {
		c.MaxSegments, c.VerifyMaxGasPrice, c.PollInterval = 2, big.NewInt(50e9), 10*time.Millisecond
	}
	svc := w.service(store, txm, metrics, two)

	// Claim A: segments 0-1, verified, then at its slashing window's end.
	w.putReceipts(store, 0, 2)
	if _, err := svc.Step(w.ctx); err != nil {
		t.Fatal(err)
	}
	w.dn.Mine(2)
	if _, err := svc.Step(w.ctx); err != nil {
		t.Fatal(err)
	}
	a := w.claimsOf(store)[0]

	// Claim B (segments 2-3) just before A's slashing window ends, so that
	// A's distributeFees falls due before B's challenged segments can be
	// verified (from B's claim block + 2).
	w.mineTo(a.EndSlashing - 3)
	if ok, _ := w.rm.CurrentRoundInitialized(w.call()); !ok {
		w.tx(w.owner, w.rm.InitializeRound)
	}
	w.putReceipts(store, 2, 2)
	if _, err := svc.Step(w.ctx); err != nil {
		t.Fatal(err)
	}
	cs := w.claimsOf(store)
	if len(cs) != 2 || cs[1].State != claims.ClaimClaimed || w.head()+1 < a.EndSlashing {
		t.Fatalf("claims %+v at head %d; want B claimed with A's fees due (slashing window ends %d)", cs, w.head(), a.EndSlashing)
	}
	b := cs[1]

	// The spike: A's distributeFees is held above the cap from now on.
	spiking.Store(true)
	ctx, cancel := context.WithCancel(w.ctx)
	done := make(chan error, 1)
	go func() { done <- svc.Run(ctx) }()
	defer func() { cancel(); <-done }()
	for deadline := time.Now().Add(20 * time.Second); w.head() < b.EndVerify; {
		if time.Now().After(deadline) {
			t.Fatal("the chain did not reach claim B's window end")
		}
		w.dn.Mine(1)
		time.Sleep(20 * time.Millisecond)
	}
	for _, seg := range []uint64{2, 3} {
		st, err := w.jm.SegmentStatus(w.call(), u(b.Job), u(b.ClaimID), u(seg))
		if err != nil || st == 0 {
			t.Errorf("claim B segment %d: status %d (%v): not verified before its window ended", seg, st, err)
		}
	}
}
