package main

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/core/types"
	"go.uber.org/zap/zaptest"

	"github.com/opkit-dev/opkit/claims/solver"
	"github.com/opkit-dev/opkit/contracts/bindings"
	"github.com/opkit-dev/opkit/staking/keys"
	"github.com/opkit-dev/opkit/staking/txmgr"
)

// The solver's protections, against real requests on the devnet: a
// verdict recorded is the one sent, also after a restart; data unavailable
// past the give-up time fails; what it cannot judge it never answers; a
// request answered by another solver is left alone.

// scriptedChecker answers every request with verdict and err and counts
// its calls.
type scriptedChecker struct {
	verdict solver.Verdict
	err     error
	calls   atomic.Int32
}

func (c *scriptedChecker) Check(context.Context, solver.Request) (solver.Verdict, error) {
	c.calls.Add(1)
	return c.verdict, c.err
}

// countingSender counts sends and fails them while fail is set: a process
// killed between recording its verdict and sending it.
type countingSender struct {
	next  solver.Sender
	fail  atomic.Bool
	sends atomic.Int32
}

func (s *countingSender) Send(ctx context.Context, c txmgr.Candidate) (*types.Receipt, error) {
	if s.fail.Load() {
		return nil, errors.New("killed before the send")
	}
	s.sends.Add(1)
	return s.next.Send(ctx, c)
}

type solverRig struct {
	w      *verifierWorld
	env    *chainEnv
	store  *solver.Store
	sender *countingSender
	now    time.Time
}

// newSolverRig has one verification request on chain and the solver
// account connected, with a DB and a sender that counts.
func newSolverRig(t *testing.T) *solverRig {
	t.Helper()
	w := newVerifierWorld(t)
	w.transcode(t, 1)
	w.net.Mine(solver.DefaultConfirmations) // the request is confirmed
	cfg := defaultChainConfig
	cfg.DevnetFile, cfg.Account, cfg.PollInterval = w.devnetFile, solverAccount, 20*time.Millisecond
	env, err := connectChainWith(context.Background(), cfg, keys.StdPrompter(), txmgr.NoopMetrics{}, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
	store, err := solver.OpenStore(filepath.Join(t.TempDir(), "verifier.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	return &solverRig{w: w, env: env, store: store, sender: &countingSender{next: env.Txm}, now: time.Now()}
}

// service is a solver process over the rig's DB with checker c.
func (r *solverRig) service(t *testing.T, c solver.Checker, giveUp time.Duration) *solver.Service {
	t.Helper()
	return r.serviceWith(t, solver.Config{Checker: c, GiveUpAfter: giveUp})
}

// serviceWith is service with more of the config set.
func (r *solverRig) serviceWith(t *testing.T, cfg solver.Config) *solver.Service {
	t.Helper()
	cfg.Backend, cfg.Verifier, cfg.Sender, cfg.Store = r.env.RPC, r.env.Client.Addresses().Verifier, r.sender, r.store
	cfg.Logger, cfg.Now = zaptest.NewLogger(t), func() time.Time { return r.now }
	s, err := solver.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// step runs one step while a block producer mines (a send waits for its
// receipt).
func (r *solverRig) step(t *testing.T, s *solver.Service) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.Step(ctx) }()
	for {
		select {
		case err := <-done:
			return err
		case <-time.After(20 * time.Millisecond):
			r.w.net.Mine(1)
		}
	}
}

func (r *solverRig) record(t *testing.T) solver.Record {
	t.Helper()
	recs, err := r.store.Records(false)
	if err != nil || len(recs) != 1 {
		t.Fatalf("records %+v, %v; want one", recs, err)
	}
	return recs[0]
}

func (r *solverRig) onChain(t *testing.T) bindings.VerifierRequest {
	t.Helper()
	q, err := r.w.ver.GetRequest(&bind.CallOpts{}, big.NewInt(0))
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func TestSolverSendsTheRecordedVerdictAfterARestart(t *testing.T) {
	r := newSolverRig(t)
	first := &scriptedChecker{verdict: solver.Verdict{Pass: true, Reason: "first run"}}
	r.sender.fail.Store(true)
	if err := r.step(t, r.service(t, first, time.Hour)); err == nil {
		t.Fatal("step with a failing send: no error")
	}
	if rec := r.record(t); rec.State != solver.StateDecided || !rec.Verdict.Pass {
		t.Fatalf("after the killed send: %+v", rec)
	}
	// The restarted process would judge otherwise (a re-encode is not
	// bit-exact): it must send what was recorded, without judging again.
	r.sender.fail.Store(false)
	second := &scriptedChecker{verdict: solver.Verdict{Pass: false, Reason: "second run"}}
	if err := r.step(t, r.service(t, second, time.Hour)); err != nil {
		t.Fatal(err)
	}
	if q := r.onChain(t); !q.Answered || !q.Pass || second.calls.Load() != 0 {
		t.Fatalf("on chain %+v, second checker called %d times; want the recorded pass, no new check", q, second.calls.Load())
	}
	// Answered: later steps send nothing.
	if err := r.step(t, r.service(t, second, time.Hour)); err != nil || r.sender.sends.Load() != 1 {
		t.Fatalf("after the answer: %v, %d sends; want 1", err, r.sender.sends.Load())
	}
}

func TestSolverFailsDataUnavailablePastGiveUp(t *testing.T) {
	r := newSolverRig(t)
	gone := &scriptedChecker{err: fmt.Errorf("%w: no such file", solver.ErrUnavailable)}
	s := r.service(t, gone, time.Minute)
	if err := r.step(t, s); err != nil {
		t.Fatal(err)
	}
	if rec := r.record(t); rec.State != solver.StatePending || r.sender.sends.Load() != 0 {
		t.Fatalf("inside the give-up time: %+v, %d sends", rec, r.sender.sends.Load())
	}
	r.now = r.now.Add(2 * time.Minute)
	if err := r.step(t, s); err != nil {
		t.Fatal(err)
	}
	if q := r.onChain(t); !q.Answered || q.Pass {
		t.Fatalf("past the give-up time: on chain %+v, want a fail", q)
	}
}

func TestSolverNeverAnswersWhatItCannotJudge(t *testing.T) {
	r := newSolverRig(t)
	s := r.service(t, &scriptedChecker{err: fmt.Errorf("%w: profile id 12345678", solver.ErrCannotJudge)}, time.Nanosecond)
	for range 2 {
		if err := r.step(t, s); err != nil {
			t.Fatal(err)
		}
	}
	if rec, q := r.record(t), r.onChain(t); rec.State != solver.StateUnjudgeable || q.Answered || r.sender.sends.Load() != 0 {
		t.Fatalf("record %+v, on chain %+v, %d sends; want unjudgeable, unanswered", rec, q, r.sender.sends.Load())
	}
}

func TestSolverLeavesARequestAnsweredByAnother(t *testing.T) {
	r := newSolverRig(t)
	// Dev account 0 owns the Controller: it trusts itself and answers.
	v, err := bindings.NewVerifier(r.env.Client.Addresses().Verifier, r.w.net.Client())
	if err != nil {
		t.Fatal(err)
	}
	devnetSend(t, r.w.net, r.w.net.Key(0), func(o *bind.TransactOpts) (*types.Transaction, error) {
		return v.SetSolver(o, r.w.net.Info().Accounts[0].Address, true)
	})
	devnetSend(t, r.w.net, r.w.net.Key(0), func(o *bind.TransactOpts) (*types.Transaction, error) {
		return v.SubmitResult(o, big.NewInt(0), true)
	})
	c := &scriptedChecker{verdict: solver.Verdict{Pass: false}}
	if err := r.step(t, r.service(t, c, time.Hour)); err != nil {
		t.Fatal(err)
	}
	if rec := r.record(t); rec.State != solver.StateAnswered || c.calls.Load() != 0 || r.sender.sends.Load() != 0 {
		t.Fatalf("record %+v, %d checks, %d sends; want answered, none", rec, c.calls.Load(), r.sender.sends.Load())
	}
}

// stallingChecker never decides: a rendition built to stall a decoder.
type stallingChecker struct{}

func (stallingChecker) Check(ctx context.Context, _ solver.Request) (solver.Verdict, error) {
	<-ctx.Done()
	return solver.Verdict{}, ctx.Err()
}

// A check that stalls is cut off at CheckTimeout, counts as data not
// available, and fails once the give-up time has passed.
func TestSolverCutsOffAStalledCheck(t *testing.T) {
	r := newSolverRig(t)
	s := r.serviceWith(t, solver.Config{Checker: stallingChecker{}, CheckTimeout: 200 * time.Millisecond, GiveUpAfter: time.Minute})
	if err := r.step(t, s); err != nil {
		t.Fatal(err)
	}
	if rec := r.record(t); rec.State != solver.StatePending || !strings.Contains(rec.LastError, "took longer") {
		t.Fatalf("after a stalled check: %+v", rec)
	}
	r.now = r.now.Add(2 * time.Minute)
	if err := r.step(t, s); err != nil {
		t.Fatal(err)
	}
	if q := r.onChain(t); !q.Answered || q.Pass {
		t.Fatalf("stalled past the give-up time: on chain %+v, want a fail", q)
	}
}
