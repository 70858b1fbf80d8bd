package claims_test

import (
	"context"
	"errors"
	"math/big"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/opkit-dev/opkit/claims"
	"github.com/opkit-dev/opkit/contracts/bindings"
	"github.com/opkit-dev/opkit/staking/txmgr"
)

// revertFirst sends the first candidate with label it is handed as a transaction that the
// chain reverts (data), under the candidate's own key: what a reorganisation or a round
// boundary that moves the send leaves in the journal.
type revertFirst struct {
	real  claims.Sender
	label string
	data  func() ([]byte, error)
	mu    sync.Mutex
	done  bool
}

func (s *revertFirst) Send(ctx context.Context, c txmgr.Candidate) (*types.Receipt, error) {
	s.mu.Lock()
	first := !s.done && c.Label == s.label
	s.done = s.done || first
	s.mu.Unlock()
	if first {
		var err error
		if c.Data, err = s.data(); err != nil {
			return nil, err
		}
		c.GasLimit = 300_000
	}
	return s.real.Send(ctx, c)
}

// revertingCall packs a JobsManager call the contract reverts.
func revertingCall(method string, args ...any) func() ([]byte, error) {
	return func() ([]byte, error) {
		abi, err := bindings.JobsManagerMetaData.GetAbi()
		if err != nil {
			return nil, err
		}
		return abi.Pack(method, args...)
	}
}

// journaled is a transaction manager over a journal at path, and a restart of it.
func journaled(t *testing.T, w *world, path string) (*txmgr.Manager, func() *txmgr.Manager) {
	t.Helper()
	j, err := txmgr.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	m := w.txmWith(j)
	return m, func() *txmgr.Manager {
		m.Close()
		if err := j.Close(); err != nil {
			t.Fatal(err)
		}
		if j, err = txmgr.OpenJournal(path); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = j.Close() })
		return w.txmWith(j)
	}
}

// revertWorld is a claims world with 4 receipts, a journaled transaction
// manager that restart replaces as a new process would, and a service option
// that claims them in one claim.
type revertWorld struct {
	w       *world
	store   *claims.Store
	metrics claims.Metrics
	txm     *txmgr.Manager
	restart func() *txmgr.Manager
	four    func(*claims.Config)
}

func newRevertWorld(t *testing.T) revertWorld {
	t.Helper()
	w := newWorld(t)
	store := w.openStore(w.storePath(), nil)
	t.Cleanup(func() { _ = store.Close() })
	w.putReceipts(store, 0, 4)
	metrics, err := claims.NewPromMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	txm, restart := journaled(t, w, filepath.Join(t.TempDir(), "journal.db"))
	return revertWorld{w: w, store: store, metrics: metrics, txm: txm, restart: restart,
		four: func(c *claims.Config) { c.MaxSegments = 4 }}
}

// TestDistributeRetriesAfterARevert: a distributeFees mined reverted leaves its key answered
// by that revert for good, so the next try must be a new send; the fees are then
// distributed, exactly once. Before the fix, after a restart every step was answered from
// the journal's reverted transaction and the claim's fees were never distributed (found by
// the fault suite's reorg and restarts).
func TestDistributeRetriesAfterARevert(t *testing.T) {
	rw := newRevertWorld(t)
	w, store, metrics, txm, four := rw.w, rw.store, rw.metrics, rw.txm, rw.four
	// A claim id that does not exist: the contract reverts.
	svc := w.service(store, &revertFirst{real: txm, label: txmgr.LabelDistributeFees,
		data: revertingCall("distributeFees", big.NewInt(0), big.NewInt(1_000_000))}, metrics, four)
	step := func(what string) error {
		t.Helper()
		_, err := svc.Step(w.ctx)
		return err
	}
	if err := step("claim"); err != nil {
		t.Fatalf("claim step: %v", err)
	}
	w.dn.Mine(2) // the seed block, and a block verify() may run in
	if err := step("verify"); err != nil {
		t.Fatalf("verify step: %v", err)
	}
	cs := w.claimsOf(store)
	if len(cs) != 1 {
		t.Fatalf("claims %+v, want one", cs)
	}
	w.mineTo(cs[0].EndSlashing - 1)
	if err := step("distribute"); !errors.Is(err, txmgr.ErrReverted) {
		t.Fatalf("first distribute step: %v, want the revert", err)
	}
	// A restart: the next manager takes the journal over, the reverted send included.
	svc = w.service(store, rw.restart(), metrics, four)
	for range 4 { // the retry waits out its back-off, then sends anew
		w.dn.Mine(1)
		if err := step("distribute again"); err != nil {
			t.Fatalf("distribute after the revert: %v", err)
		}
	}
	if c := w.claimsOf(store)[0]; c.State != claims.ClaimDistributed || c.DistributeReverts != 1 {
		t.Fatalf("claim %+v: want distributed after one revert", c)
	}
	if got := w.txCount("distributeFees"); got != 2 {
		t.Fatalf("distributeFees transactions: %d, want the reverted one and one more", got)
	}
	want := new(big.Int).Mul(big.NewInt(4*int64(len(profiles))), price)
	if got := w.pendingFees(); got.Cmp(want) != 0 {
		t.Fatalf("transcoder pending fees %v wei, want %v", got, want)
	}
}

// TestClaimWorkRevertFreesItsReceipts: a claimWork mined reverted (estimated in one round,
// mined in the next one's first block, before initializeRound made the transcoder active
// again) made no claim: after a restart its receipts are claimed again by a new send, and
// claimed once. Before the fix the claim was marked failed and its receipts were set aside
// for good: paid segments never claimed (found by the fault suite).
func TestClaimWorkRevertFreesItsReceipts(t *testing.T) {
	rw := newRevertWorld(t)
	w, store, metrics, txm, four := rw.w, rw.store, rw.metrics, rw.txm, rw.four
	// A zero claim root: the contract reverts.
	svc := w.service(store, &revertFirst{real: txm, label: txmgr.LabelClaimWork,
		data: revertingCall("claimWork", big.NewInt(0), [2]*big.Int{big.NewInt(0), big.NewInt(3)}, [32]byte{})}, metrics, four)
	if _, err := svc.Step(w.ctx); !errors.Is(err, txmgr.ErrReverted) {
		t.Fatalf("first claim step: %v, want the revert", err)
	}
	svc = w.service(store, rw.restart(), metrics, four)
	w.dn.Mine(1)
	if _, err := svc.Step(w.ctx); err != nil {
		t.Fatalf("claim step after the revert: %v", err)
	}
	cs := w.claimsOf(store)
	if len(cs) != 1 || cs[0].State != claims.ClaimClaimed || cs[0].Start != 0 || cs[0].End != 3 {
		t.Fatalf("claims %+v, want [0, 3] claimed", cs)
	}
	j, err := w.jm.GetJob(w.call(), u(w.job))
	if err != nil || j.NumClaims != 1 {
		t.Fatalf("job on chain %+v, %v: want one claim", j, err)
	}
	if got := w.txCount("claimWork"); got != 2 {
		t.Fatalf("claimWork transactions: %d, want the reverted one and one more", got)
	}
}
