package archive_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/opkit-dev/opkit/claims"
	"github.com/opkit-dev/opkit/claims/archive"
)

func open(t *testing.T) *archive.Archive {
	t.Helper()
	a, err := archive.Open(filepath.Join(t.TempDir(), "segments"))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func rends(tag string) []archive.Rendition {
	return []archive.Rendition{{Name: "P360p30fps16x9", Data: []byte("360-" + tag)}, {Name: "P240p30fps16x9", Data: []byte("240-" + tag)}}
}

func TestKeepThenReadBack(t *testing.T) {
	a := open(t)
	src := []byte("source segment")
	h, err := a.Keep(7, 3, src, rends("a"))
	if err != nil {
		t.Fatal(err)
	}
	s1, s2 := sha256.Sum256([]byte("360-a")), sha256.Sum256([]byte("240-a"))
	if want := claims.TranscodedDataHash(s1[:], s2[:]); h != want {
		t.Fatalf("hash %s, want %s", h, want)
	}
	got, err := a.Source(7, 3, crypto.Keccak256Hash(src))
	if err != nil || !bytes.Equal(got, src) {
		t.Fatalf("source %q, %v", got, err)
	}
	rs, err := a.Renditions(7, 3, h)
	if err != nil {
		t.Fatal(err)
	}
	want := rends("a")
	for i := range want {
		if rs[i].Name != want[i].Name || !bytes.Equal(rs[i].Data, want[i].Data) {
			t.Fatalf("rendition %d: %s %q", i, rs[i].Name, rs[i].Data)
		}
	}
}

// KeepHashed names the source by the hash its caller gives: the right one
// keeps what Keep keeps; a wrong one leaves a source no reader finds by
// either hash, never bytes that pass for another source.
func TestKeepHashed(t *testing.T) {
	a := open(t)
	src := []byte("source segment")
	dh := crypto.Keccak256Hash(src)
	h, err := a.KeepHashed(7, 3, src, dh, rends("a"))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := a.Source(7, 3, dh); err != nil || !bytes.Equal(got, src) {
		t.Fatalf("source %q, %v", got, err)
	}
	if rs, err := a.Renditions(7, 3, h); err != nil || len(rs) != 2 {
		t.Fatalf("renditions %v, %v", rs, err)
	}
	wrong := crypto.Keccak256Hash([]byte("another source"))
	if _, err := a.KeepHashed(8, 3, src, wrong, rends("a")); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Source(8, 3, dh); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("by the true hash: %v, want ErrNotFound", err)
	}
	if _, err := a.Source(8, 3, wrong); !errors.Is(err, archive.ErrCorrupt) {
		t.Errorf("by the wrong hash: %v, want ErrCorrupt", err)
	}
}

// A re-run of a segment made other bytes: both sets are kept, each found by
// its own hash, and keeping one again is a no-op.
func TestReRunsAreKeptByHash(t *testing.T) {
	a := open(t)
	ha, err1 := a.Keep(1, 0, []byte("src"), rends("a"))
	hb, err2 := a.Keep(1, 0, []byte("src"), rends("b"))
	ha2, err3 := a.Keep(1, 0, []byte("src"), rends("a"))
	if err := errors.Join(err1, err2, err3); err != nil {
		t.Fatal(err)
	}
	if ha == hb || ha != ha2 {
		t.Fatalf("hashes %s %s %s", ha, hb, ha2)
	}
	for _, h := range []struct {
		h   [32]byte
		tag string
	}{{ha, "a"}, {hb, "b"}} {
		rs, err := a.Renditions(1, 0, h.h)
		if err != nil || string(rs[0].Data) != "360-"+h.tag {
			t.Fatalf("%s: %v %v", h.tag, rs, err)
		}
	}
}

func TestMissingAndTampered(t *testing.T) {
	a := open(t)
	src := []byte("src")
	h, err := a.Keep(2, 5, src, rends("a"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Renditions(2, 6, h); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("other segment: %v", err)
	}
	if _, err := a.Source(2, 5, crypto.Keccak256Hash([]byte("other"))); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("other source: %v", err)
	}
	// Change one rendition's bytes on disk: reads refuse it.
	dir := filepath.Join(a.Root(), "job-2", "seg-5", "out-"+h.Hex())
	if err := os.WriteFile(filepath.Join(dir, "01-P240p30fps16x9"), []byte("forged"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Renditions(2, 5, h); !errors.Is(err, archive.ErrCorrupt) {
		t.Fatalf("tampered rendition: %v", err)
	}
	if err := os.WriteFile(filepath.Join(a.Root(), "job-2", "seg-5", "source-"+crypto.Keccak256Hash(src).Hex()), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Source(2, 5, crypto.Keccak256Hash(src)); !errors.Is(err, archive.ErrCorrupt) {
		t.Fatalf("tampered source: %v", err)
	}
}

func TestBadRenditionNames(t *testing.T) {
	a := open(t)
	for _, name := range []string{"", "..", "a/b", `a\b`, ".hidden", "nul\x00"} {
		if _, err := a.Keep(1, 1, []byte("s"), []archive.Rendition{{Name: name, Data: []byte("d")}}); !errors.Is(err, archive.ErrBadRendition) {
			t.Errorf("%q: %v", name, err)
		}
	}
}

func TestPrune(t *testing.T) {
	a := open(t)
	for seg := uint64(0); seg < 3; seg++ {
		if _, err := a.Keep(4, seg, []byte{byte(seg)}, rends("a")); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * time.Hour)
	for _, s := range []string{"seg-0", "seg-1"} {
		if err := os.Chtimes(filepath.Join(a.Root(), "job-4", s), old, old); err != nil {
			t.Fatal(err)
		}
	}
	n, err := a.Prune(time.Now().Add(-time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("pruned %d, %v", n, err)
	}
	if _, err := a.Source(4, 2, crypto.Keccak256Hash([]byte{2})); err != nil {
		t.Fatalf("recent segment pruned: %v", err)
	}
	if n, err := a.Prune(time.Now().Add(time.Hour)); err != nil || n != 1 {
		t.Fatalf("pruned %d, %v", n, err)
	}
	if _, err := os.Stat(filepath.Join(a.Root(), "job-4")); !os.IsNotExist(err) {
		t.Fatalf("empty job directory left: %v", err)
	}
}
