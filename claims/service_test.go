package claims_test

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/opkit-dev/opkit/claims"
	"github.com/opkit-dev/opkit/contracts/bindings"
	"github.com/opkit-dev/opkit/staking/txmgr"
)

func (w *world) service(store *claims.Store, sender claims.Sender, m claims.Metrics, mut func(*claims.Config)) *claims.Service {
	w.t.Helper()
	cfg := claims.Config{Store: store, Backend: w.rpc, Sender: sender, Account: addr(w.T), JobsManager: w.addrs.JobsManager,
		ChainID: w.chainID.Uint64(), MaxSegments: 20, ClaimIdle: time.Hour, Metrics: m, Logger: w.log.Named("claims")}
	if mut != nil {
		mut(&cfg)
	}
	s, err := claims.New(cfg)
	if err != nil {
		w.t.Fatal(err)
	}
	return s
}

func (w *world) claimsOf(s *claims.Store) []claims.ClaimRecord {
	w.t.Helper()
	cs, err := s.Claims()
	if err != nil {
		w.t.Fatal(err)
	}
	return cs
}

func u(n uint64) *big.Int { return new(big.Int).SetUint64(n) }

// runner runs a Service's Run loop with hand-fed ticks and reports every step.
type runner struct {
	ticks chan time.Time
	steps chan error
	done  chan error
	stop  context.CancelFunc
	once  sync.Once
	err   error
}

// halt stops Run and returns what it returned.
func (r *runner) halt() error {
	r.once.Do(func() { r.stop(); r.err = <-r.done })
	return r.err
}

func (w *world) run(store *claims.Store, sender claims.Sender, m claims.Metrics) *runner {
	ctx, cancel := context.WithCancel(w.ctx)
	r := &runner{ticks: make(chan time.Time), steps: make(chan error, 1), done: make(chan error, 1), stop: cancel}
	svc := w.service(store, sender, m, func(c *claims.Config) {
		c.Ticks = r.ticks
		c.AfterStep = func(_ uint64, err error) { r.steps <- err }
	})
	go func() { r.done <- svc.Run(ctx) }()
	w.t.Cleanup(func() { _ = r.halt() })
	if err := r.wait(w.t); err != nil { // Run steps once at start
		w.t.Fatalf("first step: %v", err)
	}
	return r
}

func (r *runner) wait(t *testing.T) error {
	t.Helper()
	select {
	case err := <-r.steps:
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("no step within 30s")
		return nil
	}
}

// step feeds one tick and returns the error of the step it caused.
func (r *runner) step(t *testing.T) error {
	t.Helper()
	r.ticks <- time.Now()
	return r.wait(t)
}

// TestServiceEndToEnd: 40 receipts signed by the broadcaster are claimed in two claims of 20,
// the service is restarted over the same store between claimWork and verify, the new one
// verifies every challenged segment (the solver passes them all), distributes the fees after the
// slashing window, and the transcoder's pending fees are exactly what the claims were worth.
// claimWork is sent once per range.
func TestServiceEndToEnd(t *testing.T) {
	w := newWorld(t)
	path := w.storePath()
	store := w.openStore(path, nil)
	w.putReceipts(store, 0, 40)
	reg := prometheus.NewRegistry()
	metrics, err := claims.NewPromMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}

	svc := w.service(store, w.txm(), metrics, nil)
	if _, err := svc.Step(w.ctx); err != nil {
		t.Fatalf("claim step: %v", err)
	}
	cs := w.claimsOf(store)
	if len(cs) != 2 || cs[0].State != claims.ClaimClaimed || cs[1].State != claims.ClaimClaimed ||
		cs[0].Start != 0 || cs[0].End != 19 || cs[1].Start != 20 || cs[1].End != 39 {
		t.Fatalf("claims after the first step = %+v; want [0,19] and [20,39] claimed", cs)
	}
	checkMetric(t, reg, "opkit_claims_pending_receipts", "", 0)
	for _, c := range cs {
		oc, err := w.jm.GetClaim(w.call(), u(w.job), u(c.ClaimID))
		if err != nil || oc.ClaimRoot != c.Root || oc.SegmentStart != c.Start || oc.SegmentEnd != c.End {
			t.Fatalf("claim %d on chain %+v, %v; store has %+v", c.ClaimID, oc, err, c)
		}
	}

	// Restart between claimWork and verify: a new service over the same file.
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	store = w.openStore(path, nil)
	t.Cleanup(func() { _ = store.Close() })
	w.dn.Mine(2) // the later claim's seed block and the first block verify() may run in
	from := w.head()
	r := w.run(store, w.txm(), metrics)
	if err := r.step(t); err != nil {
		t.Fatalf("verify step: %v", err)
	}
	cs = w.claimsOf(store)
	challenged := 0
	for _, c := range cs {
		if c.State != claims.ClaimVerified {
			t.Fatalf("claim %d is %s after the verify step; want verified", c.ClaimID, c.State)
		}
		for _, seg := range c.Challenged {
			if c.Verified[seg] != claims.VerifyResultSubmitted {
				t.Fatalf("claim %d segment %d: %q, want submitted", c.ClaimID, seg, c.Verified[seg])
			}
			challenged++
		}
		for seg := c.Start; seg <= c.End; seg++ {
			onChain, err := w.jm.IsSegmentChallenged(w.call(), u(w.job), u(c.ClaimID), u(seg))
			if err != nil {
				t.Fatal(err)
			}
			if _, ours := c.Verified[seg]; onChain != ours {
				t.Fatalf("claim %d segment %d: contract challenged=%v, service verified=%v", c.ClaimID, seg, onChain, ours)
			}
		}
	}
	if challenged == 0 {
		t.Fatal("no segment of 40 challenged at rate 1/4")
	}
	if n := w.solve(from); n != challenged {
		t.Fatalf("solver answered %d requests, want %d", n, challenged)
	}
	for _, c := range cs {
		for _, seg := range c.Challenged {
			if st, err := w.jm.SegmentStatus(w.call(), u(w.job), u(c.ClaimID), u(seg)); err != nil || st != 2 {
				t.Fatalf("claim %d segment %d status %d, %v; want Passed", c.ClaimID, seg, st, err)
			}
		}
	}

	if err := r.step(t); err != nil { // still in the slashing window: nothing to do
		t.Fatal(err)
	}
	if got := w.txCount("distributeFees"); got != 0 {
		t.Fatalf("distributeFees sent inside the slashing window (%d)", got)
	}
	w.mineTo(cs[1].EndSlashing - 1)
	if err := r.step(t); err != nil {
		t.Fatalf("distribute step: %v", err)
	}
	for _, c := range w.claimsOf(store) {
		if c.State != claims.ClaimDistributed {
			t.Fatalf("claim %d is %s; want distributed", c.ClaimID, c.State)
		}
	}
	if err := r.halt(); err != nil {
		t.Fatalf("Run returned %v", err)
	}

	fees := new(big.Int).Mul(big.NewInt(40*int64(len(profiles))), price)
	pending := w.pendingFees()
	if pending.Cmp(fees) != 0 {
		t.Fatalf("transcoder pending fees = %v wei, want 40 segments * %d profiles * %v = %v", pending, len(profiles), price, fees)
	}
	counts := map[string]int{"claimWork": 2, "verify": challenged, "distributeFees": 2}
	for m, want := range counts {
		if got := w.txCount(m); got != want {
			t.Fatalf("%s transactions from T: %d, want %d", m, got, want)
		}
	}
	checkMetric(t, reg, "opkit_claims_submitted_total", "claimed", 2)
	checkMetric(t, reg, "opkit_verifications_total", "submitted", float64(challenged))
	checkMetric(t, reg, "opkit_fees_distributed_wei_total", "", float64(fees.Int64()))
}

func (w *world) pendingFees() *big.Int {
	w.t.Helper()
	r, err := w.rm.CurrentRound(w.call())
	if err != nil {
		w.t.Fatal(err)
	}
	p, err := w.bm.PendingFees(w.call(), addr(w.T), r)
	if err != nil {
		w.t.Fatal(err)
	}
	return p
}

// checkMetric checks a counter or gauge; result "" means the metric has no result label.
func checkMetric(t *testing.T, reg *prometheus.Registry, name, result string, want float64) {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			label := ""
			for _, l := range m.GetLabel() {
				if l.GetName() == "result" {
					label = l.GetValue()
				}
			}
			if label != result {
				continue
			}
			got := m.GetCounter().GetValue() + m.GetGauge().GetValue()
			if got != want {
				t.Fatalf("%s{result=%q} = %v, want %v", name, result, got, want)
			}
			return
		}
	}
	t.Fatalf("%s{result=%q} not exported", name, result)
}

// crashSender stands in for a process that dies around claimWork: it sends through the real
// transaction manager (or not at all) and then reports a failure, as a crash would leave the
// store with the intent and no outcome.
type crashSender struct {
	mu    sync.Mutex
	real  claims.Sender
	plans []bool // per call: true sends the transaction before failing
}

var errCrash = errors.New("process died")

func (c *crashSender) Send(ctx context.Context, cand txmgr.Candidate) (*types.Receipt, error) {
	c.mu.Lock()
	send := c.plans[0]
	c.plans = c.plans[1:]
	c.mu.Unlock()
	if send {
		if _, err := c.real.Send(ctx, cand); err != nil {
			return nil, err
		}
	}
	return nil, fmt.Errorf("%w: %w", txmgr.ErrNotConfirmed, errCrash)
}

// TestServiceResumesClaimIntents: a process dies after its claimWork for [0, 19] is mined but
// before the outcome is recorded; the next one finds that claim on chain and does not send it
// again, then dies after recording the intent for [20, 39] but before sending it; the third
// sends that one. claimWork goes out once per range and both claims are verified.
func TestServiceResumesClaimIntents(t *testing.T) {
	w := newWorld(t)
	path := w.storePath()
	txm := w.txm()
	life := func(sender claims.Sender) (*claims.Store, *claims.Service, *prometheus.Registry) {
		store := w.openStore(path, nil)
		reg := prometheus.NewRegistry()
		metrics, err := claims.NewPromMetrics(reg)
		if err != nil {
			t.Fatal(err)
		}
		return store, w.service(store, sender, metrics, nil), reg
	}
	states := func(store *claims.Store) string {
		var out []string
		for _, c := range w.claimsOf(store) {
			out = append(out, fmt.Sprintf("[%d,%d]:%s", c.Start, c.End, c.State))
		}
		return fmt.Sprint(out)
	}

	store, svc, _ := life(&crashSender{real: txm, plans: []bool{true}})
	w.putReceipts(store, 0, 40)
	if _, err := svc.Step(w.ctx); !errors.Is(err, errCrash) {
		t.Fatalf("first life: err = %v, want the crash", err)
	}
	if got, want := states(store), "[[0,19]:intent]"; got != want {
		t.Fatalf("first life left %s, want %s", got, want)
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}

	store, svc, reg := life(&crashSender{real: txm, plans: []bool{false}})
	if _, err := svc.Step(w.ctx); !errors.Is(err, errCrash) {
		t.Fatalf("second life: err = %v, want the crash", err)
	}
	if got, want := states(store), "[[0,19]:claimed [20,39]:intent]"; got != want {
		t.Fatalf("second life left %s, want %s", got, want)
	}
	checkMetric(t, reg, "opkit_claims_submitted_total", "recovered", 1)
	if got := w.txCount("claimWork"); got != 1 {
		t.Fatalf("claimWork sent %d times after two lives, want 1", got)
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}

	store, svc, reg = life(txm)
	t.Cleanup(func() { _ = store.Close() })
	if _, err := svc.Step(w.ctx); err != nil {
		t.Fatalf("third life: %v", err)
	}
	if got, want := states(store), "[[0,19]:claimed [20,39]:claimed]"; got != want {
		t.Fatalf("third life left %s, want %s", got, want)
	}
	checkMetric(t, reg, "opkit_claims_submitted_total", "claimed", 1)
	w.dn.Mine(2)
	if _, err := svc.Step(w.ctx); err != nil {
		t.Fatalf("verify step: %v", err)
	}
	if got, want := states(store), "[[0,19]:verified [20,39]:verified]"; got != want {
		t.Fatalf("after verifying: %s, want %s", got, want)
	}
	if _, err := svc.Step(w.ctx); err != nil { // nothing to do until the slashing window ends
		t.Fatal(err)
	}
	if got := w.txCount("claimWork"); got != 2 {
		t.Fatalf("claimWork sent %d times in all, want 2 (one per range)", got)
	}
}

// TestServiceClaimPolicy: a partial run waits until it is idle for ClaimIdle; a receipt not
// signed by the job's broadcaster is set aside and never claimed.
func TestServiceClaimPolicy(t *testing.T) {
	w := newWorld(t)
	now := time.Unix(1_800_000_000, 0)
	clock := func() time.Time { return now }
	store := w.openStore(w.storePath(), clock)
	t.Cleanup(func() { _ = store.Close() })
	w.putReceipts(store, 0, 5)
	// Segment 5 signed by T instead of B.
	hs := renditionHashes(5)
	bad := claims.NewReceipt(streamID, 5, []byte("x"), hs, nil)
	sig, _ := claims.SignSegment(w.T, bad.SegmentHash())
	bad.BroadcasterSig = sig
	if err := store.Put(w.job, bad, hs); err != nil {
		t.Fatal(err)
	}
	svc := w.service(store, w.txm(), nil, func(c *claims.Config) { c.ClaimIdle = time.Minute; c.Now = clock })
	if _, err := svc.Step(w.ctx); err != nil {
		t.Fatal(err)
	}
	if cs := w.claimsOf(store); len(cs) != 0 {
		t.Fatalf("a fresh partial run was claimed: %+v", cs)
	}
	now = now.Add(time.Minute)
	if _, err := svc.Step(w.ctx); err != nil {
		t.Fatal(err)
	}
	cs := w.claimsOf(store)
	if len(cs) != 1 || cs[0].Start != 0 || cs[0].End != 4 || cs[0].State != claims.ClaimClaimed {
		t.Fatalf("claims = %+v; want [0, 4] claimed, without the badly signed segment 5", cs)
	}
	if _, err := svc.Step(w.ctx); err != nil {
		t.Fatal(err)
	}
	rec, err := store.Get(w.job, 5)
	if err != nil || rec.Rejected == "" || rec.InClaim {
		t.Fatalf("segment 5 = %+v, %v; want it rejected and in no claim", rec, err)
	}
	if got := w.txCount("claimWork"); got != 1 {
		t.Fatalf("claimWork sent %d times, want 1", got)
	}
}

// TestServiceFeesDistributedByAnother: anyone may call distributeFees; a claim whose fees
// someone else distributed is recorded as distributed without a second call, and only the
// service's own distribution counts in its metric.
func TestServiceFeesDistributedByAnother(t *testing.T) {
	w := newWorld(t)
	store := w.openStore(w.storePath(), nil)
	t.Cleanup(func() { _ = store.Close() })
	w.putReceipts(store, 0, 40)
	reg := prometheus.NewRegistry()
	metrics, err := claims.NewPromMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	svc := w.service(store, w.txm(), metrics, nil)
	if _, err := svc.Step(w.ctx); err != nil {
		t.Fatal(err)
	}
	w.dn.Mine(2)
	if _, err := svc.Step(w.ctx); err != nil {
		t.Fatal(err)
	}
	cs := w.claimsOf(store)
	w.mineTo(cs[0].EndSlashing)
	w.tx(w.B, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.jm.DistributeFees(o, u(w.job), u(cs[0].ClaimID))
	})
	w.mineTo(cs[1].EndSlashing - 1)
	if _, err := svc.Step(w.ctx); err != nil {
		t.Fatal(err)
	}
	for _, c := range w.claimsOf(store) {
		if c.State != claims.ClaimDistributed {
			t.Fatalf("claim %d is %s, want distributed", c.ClaimID, c.State)
		}
	}
	if got := w.txCount("distributeFees"); got != 1 {
		t.Fatalf("T sent distributeFees %d times, want 1 (the other claim was distributed by B)", got)
	}
	half := new(big.Int).Mul(big.NewInt(20*int64(len(profiles))), price)
	checkMetric(t, reg, "opkit_fees_distributed_wei_total", "", float64(half.Int64()))
	if got, want := w.pendingFees(), new(big.Int).Mul(half, big.NewInt(2)); got.Cmp(want) != 0 {
		t.Fatalf("pending fees %v, want %v", got, want)
	}
}

// TestServiceMissedVerificationSlashed: the service was not running through the verification
// period; on its next step every challenged segment is recorded as missed, a finder slashes
// the claim, and the service records it as slashed instead of asking for fees.
func TestServiceMissedVerificationSlashed(t *testing.T) {
	w := newWorld(t)
	store := w.openStore(w.storePath(), nil)
	t.Cleanup(func() { _ = store.Close() })
	w.putReceipts(store, 0, 40)
	reg := prometheus.NewRegistry()
	metrics, err := claims.NewPromMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	svc := w.service(store, w.txm(), metrics, func(c *claims.Config) { c.MaxSegments = 40 })
	if _, err := svc.Step(w.ctx); err != nil {
		t.Fatal(err)
	}
	c := w.claimsOf(store)[0]
	w.mineTo(c.EndVerify)
	if _, err := svc.Step(w.ctx); err != nil {
		t.Fatal(err)
	}
	c = w.claimsOf(store)[0]
	if c.State != claims.ClaimVerified || len(c.Challenged) == 0 {
		t.Fatalf("claim after the period = %+v; want verified with challenged segments", c)
	}
	for _, seg := range c.Challenged {
		if c.Verified[seg] != claims.VerifyResultMissed {
			t.Fatalf("segment %d: %q, want missed", seg, c.Verified[seg])
		}
	}
	checkMetric(t, reg, "opkit_verifications_total", "missed", float64(len(c.Challenged)))
	if got := w.txCount("verify"); got != 0 {
		t.Fatalf("verify sent %d times after the period, want 0", got)
	}
	w.tx(w.B, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.jm.MissedVerificationSlash(o, u(w.job), u(c.ClaimID), u(c.Challenged[0]))
	})
	w.mineTo(c.EndSlashing - 1)
	if _, err := svc.Step(w.ctx); err != nil {
		t.Fatal(err)
	}
	if got := w.claimsOf(store)[0].State; got != claims.ClaimSlashed {
		t.Fatalf("claim is %s, want slashed", got)
	}
	if got := w.txCount("distributeFees"); got != 0 {
		t.Fatalf("distributeFees sent for a slashed claim")
	}
}

// cancelAfterSend is a transaction manager backend that ends the sender's context as soon as
// the node accepted a transaction: the transaction sits in the pool, unmined, and Send returns
// without an outcome, as when the process is stopped right after broadcasting.
type cancelAfterSend struct {
	*ethclient.Client
	cancel context.CancelFunc
}

func (c cancelAfterSend) SendTransaction(ctx context.Context, tx *types.Transaction) error {
	err := c.Client.SendTransaction(ctx, tx)
	c.cancel()
	return err
}

// TestServiceVerifyInFlightNotResent: a verify() left in the pool without an outcome is not
// sent a second time; once it is mined the segment counts as submitted.
func TestServiceVerifyInFlightNotResent(t *testing.T) {
	w := newWorld(t)
	store := w.openStore(w.storePath(), nil)
	t.Cleanup(func() { _ = store.Close() })
	w.putReceipts(store, 0, 40)
	txm := w.txm()
	big40 := func(c *claims.Config) { c.MaxSegments = 40 }
	if _, err := w.service(store, txm, nil, big40).Step(w.ctx); err != nil {
		t.Fatal(err)
	}
	// With only the seed block mined, verify() would revert ("challenge seed not mined yet"):
	// the service waits a block.
	w.dn.Mine(1)
	if _, err := w.service(store, txm, nil, big40).Step(w.ctx); err != nil {
		t.Fatal(err)
	}
	if c := w.claimsOf(store)[0]; c.State != claims.ClaimClaimed || len(c.VerifySent) != 0 || w.txCount("verify") != 0 {
		t.Fatalf("verify attempted with the seed block at the head: %+v", c)
	}
	w.dn.Mine(1)

	ctx, cancel := context.WithCancel(w.ctx)
	defer cancel()
	signer := types.LatestSignerForChainID(w.chainID)
	slow, err := txmgr.New(txmgr.Config{Backend: cancelAfterSend{w.rpc, cancel}, ChainID: w.chainID, From: addr(w.T),
		Sign: func(_ context.Context, _ common.Address, tx *types.Transaction) (*types.Transaction, error) {
			return types.SignTx(tx, signer, w.T)
		},
		MaxGasPrice: big.NewInt(1e12), PollInterval: 5 * time.Millisecond, Logger: w.log.Named("slow")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.service(store, slow, nil, big40).Step(ctx); err == nil {
		t.Fatal("step whose verify was cut off reported no error")
	}
	c := w.claimsOf(store)[0]
	if len(c.VerifySent) != 1 || len(c.Verified) != 0 {
		t.Fatalf("after the cut-off step: sent %v, verified %v; want one sent, none verified", c.VerifySent, c.Verified)
	}
	first := c.VerifySent[0]

	svc := w.service(store, txm, nil, big40)
	if _, err := svc.Step(w.ctx); err != nil {
		t.Fatal(err)
	}
	if _, done := w.claimsOf(store)[0].Verified[first]; done {
		t.Fatalf("segment %d settled while its verify was in the pool", first)
	}
	w.dn.Mine(1)
	if _, err := svc.Step(w.ctx); err != nil {
		t.Fatal(err)
	}
	c = w.claimsOf(store)[0]
	if c.State != claims.ClaimVerified || c.Verified[first] != claims.VerifyResultAlready {
		t.Fatalf("claim %s, segment %d %q; want verified and already submitted", c.State, first, c.Verified[first])
	}
	if got := w.txCount("verify"); got != len(c.Challenged) {
		t.Fatalf("verify sent %d times for %d challenged segments", got, len(c.Challenged))
	}
}

// TestServiceClaimRefusedIsRetried: while the protocol is paused claimWork fails its gas
// estimate; nothing was sent, so the intent is dropped and the receipts are claimed once the
// protocol is unpaused.
func TestServiceClaimRefusedIsRetried(t *testing.T) {
	w := newWorld(t)
	store := w.openStore(w.storePath(), nil)
	t.Cleanup(func() { _ = store.Close() })
	w.putReceipts(store, 0, 20)
	ctl, err := bindings.NewController(w.addrs.Controller, w.rpc)
	if err != nil {
		t.Fatal(err)
	}
	w.tx(w.owner, ctl.Pause)
	svc := w.service(store, w.txm(), nil, nil)
	if _, err := svc.Step(w.ctx); !errors.Is(err, txmgr.ErrEstimateGas) {
		t.Fatalf("step while paused: err = %v, want ErrEstimateGas", err)
	}
	if cs := w.claimsOf(store); len(cs) != 0 {
		t.Fatalf("claims after a refused claimWork = %+v; want the intent dropped", cs)
	}
	if n, err := store.Pending(); err != nil || n != 20 {
		t.Fatalf("pending receipts = %d, %v; want all 20 free again", n, err)
	}
	w.tx(w.owner, ctl.Unpause)
	if _, err := svc.Step(w.ctx); err != nil {
		t.Fatal(err)
	}
	if cs := w.claimsOf(store); len(cs) != 1 || cs[0].State != claims.ClaimClaimed {
		t.Fatalf("claims after unpausing = %+v; want one claimed", cs)
	}
	if got := w.txCount("claimWork"); got != 1 {
		t.Fatalf("claimWork mined %d times, want 1", got)
	}
}
