package node

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/opkit-dev/opkit/claims"
)

// flakySink is the real receipt store whose first fail puts fail as an
// unavailable disk would.
type flakySink struct {
	store *claims.Store
	fail  atomic.Int32
}

func (f *flakySink) Put(job uint64, r claims.Receipt, h [][]byte) error {
	_, err := f.PutFirst(job, r, h)
	return err
}

func (f *flakySink) PutFirst(job uint64, r claims.Receipt, h [][]byte) (claims.Record, error) {
	if f.fail.Add(-1) >= 0 {
		return claims.Record{}, fmt.Errorf("%w: disk full", claims.ErrStore)
	}
	return f.store.PutFirst(job, r, h)
}

func (f *flakySink) Get(job, seg uint64) (claims.Record, error) { return f.store.Get(job, seg) }

// TestNodeReceiptRetryAfterStoreFailure: a paid segment whose receipt
// could not be stored (503 receipt_store) is answered when the client sends
// it again, from the stream's last answer, here or on the stream's worker.
func TestNodeReceiptRetryAfterStoreFailure(t *testing.T) {
	for _, remote := range []bool{false, true} {
		t.Run(map[bool]string{false: "local", true: "remote"}[remote], func(t *testing.T) {
			store := openReceiptStore(t)
			sink := &flakySink{store: store}
			sink.fail.Store(1)
			cfg := receiptNodeConfig(t, sink)
			if remote {
				cfg.LocalSessions = 0
			}
			n := startNode(t, cfg, nil)
			opened := func() int64 { return n.Stats().SessionsOpened }
			if remote {
				opened = startWorker(t, n, "wr", nil).SessionsOpened
			}
			key := newKey(t)
			segs := nodeSegments(t, 2)
			sign := signedBy(t, key, receiptTestJob, "cam", 0, segs[0])
			wantError(t, postSegment(t, n.base, "cam", 0, segs[0], sign), http.StatusServiceUnavailable, "receipt_store")
			wantNoReceipt(t, store, receiptTestJob, 0)
			resp := readOK(t, postSegment(t, n.base, "cam", 0, segs[0], sign))
			checkStoredReceipt(t, store, "cam", 0, segs[0], resp, crypto.PubkeyToAddress(key.PublicKey))
			if resp.Result.SessionSeq != 0 || opened() != 1 {
				t.Errorf("retry: session seq %d, %d sessions opened; want the first run's answer", resp.Result.SessionSeq, opened())
			}
			next := readOK(t, postSegment(t, n.base, "cam", 1, segs[1], signedBy(t, key, receiptTestJob, "cam", 1, segs[1])))
			checkRenditions(t, next, 1)
		})
	}
}

// TestNodeReceiptRepeatElsewhereKeepsFirst: the same signed segment sent to
// a restarted node, whose re-run hashes otherwise (here another preset; in
// production x264 with threads on auto), is answered and the first receipt
// stays; another signature for the segment is still a conflict, refused
// before any work.
func TestNodeReceiptRepeatElsewhereKeepsFirst(t *testing.T) {
	store := openReceiptStore(t)
	key := newKey(t)
	seg := nodeSegments(t, 1)[0]
	sign := signedBy(t, key, receiptTestJob, "cam", 0, seg)
	n1 := startNode(t, receiptNodeConfig(t, store), nil)
	first := readOK(t, postSegment(t, n1.base, "cam", 0, seg, sign))
	if err := n1.stop(); err != nil {
		t.Fatal(err)
	}
	cfg := receiptNodeConfig(t, store)
	cfg.Engine.Preset = "superfast"
	var transcoded atomic.Int32
	n2 := startNode(t, cfg, func(context.Context, string, int) { transcoded.Add(1) })
	again := readOK(t, postSegment(t, n2.base, "cam", 0, seg, sign))
	if again.Renditions[0].SHA256 == first.Renditions[0].SHA256 {
		t.Fatal("the re-run gave the same renditions; the test needs them to differ")
	}
	checkStoredReceipt(t, store, "cam", 0, seg, first, crypto.PubkeyToAddress(key.PublicKey))
	if rec, _ := store.Get(receiptTestJob, 0); again.Result.Receipt != rec.Receipt.Hash().Hex() || first.Result.Receipt != again.Result.Receipt {
		t.Errorf("answers name receipts %q then %q, want the stored first one %s", first.Result.Receipt, again.Result.Receipt, rec.Receipt.Hash())
	}
	other := signedBy(t, newKey(t), receiptTestJob, "cam", 0, seg)
	wantError(t, postSegment(t, n2.base, "cam", 0, seg, other), http.StatusConflict, "receipt_conflict")
	if transcoded.Load() != 1 {
		t.Errorf("%d segments transcoded, want 1: the conflict is refused before the work", transcoded.Load())
	}
}
