package node

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/opkit-dev/opkit/claims"
	"github.com/opkit-dev/opkit/transcoder"
)

const receiptTestJob = 7

// openReceiptStore opens a fresh bbolt receipt store closed at the end of the test.
func openReceiptStore(t *testing.T) *claims.Store {
	t.Helper()
	s, err := claims.OpenStore(filepath.Join(t.TempDir(), "claims.db"), claims.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

func newKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// signedBy signs the segment as the broadcaster holding key and sets the
// job headers.
func signedBy(t *testing.T, key *ecdsa.PrivateKey, job uint64, stream string, seq int, data []byte) reqOpt {
	t.Helper()
	sig, err := claims.SignSegment(key, claims.SegmentHash(stream, uint64(seq), crypto.Keccak256Hash(data)))
	if err != nil {
		t.Fatal(err)
	}
	return withJobHeaders(job, sig)
}

func withJobHeaders(job uint64, sig []byte) reqOpt {
	return func(r *http.Request) {
		r.Header.Set(HeaderJobID, strconv.FormatUint(job, 10))
		r.Header.Set(HeaderBroadcasterSig, "0x"+hex.EncodeToString(sig))
	}
}

// wantNoReceipt checks that the store holds nothing for (job, seg).
func wantNoReceipt(t *testing.T, s *claims.Store, job, seg uint64) {
	t.Helper()
	if rec, err := s.Get(job, seg); !errors.Is(err, claims.ErrNotFound) {
		t.Fatalf("job %d segment %d: got receipt %+v, err %v; want none", job, seg, rec.Receipt, err)
	}
}

// checkStoredReceipt checks the stored receipt against the answer: its
// TranscodedDataHash is the hash of the SHA-256 of each returned
// rendition, in ladder order, and its signature recovers the broadcaster.
func checkStoredReceipt(t *testing.T, s *claims.Store, stream string, seq int, src []byte, resp *Response, broadcaster common.Address) {
	t.Helper()
	rec, err := s.Get(receiptTestJob, uint64(seq))
	if err != nil {
		t.Fatalf("stored receipt: %v", err)
	}
	ladder, _ := transcoder.ParseLadderSpec(nodeTestLadder)
	if len(resp.Renditions) != len(ladder) {
		t.Fatalf("%d renditions, want %d", len(resp.Renditions), len(ladder))
	}
	var hashes [][]byte
	for i, r := range resp.Renditions {
		if r.Name != ladder[i].Name {
			t.Fatalf("rendition %d is %s, want %s (ladder order)", i, r.Name, ladder[i].Name)
		}
		h := sha256.Sum256(r.Data)
		hashes = append(hashes, h[:])
	}
	r := rec.Receipt
	if want := claims.TranscodedDataHash(hashes...); r.TranscodedDataHash != want {
		t.Errorf("TranscodedDataHash %s, want %s over the returned renditions", r.TranscodedDataHash, want)
	}
	if r.StreamID != stream || r.Seg != uint64(seq) || r.DataHash != crypto.Keccak256Hash(src) {
		t.Errorf("receipt %s/%d data %s, want %s/%d %s", r.StreamID, r.Seg, r.DataHash, stream, seq, crypto.Keccak256Hash(src))
	}
	signer, err := claims.RecoverBroadcaster(r.SegmentHash(), r.BroadcasterSig)
	if err != nil || signer != broadcaster {
		t.Errorf("signature recovers %s (%v), want %s", signer, err, broadcaster)
	}
}

func receiptNodeConfig(t *testing.T, store claims.ReceiptSink) Config {
	cfg := testNodeConfig(t)
	cfg.Receipts = store
	return cfg
}

func TestNodeReceiptStoredForSignedSegment(t *testing.T) {
	store := openReceiptStore(t)
	n := startNode(t, receiptNodeConfig(t, store), nil)
	segs := nodeSegments(t, 2)
	key := newKey(t)
	for seq, seg := range segs {
		resp := readOK(t, postSegment(t, n.base, "paid", seq, seg, signedBy(t, key, receiptTestJob, "paid", seq, seg)))
		checkStoredReceipt(t, store, "paid", seq, seg, resp, crypto.PubkeyToAddress(key.PublicKey))
	}

	// Without the headers the node is a plain transcoding service.
	readOK(t, postSegment(t, n.base, "free", 0, segs[0]))
	if jobs, err := store.Jobs(); err != nil || len(jobs) != 1 {
		t.Errorf("jobs in the store: %v (%v), want only job %d", jobs, err, receiptTestJob)
	}
}

func TestNodeReceiptRefusesBadSignature(t *testing.T) {
	store := openReceiptStore(t)
	key := newKey(t)
	cfg := receiptNodeConfig(t, store)
	cfg.Broadcasters = fixedBroadcaster(crypto.PubkeyToAddress(key.PublicKey))
	var transcoded atomic.Int32
	n := startNode(t, cfg, func(context.Context, string, int) { transcoded.Add(1) })
	seg := nodeSegments(t, 1)[0]
	other := nodeSegments(t, 2)[1]

	garbage := make([]byte, 65)
	garbage[64] = 27 // r = s = 0: does not recover
	cases := []struct {
		name string
		opt  reqOpt
		code string
	}{
		{"not recoverable", withJobHeaders(receiptTestJob, garbage), "bad_signature"},
		{"short", withJobHeaders(receiptTestJob, garbage[:64]), "bad_signature"},
		{"job without signature", func(r *http.Request) { r.Header.Set(HeaderJobID, "7") }, "missing_job_header"},
		{"job not a number", func(r *http.Request) {
			withJobHeaders(receiptTestJob, garbage)(r)
			r.Header.Set(HeaderJobID, "seven")
		}, "bad_job"},
		{"signed by another key", signedBy(t, newKey(t), receiptTestJob, "s", 0, seg), "wrong_signer"},
		{"signature of another segment", signedBy(t, key, receiptTestJob, "s", 0, other), "wrong_signer"},
		{"signature of another seq", signedBy(t, key, receiptTestJob, "s", 1, seg), "wrong_signer"},
		{"unknown job", signedBy(t, key, receiptTestJob+1, "s", 0, seg), "job_refused"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, postSegment(t, n.base, "s", 0, seg, tc.opt), http.StatusBadRequest, tc.code)
			wantNoReceipt(t, store, receiptTestJob, 0)
		})
	}
	if transcoded.Load() != 0 {
		t.Errorf("%d refused segments were transcoded", transcoded.Load())
	}
	// The stream is untouched: the properly signed segment 0 still goes through.
	readOK(t, postSegment(t, n.base, "s", 0, seg, signedBy(t, key, receiptTestJob, "s", 0, seg)))
	text := metricsText(t, n.base)
	wantMetric(t, text, `opkit_node_receipts_total{result="refused"} `+strconv.Itoa(len(cases)))
	wantMetric(t, text, `opkit_node_receipts_total{result="stored"} 1`)
}

// fixedBroadcaster is the JobsManager seam answering one broadcaster for every job.
type fixedBroadcaster common.Address

func (b fixedBroadcaster) Broadcaster(_ context.Context, job uint64, _ string, _ []string) (common.Address, error) {
	if job != receiptTestJob {
		return common.Address{}, fmt.Errorf("%w: no job %d", ErrJobRefused, job)
	}
	return common.Address(b), nil
}

func TestNodeReceiptSameSegmentTwiceIsIdempotent(t *testing.T) {
	store := openReceiptStore(t)
	key := newKey(t)
	seg := nodeSegments(t, 1)[0]
	sign := signedBy(t, key, receiptTestJob, "cam", 0, seg)

	// A node restarted over the same store (a fresh session) gets the same
	// signed segment again: same renditions, same receipt, 200 both times.
	var answers []*Response
	for range 2 {
		n := startNode(t, receiptNodeConfig(t, store), nil)
		answers = append(answers, readOK(t, postSegment(t, n.base, "cam", 0, seg, sign)))
		if err := n.stop(); err != nil {
			t.Fatal(err)
		}
	}
	for i := range answers[0].Renditions {
		if a, b := answers[0].Renditions[i].SHA256, answers[1].Renditions[i].SHA256; a != b {
			t.Fatalf("rendition %d: %s then %s; the engine is not deterministic", i, a, b)
		}
	}
	checkStoredReceipt(t, store, "cam", 0, seg, answers[1], crypto.PubkeyToAddress(key.PublicKey))
}

func TestNodeReceiptConflictIs409(t *testing.T) {
	store := openReceiptStore(t)
	key := newKey(t)
	segs := nodeSegments(t, 2)
	n := startNode(t, receiptNodeConfig(t, store), nil)
	first := readOK(t, postSegment(t, n.base, "cam", 0, segs[0], signedBy(t, key, receiptTestJob, "cam", 0, segs[0])))

	// Another source as segment 0 of the same job, properly signed, on a
	// stream whose session is fresh (so the engine would take it): refused
	// before any work, and the stored receipt stays.
	var transcoded atomic.Int32
	n2 := startNode(t, receiptNodeConfig(t, store), func(context.Context, string, int) { transcoded.Add(1) })
	eb := wantError(t, postSegment(t, n2.base, "cam", 0, segs[1], signedBy(t, key, receiptTestJob, "cam", 0, segs[1])),
		http.StatusConflict, "receipt_conflict")
	t.Logf("conflict: %s", eb.Error)
	// Same source under another stream id of the same job: also a conflict.
	wantError(t, postSegment(t, n2.base, "cam2", 0, segs[0], signedBy(t, key, receiptTestJob, "cam2", 0, segs[0])),
		http.StatusConflict, "receipt_conflict")
	if transcoded.Load() != 0 {
		t.Errorf("%d conflicting segments were transcoded", transcoded.Load())
	}
	wantMetric(t, metricsText(t, n2.base), `opkit_node_receipts_total{result="conflict"} 2`)
	checkStoredReceipt(t, store, "cam", 0, segs[0], first, crypto.PubkeyToAddress(key.PublicKey))
}

// putOnly is a receipt sink without the lookup: a conflict is found only
// when the receipt is put, after the work.
type putOnly struct{ claims.ReceiptSink }

func TestNodeReceiptConflictAfterWorkWithoutLookup(t *testing.T) {
	store := openReceiptStore(t)
	key := newKey(t)
	segs := nodeSegments(t, 2)
	n := startNode(t, receiptNodeConfig(t, putOnly{store}), nil)
	first := readOK(t, postSegment(t, n.base, "cam", 0, segs[0], signedBy(t, key, receiptTestJob, "cam", 0, segs[0])))
	n2 := startNode(t, receiptNodeConfig(t, putOnly{store}), nil)
	wantError(t, postSegment(t, n2.base, "cam", 0, segs[1], signedBy(t, key, receiptTestJob, "cam", 0, segs[1])),
		http.StatusConflict, "receipt_conflict")
	checkStoredReceipt(t, store, "cam", 0, segs[0], first, crypto.PubkeyToAddress(key.PublicKey))
}

// TestRemoteReceiptStoredByOrchestrator: a segment done by a remote worker
// gets its receipt at the orchestrator, over the renditions the worker
// sent back.
func TestRemoteReceiptStoredByOrchestrator(t *testing.T) {
	store := openReceiptStore(t)
	cfg := receiptNodeConfig(t, store)
	cfg.LocalSessions = 0
	n := startNode(t, cfg, nil)
	startWorker(t, n, "wr", nil)
	key := newKey(t)
	seg := nodeSegments(t, 1)[0]
	resp := readOK(t, postSegment(t, n.base, "remote", 0, seg, signedBy(t, key, receiptTestJob, "remote", 0, seg)))
	if resp.Result.Worker != "wr" {
		t.Fatalf("segment ran on %q, want worker wr", resp.Result.Worker)
	}
	checkStoredReceipt(t, store, "remote", 0, seg, resp, crypto.PubkeyToAddress(key.PublicKey))
}
