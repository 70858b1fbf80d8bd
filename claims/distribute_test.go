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

// revertFirstDistribute sends the first distributeFees it is handed as a transaction that
// the chain reverts, under the candidate's own key: what a reorganisation that moves the
// send before the slashing window's end leaves in the journal.
type revertFirstDistribute struct {
	real claims.Sender
	mu   sync.Mutex
	done bool
}

func (s *revertFirstDistribute) Send(ctx context.Context, c txmgr.Candidate) (*types.Receipt, error) {
	s.mu.Lock()
	first := !s.done && c.Label == txmgr.LabelDistributeFees
	s.done = s.done || first
	s.mu.Unlock()
	if first {
		abi, err := bindings.JobsManagerMetaData.GetAbi()
		if err != nil {
			return nil, err
		}
		// A claim id that does not exist: the contract reverts.
		if c.Data, err = abi.Pack("distributeFees", big.NewInt(0), big.NewInt(1_000_000)); err != nil {
			return nil, err
		}
		c.GasLimit = 200_000
	}
	return s.real.Send(ctx, c)
}

// TestDistributeRetriesAfterARevert: a distributeFees mined reverted leaves its key answered
// by that revert for good, so the next try must be a new send; the fees are then
// distributed, exactly once. Before the fix, after a restart every step was answered from
// the journal's reverted transaction and the claim's fees were never distributed (found by
// the fault suite's reorg and restarts).
func TestDistributeRetriesAfterARevert(t *testing.T) {
	w := newWorld(t)
	store := w.openStore(w.storePath(), nil)
	t.Cleanup(func() { _ = store.Close() })
	w.putReceipts(store, 0, 4)
	metrics, err := claims.NewPromMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	journalPath := filepath.Join(t.TempDir(), "journal.db")
	journal, err := txmgr.OpenJournal(journalPath)
	if err != nil {
		t.Fatal(err)
	}
	txm := w.txmWith(journal)
	four := func(c *claims.Config) { c.MaxSegments = 4 }
	svc := w.service(store, &revertFirstDistribute{real: txm}, metrics, four)
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
	txm.Close()
	if err := journal.Close(); err != nil {
		t.Fatal(err)
	}
	if journal, err = txmgr.OpenJournal(journalPath); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = journal.Close() })
	svc = w.service(store, w.txmWith(journal), metrics, four)
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
