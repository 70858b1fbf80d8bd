package claims

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
)

// signedReceipts returns n receipts of stream for segments first.., signed by key, and their
// rendition hashes (two renditions each).
func signedReceipts(t testing.TB, key *ecdsa.PrivateKey, stream string, first uint64, n int) ([]Receipt, [][][]byte) {
	t.Helper()
	rs := make([]Receipt, n)
	hs := make([][][]byte, n)
	for i := range rs {
		seg := first + uint64(i)
		a := sha256.Sum256([]byte(fmt.Sprintf("%s/%d/720p", stream, seg)))
		b := sha256.Sum256([]byte(fmt.Sprintf("%s/%d/360p", stream, seg)))
		hs[i] = [][]byte{a[:], b[:]}
		sig := make([]byte, 65)
		rs[i] = NewReceipt(stream, seg, []byte(fmt.Sprintf("source %s %d", stream, seg)), hs[i], sig)
		s, err := SignSegment(key, rs[i].SegmentHash())
		if err != nil {
			t.Fatal(err)
		}
		rs[i].BroadcasterSig = s
	}
	return rs, hs
}

func newKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

type fixedClock struct{ t time.Time }

func (c *fixedClock) now() time.Time { return c.t }

func openStore(t *testing.T, path string, clk *fixedClock) *Store {
	t.Helper()
	s, err := OpenStore(path, StoreOptions{Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func putAll(t *testing.T, s *Store, job uint64, rs []Receipt, hs [][][]byte) {
	t.Helper()
	for i := range rs {
		if err := s.Put(job, rs[i], hs[i]); err != nil {
			t.Fatalf("put segment %d: %v", rs[i].Seg, err)
		}
	}
}

func TestStorePutIdempotentAndConflict(t *testing.T) {
	clk := &fixedClock{t: time.Unix(1_700_000_000, 0)}
	s := openStore(t, filepath.Join(t.TempDir(), "r.db"), clk)
	defer s.Close()
	key := newKey(t)
	rs, hs := signedReceipts(t, key, "s1", 0, 3)
	putAll(t, s, 7, rs, hs)
	clk.t = clk.t.Add(time.Hour)
	putAll(t, s, 7, rs, hs) // the same receipts again: no error, nothing changes
	got, err := s.Get(7, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got.Receipt.Hash() != rs[1].Hash() || !got.Received.Equal(time.Unix(1_700_000_000, 0)) {
		t.Fatalf("stored %+v; want the first put kept", got)
	}

	other := rs[1]
	other.DataHash[0] ^= 1 // another source under the same segment number
	err = s.Put(7, other, nil)
	var ce *ConflictError
	if !errors.Is(err, ErrConflict) || !errors.As(err, &ce) || ce.Stored != rs[1].Hash() || ce.Offered != other.Hash() {
		t.Fatalf("conflicting put: err = %v; want a *ConflictError naming both hashes", err)
	}
	if got, _ := s.Get(7, 1); got.Receipt.Hash() != rs[1].Hash() {
		t.Fatal("conflicting put overwrote the stored receipt")
	}
	others, oh := signedReceipts(t, key, "s2", 10, 1)
	if err := s.Put(7, others[0], oh[0]); !errors.Is(err, ErrConflict) {
		t.Fatalf("receipt of another stream in job 7: err = %v, want ErrConflict", err)
	}
	if err := s.Put(8, others[0], oh[0]); err != nil {
		t.Fatalf("same receipt in another job: %v", err)
	}
	if _, err := s.Get(7, 99); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get missing: err = %v, want ErrNotFound", err)
	}
}

// TestStorePutRepeatKeepsFirst: the same segment (stream, seq, source hash, signature) put
// again with other output hashes, as a re-run on another worker or after a restart gives with
// x264 threads on auto, is a repeat: no error, and the first receipt stays. Another source or
// another signature for the segment is still a conflict.
func TestStorePutRepeatKeepsFirst(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "r.db"), &fixedClock{t: time.Unix(1_700_000_000, 0)})
	defer s.Close()
	key := newKey(t)
	rs, hs := signedReceipts(t, key, "s1", 4, 1)
	putAll(t, s, 7, rs, hs)
	rerun := rs[0]
	a, b := sha256.Sum256([]byte("re-run 720p")), sha256.Sum256([]byte("re-run 360p"))
	rerunHashes := [][]byte{a[:], b[:]}
	rerun.TranscodedDataHash = TranscodedDataHash(rerunHashes...)
	if err := s.Put(7, rerun, rerunHashes); err != nil {
		t.Fatalf("repeat with other output hashes: %v, want it taken as a repeat", err)
	}
	kept, err := s.PutFirst(7, rerun, rerunHashes)
	if err != nil || kept.Receipt.Hash() != rs[0].Hash() {
		t.Errorf("PutFirst answered receipt %s (%v), want the first %s", kept.Receipt.Hash(), err, rs[0].Hash())
	}
	got, err := s.Get(7, 4)
	if err != nil || got.Receipt.Hash() != rs[0].Hash() || string(got.Renditions[0]) != string(hs[0][0]) {
		t.Fatalf("stored %+v (%v); want the first receipt and its renditions kept", got.Receipt, err)
	}
	otherSig := rs[0]
	if otherSig.BroadcasterSig, err = SignSegment(newKey(t), rs[0].SegmentHash()); err != nil {
		t.Fatal(err)
	}
	otherSrc := rs[0]
	otherSrc.DataHash[0] ^= 1
	for name, r := range map[string]Receipt{"other signature": otherSig, "other source": otherSrc} {
		var ce *ConflictError
		if err := s.Put(7, r, nil); !errors.As(err, &ce) || ce.Stored != rs[0].Hash() {
			t.Errorf("%s: err = %v, want a *ConflictError naming the stored receipt", name, err)
		}
	}
}

func TestStorePutRejectsInvalid(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "r.db"), &fixedClock{})
	defer s.Close()
	rs, hs := signedReceipts(t, newKey(t), "s", 0, 1)
	r := rs[0]
	cases := []struct {
		name string
		r    Receipt
		h    [][]byte
	}{
		{"empty stream", Receipt{Seg: 1, BroadcasterSig: r.BroadcasterSig}, nil},
		{"short signature", Receipt{StreamID: "s", BroadcasterSig: r.BroadcasterSig[:64]}, nil},
		{"renditions do not hash to transcodedDataHash", r, [][]byte{hs[0][1], hs[0][0]}},
		{"signature with bad v", func() Receipt {
			x := r
			x.BroadcasterSig = append([]byte(nil), r.BroadcasterSig...)
			x.BroadcasterSig[64] = 5
			return x
		}(), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := s.Put(1, c.r, c.h); !errors.Is(err, ErrInvalidReceipt) {
				t.Fatalf("err = %v, want ErrInvalidReceipt", err)
			}
		})
	}
}

func TestStoreUnclaimedRuns(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "r.db"), &fixedClock{})
	defer s.Close()
	rs, hs := signedReceipts(t, newKey(t), "s", 0, 12)
	// Segments 0-4 and 6-11: 5 is missing.
	for i := range rs {
		if i != 5 {
			putAll(t, s, 3, rs[i:i+1], hs[i:i+1])
		}
	}
	segs := func(run []Record) []uint64 {
		out := []uint64{}
		for _, r := range run {
			out = append(out, r.Receipt.Seg)
		}
		return out
	}
	check := func(max int, want ...uint64) {
		t.Helper()
		run, err := s.UnclaimedRun(3, max)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(segs(run)) != fmt.Sprint(append([]uint64{}, want...)) {
			t.Fatalf("UnclaimedRun(max %d) = %v, want %v", max, segs(run), want)
		}
	}
	check(0, 0, 1, 2, 3, 4)
	check(3, 0, 1, 2)
	if err := s.RecordClaimIntent(ClaimRecord{Job: 3, Start: 0, End: 2}); err != nil {
		t.Fatal(err)
	}
	check(0, 3, 4)
	if err := s.RecordClaimIntent(ClaimRecord{Job: 3, Start: 2, End: 3}); !errors.Is(err, ErrAlreadyClaimed) {
		t.Fatalf("overlapping intent: err = %v, want ErrAlreadyClaimed", err)
	}
	check(0, 3, 4) // the refused intent attached nothing
	if err := s.UpdateClaim(3, 0, func(c *ClaimRecord) error { c.State = ClaimClaimed; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := s.DropIntent(3, 0); !errors.Is(err, ErrAlreadyClaimed) {
		t.Fatalf("drop a claimed claim: err = %v, want ErrAlreadyClaimed", err)
	}
	if err := s.RecordClaimIntent(ClaimRecord{Job: 3, Start: 4, End: 6}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("intent over a missing segment: err = %v, want ErrNotFound", err)
	}
	if err := s.RecordClaimIntent(ClaimRecord{Job: 3, Start: 3, End: 4}); err != nil {
		t.Fatal(err)
	}
	check(0, 6, 7, 8, 9, 10, 11)
	if err := s.RecordClaimIntent(ClaimRecord{Job: 3, Start: 6, End: 7}); err != nil {
		t.Fatal(err)
	}
	check(0, 8, 9, 10, 11)
	if err := s.DropIntent(3, 6); err != nil { // refused before sending: the receipts are free again
		t.Fatal(err)
	}
	check(0, 6, 7, 8, 9, 10, 11)
	if err := s.DropIntent(3, 6); !errors.Is(err, ErrNotFound) {
		t.Fatalf("drop a dropped intent: err = %v, want ErrNotFound", err)
	}
	if err := s.Reject(3, 8, "test"); err != nil {
		t.Fatal(err)
	}
	check(0, 6, 7)
	if err := s.Reject(3, 0, "test"); !errors.Is(err, ErrAlreadyClaimed) {
		t.Fatalf("reject a claimed receipt: err = %v, want ErrAlreadyClaimed", err)
	}
	putAll(t, s, 3, rs[5:6], hs[5:6]) // the gap fills: 5 runs into 6, 7
	check(0, 5, 6, 7)
	st, err := s.Status()
	if err != nil {
		t.Fatal(err)
	}
	if st.Unclaimed != 6 || len(st.Claims) != 2 || st.Jobs[0].Rejected != 1 || st.Jobs[0].Receipts != 12 {
		t.Fatalf("status = %+v; want 6 unclaimed (5-7, 9-11), 2 claims, 1 rejected, 12 receipts", st)
	}
	if n, err := s.Pending(); err != nil || n != st.Unclaimed {
		t.Fatalf("Pending() = %d, %v; want %d as Status counts", n, err, st.Unclaimed)
	}
	got, err := s.Receipts(3, 0, 2)
	if err != nil || len(got) != 3 || got[2].Hash() != rs[2].Hash() {
		t.Fatalf("Receipts(0, 2) = %d receipts, %v", len(got), err)
	}
}

// TestStoreSurvivesReopen checks that every claim state and every receipt mark is read back
// after the file is closed and opened again, as after a crash between steps.
func TestStoreSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.db")
	clk := &fixedClock{t: time.Unix(1_700_000_000, 0)}
	s := openStore(t, path, clk)
	rs, hs := signedReceipts(t, newKey(t), "s", 0, 4)
	putAll(t, s, 1, rs, hs)
	cl, err := NewClaim(rs[:3])
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RecordClaimIntent(ClaimRecord{Job: 1, Start: 0, End: 2, Root: cl.Root(), ClaimsBefore: 4}); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenStore(path, StoreOptions{LockTimeout: 50 * time.Millisecond}); !errors.Is(err, ErrStoreLocked) {
		t.Fatalf("second open while held: err = %v, want ErrStoreLocked", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openStore(t, path, clk)
	cs, err := s.Claims()
	if err != nil || len(cs) != 1 || cs[0].State != ClaimIntent || cs[0].Root != cl.Root() || cs[0].ClaimsBefore != 4 {
		t.Fatalf("after reopen claims = %+v, %v; want the intent", cs, err)
	}
	if run, _ := s.UnclaimedRun(1, 0); len(run) != 1 || run[0].Receipt.Seg != 3 {
		t.Fatalf("after reopen the unclaimed run is %+v; want segment 3 only", run)
	}
	err = s.UpdateClaim(1, 0, func(c *ClaimRecord) error {
		c.State, c.ClaimID, c.Challenged, c.Verified = ClaimClaimed, 9, []uint64{1}, map[uint64]string{1: VerifyResultSubmitted}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openStore(t, path, clk)
	defer s.Close()
	cs, _ = s.Claims()
	if cs[0].State != ClaimClaimed || cs[0].ClaimID != 9 || cs[0].Verified[1] != VerifyResultSubmitted {
		t.Fatalf("after second reopen claim = %+v", cs[0])
	}
}

func TestStoreBinding(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "r.db"), &fixedClock{})
	defer s.Close()
	if _, err := s.Binding(); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unbound: err = %v", err)
	}
	b := Binding{ChainID: 1337, JobsManager: crypto.PubkeyToAddress(newKey(t).PublicKey), Account: crypto.PubkeyToAddress(newKey(t).PublicKey)}
	if err := s.Bind(b); err != nil {
		t.Fatal(err)
	}
	if err := s.Bind(b); err != nil {
		t.Fatalf("same binding again: %v", err)
	}
	other := b
	other.ChainID = 42161
	if err := s.Bind(other); !errors.Is(err, ErrWrongDeployment) {
		t.Fatalf("other chain: err = %v, want ErrWrongDeployment", err)
	}
}
