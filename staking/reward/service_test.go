package reward

import (
	"context"
	"errors"
	"math/big"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"go.uber.org/zap/zaptest"

	"github.com/opkit-dev/opkit/staking/alert"
	"github.com/opkit-dev/opkit/staking/protection"
	"github.com/opkit-dev/opkit/staking/rounds"
)

var (
	testAccount    = common.HexToAddress("0x00000000000000000000000000000000000000a1")
	testBonding    = common.HexToAddress("0x00000000000000000000000000000000000000b0")
	testRounds     = common.HexToAddress("0x00000000000000000000000000000000000000c0")
	testController = common.HexToAddress("0x00000000000000000000000000000000000000d0")
)

type outcomeRec struct {
	round uint64
	o     Outcome
	err   error
}

type harness struct {
	chain    *fakeChain
	sender   *fakeSender
	metrics  *fakeMetrics
	alerts   *fakeAlerts
	clock    *manualClock
	db       *protection.DB
	dbPath   string
	svc      *Service
	cfg      Config
	events   chan rounds.Event
	outcomes chan outcomeRec
}

func newHarness(t *testing.T, round uint64, opt func(*Config)) *harness {
	t.Helper()
	h := &harness{
		chain:    newFakeChain(round),
		metrics:  newFakeMetrics(),
		alerts:   &fakeAlerts{},
		clock:    newManualClock(),
		dbPath:   filepath.Join(t.TempDir(), "protection.db"),
		events:   make(chan rounds.Event),
		outcomes: make(chan outcomeRec, 64),
	}
	h.sender = newFakeSender(h.chain)
	db, err := protection.Open(h.dbPath, protection.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	h.db = db
	cfg := Config{
		ChainID: 1337, Controller: testController, Account: testAccount,
		Chain: h.chain, Sender: h.sender, DB: db,
		Reward:     Call{To: testBonding, Data: []byte{1, 2, 3, 4}, Label: "reward"},
		Initialize: Call{To: testRounds, Data: []byte{5, 6, 7, 8}, Label: "initialize_round"},
		Rand:       func(time.Duration) time.Duration { return 0 },
		Clock:      h.clock, Metrics: h.metrics, Alerts: h.alerts,
		Logger:    zaptest.NewLogger(t),
		OnOutcome: func(r uint64, o Outcome, err error) { h.outcomes <- outcomeRec{r, o, err} },
	}
	if opt != nil {
		opt(&cfg)
	}
	svc, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h.svc, h.cfg = svc, cfg
	return h
}

// run starts the duty loop; cleanup stops it and waits.
func (h *harness) run(t *testing.T) context.CancelFunc {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.svc.Run(ctx, h.events) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return cancel
}

// tick delivers the chain's current state as a watcher event.
func (h *harness) tick(t *testing.T) {
	t.Helper()
	st, _ := h.chain.RoundState(context.Background(), nil)
	select {
	case h.events <- rounds.Event{State: st, Head: st.StartBlock}:
	case <-time.After(10 * time.Second):
		t.Fatal("duty loop does not take events")
	}
}

// waitIdle waits until the round's work waits for its next try.
func (h *harness) waitIdle(t *testing.T) {
	t.Helper()
	select {
	case <-h.clock.added:
	case <-time.After(10 * time.Second):
		t.Fatal("round work never went idle")
	}
}

// firstSendIdle runs the loop with the sender in mode, delivers the chain's
// state, and waits until the first send went out and the round's work idles.
func (h *harness) firstSendIdle(t *testing.T, mode sendMode) {
	t.Helper()
	h.sender.setMode(mode)
	h.run(t)
	h.tick(t)
	<-h.sender.sent
	h.waitIdle(t)
}

func (h *harness) waitOutcome(t *testing.T, round uint64) outcomeRec {
	t.Helper()
	select {
	case r := <-h.outcomes:
		if r.round != round {
			t.Fatalf("outcome for round %d, want round %d", r.round, round)
		}
		return r
	case <-time.After(10 * time.Second):
		t.Fatalf("no outcome for round %d", round)
	}
	return outcomeRec{}
}

func TestRunRewardsOncePerRound(t *testing.T) {
	h := newHarness(t, 10, nil)
	h.run(t)
	for r := uint64(10); r < 20; r++ {
		h.tick(t)
		if got := h.waitOutcome(t, r); got.o != OutcomeRewarded || got.err != nil {
			t.Fatalf("round %d: outcome %v, %v", r, got.o, got.err)
		}
		h.tick(t) // more heads in the same round change nothing
		h.tick(t)
		h.chain.nextRound(true)
	}
	if n := h.sender.count("reward"); n != 10 {
		t.Fatalf("reward sent %d times over 10 rounds", n)
	}
	m := h.metrics.snapshot()
	if m.calls[ResultSuccess] != 10 || m.lastReward != 19 || m.current != 19 || m.missed != 0 {
		t.Fatalf("metrics %+v", m)
	}
	if m.balance == nil || m.balance.Cmp(big.NewInt(1e18)) != 0 {
		t.Fatalf("balance metric %v", m.balance)
	}
}

func TestInitializesWhenOptedIn(t *testing.T) {
	h := newHarness(t, 3, func(c *Config) { c.InitializeRound = true })
	h.chain.set(func(c *fakeChain) { c.initialized = false })
	h.run(t)
	h.tick(t)
	if got := h.waitOutcome(t, 3); got.o != OutcomeRewarded {
		t.Fatalf("outcome %v, %v", got.o, got.err)
	}
	if i, r := h.sender.count("initialize_round"), h.sender.count("reward"); i != 1 || r != 1 {
		t.Fatalf("initialize sent %d, reward sent %d; want 1 and 1", i, r)
	}
}

func TestInitializeSkippedWhenSomeoneElseWasFirst(t *testing.T) {
	h := newHarness(t, 3, func(c *Config) {
		c.InitializeRound = true
		c.InitDelayMax = time.Minute
		c.Rand = func(max time.Duration) time.Duration { return max / 2 }
	})
	h.chain.set(func(c *fakeChain) { c.initialized = false })
	h.run(t)
	h.tick(t)
	h.waitIdle(t)                                            // waiting out the random delay
	h.chain.set(func(c *fakeChain) { c.initialized = true }) // another operator
	h.clock.fire()
	if got := h.waitOutcome(t, 3); got.o != OutcomeRewarded {
		t.Fatalf("outcome %v, %v", got.o, got.err)
	}
	if i := h.sender.count("initialize_round"); i != 0 {
		t.Fatalf("initialize sent %d times after someone else initialized", i)
	}
}

func TestNotInitializedWaitsWithoutOptIn(t *testing.T) {
	h := newHarness(t, 3, nil)
	h.chain.set(func(c *fakeChain) { c.initialized = false })
	h.run(t)
	h.tick(t)
	h.waitIdle(t)
	if n := h.sender.total(); n != 0 {
		t.Fatalf("%d transactions sent for an uninitialized round", n)
	}
	h.chain.set(func(c *fakeChain) { c.initialized = true }) // someone else
	h.tick(t)
	if got := h.waitOutcome(t, 3); got.o != OutcomeRewarded {
		t.Fatalf("outcome %v, %v", got.o, got.err)
	}
}

// TestLostSendResponseIsResentOnlyAtItsNonce: the answer to a reward()
// is lost while it sits in the pool. Every retry is pinned to the nonce the
// first was signed with, so retries can only replace it, never add a
// second reward.
func TestLostSendResponseIsResentOnlyAtItsNonce(t *testing.T) {
	h := newHarness(t, 7, nil)
	h.firstSendIdle(t, sendLostResponse)
	for i := 0; i < 3; i++ { // new heads while the tx is pending
		h.tick(t)
		h.waitIdle(t)
	}
	for i, c := range h.sender.callsOf("reward") {
		if i > 0 && (c.Nonce == nil || *c.Nonce != 0) {
			t.Fatalf("retry %d not pinned to nonce 0: %v", i, c.Nonce)
		}
	}
	if n := h.chain.pooled(); n != 1 {
		t.Fatalf("%d transactions in the pool, want the one reward", n)
	}
	h.chain.mine()
	h.tick(t)
	if got := h.waitOutcome(t, 7); got.o != OutcomeRewarded {
		t.Fatalf("outcome %v, %v", got.o, got.err)
	}
	rec, err := h.db.Get(protection.Key{ChainID: 1337, Controller: testController, Account: testAccount, Duty: protection.DutyReward, Round: 7})
	if err != nil || rec == nil || rec.State != protection.StateDone {
		t.Fatalf("record %+v, %v", rec, err)
	}
}

func TestFailedSendBeforeBroadcastRetriesSameNonce(t *testing.T) {
	h := newHarness(t, 7, nil)
	h.firstSendIdle(t, sendFailBeforeSend)
	h.sender.setMode(sendMine)
	h.clock.fire() // retry timer
	if got := h.waitOutcome(t, 7); got.o != OutcomeRewarded {
		t.Fatalf("outcome %v, %v", got.o, got.err)
	}
	if n := h.sender.count("reward"); n != 2 {
		t.Fatalf("reward sent %d times, want the failed attempt and one retry", n)
	}
	if m := h.metrics.snapshot(); m.calls[ResultError] != 1 || m.calls[ResultSuccess] != 1 {
		t.Fatalf("metrics %+v", m.calls)
	}
	if k := h.alerts.kinds(); k[alert.KindTxFailed] != 1 {
		t.Fatalf("alerts %v, want one tx_failed", k)
	}
}

func TestRecordedNonceUsedWithoutEffectIsNotRetried(t *testing.T) {
	h := newHarness(t, 7, nil)
	key := protection.Key{ChainID: 1337, Controller: testController, Account: testAccount, Duty: protection.DutyReward, Round: 7}
	if _, _, err := h.db.PutLegacyIntent(key, 0, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	h.chain.set(func(c *fakeChain) { c.latest = 1 }) // nonce 0 went to something else
	h.run(t)
	h.tick(t)
	got := h.waitOutcome(t, 7)
	if !errors.Is(got.err, ErrDutyFailed) {
		t.Fatalf("outcome %v, %v; want ErrDutyFailed", got.o, got.err)
	}
	if n := h.sender.total(); n != 0 {
		t.Fatalf("%d transactions sent", n)
	}
	if k := h.alerts.kinds(); k[alert.KindTxFailed] != 1 || k[alert.KindMissedRound] != 1 {
		t.Fatalf("alerts %v", k)
	}
}

// TestRestartWithRewardBehindAnotherTransactionIsNotFailed: another duty
// of the shared transaction manager (a claimWork) takes the account's
// pending nonce after the intent is recorded, so reward() is signed one
// nonce later. The process stops before either is mined; after the claim is
// mined the restarted duty must not read the used nonce as its own failed
// reward: it resumes the reward at the nonce it was really signed with.
func TestRestartWithRewardBehindAnotherTransactionIsNotFailed(t *testing.T) {
	h := newHarness(t, 7, nil)
	h.sender.setMode(sendLostResponse)
	h.sender.setBefore(func(c Call) {
		if c.Label == "reward" {
			h.chain.broadcast(Call{Label: "claim_work"})
		}
	})
	stop := h.run(t)
	h.tick(t)
	<-h.sender.sent
	h.waitIdle(t)
	stop()
	if got := h.waitOutcome(t, 7); got.o.Fulfilled() {
		t.Fatalf("first run fulfilled the duty: %v", got.o)
	}
	h.sender.setBefore(nil)
	h.sender.setMode(sendMine)
	h.chain.mineFirst() // the claim, at nonce 0; the reward at nonce 1 stays pending
	before := h.alerts.kinds()[alert.KindTxFailed]
	svc, err := New(h.cfg)
	if err != nil {
		t.Fatal(err)
	}
	h.svc = svc
	h.run(t)
	h.tick(t)
	if got := h.waitOutcome(t, 7); got.o != OutcomeRewarded || got.err != nil {
		t.Fatalf("after restart: %v, %v; want the pending reward resumed", got.o, got.err)
	}
	if k := h.alerts.kinds(); k[alert.KindTxFailed] != before {
		t.Fatalf("alerts %v: the pending reward was reported failed", k)
	}
}

func TestRestartWithIntentAndUnusedNonceResends(t *testing.T) {
	h := newHarness(t, 7, nil)
	key := protection.Key{ChainID: 1337, Controller: testController, Account: testAccount, Duty: protection.DutyReward, Round: 7}
	if _, _, err := h.db.PutLegacyIntent(key, 0, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	h.run(t)
	h.tick(t)
	if got := h.waitOutcome(t, 7); got.o != OutcomeRewarded {
		t.Fatalf("outcome %v, %v", got.o, got.err)
	}
	if n := h.sender.count("reward"); n != 1 {
		t.Fatalf("reward sent %d times", n)
	}
}

func TestProtectionDBUnavailableRefuses(t *testing.T) {
	h := newHarness(t, 7, nil)
	if err := h.db.Close(); err != nil {
		t.Fatal(err)
	}
	h.run(t)
	h.tick(t)
	h.waitIdle(t)
	h.clock.fire()
	h.waitIdle(t)
	if n := h.sender.total(); n != 0 {
		t.Fatalf("%d transactions sent without protection", n)
	}
	if m := h.metrics.snapshot(); m.calls[ResultRefused] < 2 {
		t.Fatalf("refusals %d", m.calls[ResultRefused])
	}
	if k := h.alerts.kinds(); k[alert.KindProtectionDB] < 2 {
		t.Fatalf("alerts %v", k)
	}
}

func TestRoundEndWithoutRewardIsMissed(t *testing.T) {
	h := newHarness(t, 7, nil)
	h.sender.setMode(sendHoldUntilDone) // gas above the cap all round
	h.run(t)
	h.tick(t)
	<-h.sender.sent
	h.chain.nextRound(true)
	h.sender.setMode(sendMine)
	h.tick(t)
	got := h.waitOutcome(t, 7)
	if !errors.Is(got.err, ErrRoundEnded) || got.o.Fulfilled() {
		t.Fatalf("round 7: %v, %v", got.o, got.err)
	}
	if got := h.waitOutcome(t, 8); got.o != OutcomeRewarded {
		t.Fatalf("round 8: %v, %v", got.o, got.err)
	}
	if m := h.metrics.snapshot(); m.missed != 1 {
		t.Fatalf("missed %d", m.missed)
	}
	if k := h.alerts.kinds(); k[alert.KindMissedRound] != 1 {
		t.Fatalf("alerts %v", k)
	}
}

func TestShutdownIsNotAMissedRound(t *testing.T) {
	h := newHarness(t, 7, nil)
	h.sender.setMode(sendHoldUntilDone)
	cancel := h.run(t)
	h.tick(t)
	<-h.sender.sent
	cancel()
	got := h.waitOutcome(t, 7)
	if !errors.Is(got.err, context.Canceled) {
		t.Fatalf("outcome %v, %v", got.o, got.err)
	}
	if m := h.metrics.snapshot(); m.missed != 0 {
		t.Fatalf("missed %d on shutdown", m.missed)
	}
}

func TestNotActiveAndLowBalance(t *testing.T) {
	h := newHarness(t, 7, func(c *Config) { c.MinBalance = big.NewInt(2e18) })
	h.chain.set(func(c *fakeChain) { c.active = false })
	h.run(t)
	h.tick(t)
	if got := h.waitOutcome(t, 7); got.o != OutcomeNotActive || got.err != nil {
		t.Fatalf("outcome %v, %v", got.o, got.err)
	}
	if n := h.sender.total(); n != 0 {
		t.Fatalf("%d transactions sent while not active", n)
	}
	if k := h.alerts.kinds(); k[alert.KindLowBalance] != 1 {
		t.Fatalf("alerts %v", k)
	}
}

func TestRunOnceOutcomes(t *testing.T) {
	cases := []struct {
		name  string
		setup func(c *fakeChain)
		init  bool
		want  Outcome
		sends int
	}{
		{"rewarded", func(c *fakeChain) {}, false, OutcomeRewarded, 1},
		{"already rewarded", func(c *fakeChain) { c.lastReward = c.round }, false, OutcomeAlreadyRewarded, 0},
		{"not active", func(c *fakeChain) { c.active = false }, false, OutcomeNotActive, 0},
		{"not initialized", func(c *fakeChain) { c.initialized = false }, false, OutcomeNotInitialized, 0},
		{"initialized by us", func(c *fakeChain) { c.initialized = false }, true, OutcomeRewarded, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, 5, func(c *Config) { c.InitializeRound = tc.init })
			h.chain.set(tc.setup)
			o, err := h.svc.RunOnce(context.Background())
			if err != nil || o != tc.want {
				t.Fatalf("RunOnce = %v, %v; want %v", o, err, tc.want)
			}
			if n := h.sender.total(); n != tc.sends {
				t.Fatalf("%d transactions sent, want %d", n, tc.sends)
			}
		})
	}
}

func TestRunOnceRefusesWithoutProtection(t *testing.T) {
	h := newHarness(t, 5, nil)
	if err := h.db.Close(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-h.clock.added; cancel() }() // the first refusal waits for a retry
	_, err := h.svc.RunOnce(ctx)
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrProtection) {
		t.Fatalf("RunOnce err %v", err)
	}
	if n := h.sender.total(); n != 0 {
		t.Fatalf("%d transactions sent", n)
	}
}

// TestRewardStillPendingFromLastRoundIsNotFollowedByASecond: round 7's reward
// is published but unmined when round 8 begins (priced under the base fee,
// or held back by a node). reward() rewards the round it is mined in, so
// that transaction is round 8's reward now: round 8's duty takes its nonce
// over and replaces it there (re-priced), so exactly one of the two can be
// mined. Before the fix round 8 sent a second reward at the next nonce,
// which reverted (found by the fault suite).
func TestRewardStillPendingFromLastRoundIsNotFollowedByASecond(t *testing.T) {
	h := newHarness(t, 7, nil)
	h.firstSendIdle(t, sendLostResponse)
	h.chain.nextRound(true)
	h.tick(t)
	if got := h.waitOutcome(t, 7); got.o.Fulfilled() {
		t.Fatalf("round 7: %v", got.o)
	}
	h.waitIdle(t)
	for range 3 { // new heads of round 8 while round 7's reward is pending
		h.tick(t)
		h.waitIdle(t)
	}
	if n := h.chain.pooled(); n != 1 {
		t.Fatalf("%d transactions in the pool, want one reward at nonce 0", n)
	}
	calls := h.sender.callsOf("reward")
	if last := calls[len(calls)-1]; last.Nonce == nil || *last.Nonce != 0 || !strings.HasSuffix(last.Key, "/8") {
		t.Fatalf("round 8's reward call %+v: want round 8's, pinned to round 7's nonce 0", last)
	}
	receipts := h.chain.mine()
	if len(receipts) != 1 || receipts[0].Status != types.ReceiptStatusSuccessful {
		t.Fatalf("mined %+v, want one successful reward", receipts)
	}
	h.tick(t)
	if got := h.waitOutcome(t, 8); !got.o.Fulfilled() {
		t.Fatalf("round 8: %v, %v; want rewarded by the pending transaction", got.o, got.err)
	}
}

// TestRewardIsNotPublishedAfterItsRound: every duty call carries the round's
// last block as its deadline, so the transaction manager never publishes (or
// re-prices) a round's reward once the next block would be the next round's.
func TestRewardIsNotPublishedAfterItsRound(t *testing.T) {
	h := newHarness(t, 7, nil)
	h.run(t)
	h.tick(t)
	if got := h.waitOutcome(t, 7); got.o != OutcomeRewarded {
		t.Fatalf("round 7: %v, %v", got.o, got.err)
	}
	st, _ := h.chain.RoundState(context.Background(), nil)
	for _, c := range h.sender.callsOf("reward") {
		if c.DeadlineBlock != st.EndBlock()-1 {
			t.Fatalf("reward call deadline block %d, want %d (round 7's last block)", c.DeadlineBlock, st.EndBlock()-1)
		}
	}
}

// TestInactiveReadAcrossRoundEndIsAMissNotInactive: the attempt reads round
// 7, then the transcoder after round 8 began and before it was initialized
// (no active set yet, so "not active"). That is round 7 ending unrewarded,
// a missed round with its alert, not an inactive transcoder. Before the fix
// it was reported not active, with no missed-round metric (found by the
// fault suite).
func TestInactiveReadAcrossRoundEndIsAMissNotInactive(t *testing.T) {
	h := newHarness(t, 7, nil)
	h.chain.set(func(c *fakeChain) {
		c.onTranscoder = func(c *fakeChain) { c.round, c.initialized, c.active = 8, false, false }
	})
	h.run(t)
	h.tick(t)
	got := h.waitOutcome(t, 7)
	if got.o == OutcomeNotActive {
		t.Fatalf("round 7 reported %v: the read crossed into round 8", got.o)
	}
	if m := h.metrics.snapshot(); m.missed != 1 {
		t.Fatalf("missed rounds %d, want 1", m.missed)
	}
}

// TestPinnedResendFindingItsRewardMinedIsFulfilled: the answer to round 7's
// reward is lost; the transaction is mined just as the re-send pinned to its
// nonce goes out, so the re-send finds the nonce used. The duty is done (by
// its own transaction): the round is rewarded, not failed and alerted.
// Before the fix it was recorded failed and the round reported unrewarded.
func TestPinnedResendFindingItsRewardMinedIsFulfilled(t *testing.T) {
	h := newHarness(t, 7, nil)
	h.firstSendIdle(t, sendLostResponse)
	h.sender.setBefore(func(Call) { h.chain.mine() })
	h.sender.setMode(sendMine)
	h.tick(t)
	if got := h.waitOutcome(t, 7); got.o != OutcomeRewarded {
		t.Fatalf("round 7: %v, %v; want rewarded by its own transaction", got.o, got.err)
	}
	rec, err := h.db.Get(protection.Key{ChainID: 1337, Controller: testController, Account: testAccount, Duty: protection.DutyReward, Round: 7})
	if err != nil || rec == nil || rec.State != protection.StateDone {
		t.Fatalf("record %+v, %v; want done", rec, err)
	}
}
