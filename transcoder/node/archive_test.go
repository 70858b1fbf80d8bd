package node

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/opkit-dev/opkit/claims/archive"
)

func openArchive(t *testing.T) *archive.Archive {
	t.Helper()
	a, err := archive.Open(filepath.Join(t.TempDir(), "segments"))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// A paid segment's source and renditions are in the archive under the
// hashes of the receipt the node stored: what a verifier fetches.
func TestPaidSegmentArchivedUnderItsReceipt(t *testing.T) {
	store, arch := openReceiptStore(t), openArchive(t)
	cfg := receiptNodeConfig(t, store)
	cfg.Archive = arch
	n := startNode(t, cfg, nil)
	seg := nodeSegments(t, 1)[0]
	resp := readOK(t, postSegment(t, n.base, "arch", 0, seg, signedBy(t, newKey(t), receiptTestJob, "arch", 0, seg)))
	rec, err := store.Get(receiptTestJob, 0)
	if err != nil {
		t.Fatal(err)
	}
	src, err := arch.Source(receiptTestJob, 0, rec.Receipt.DataHash)
	if err != nil || !bytes.Equal(src, seg) {
		t.Fatalf("archived source: %v", err)
	}
	rends, err := arch.Renditions(receiptTestJob, 0, rec.Receipt.TranscodedDataHash)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range resp.Renditions {
		if rends[i].Name != r.Name || !bytes.Equal(rends[i].Data, r.Data) {
			t.Fatalf("archived rendition %d is %s, answered %s", i, rends[i].Name, r.Name)
		}
	}
	// A free segment is not archived: the archive holds the one job.
	readOK(t, postSegment(t, n.base, "free", 0, seg))
	if jobs, err := os.ReadDir(arch.Root()); err != nil || len(jobs) != 1 {
		t.Fatalf("archive holds %v (%v), want job %d alone", jobs, err, receiptTestJob)
	}
}

type failingArchive struct{}

func (failingArchive) KeepHashed(uint64, uint64, []byte, common.Hash, []archive.Rendition) (common.Hash, error) {
	return common.Hash{}, errors.New("disk full")
}

// A segment the node cannot archive gets no receipt and a 503 the client
// retries: a receipt never commits to work the node could not show a
// verifier.
func TestArchiveFailureStoresNoReceipt(t *testing.T) {
	store := openReceiptStore(t)
	cfg := receiptNodeConfig(t, store)
	cfg.Archive = failingArchive{}
	n := startNode(t, cfg, nil)
	seg := nodeSegments(t, 1)[0]
	resp := postSegment(t, n.base, "arch", 0, seg, signedBy(t, newKey(t), receiptTestJob, "arch", 0, seg))
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503", resp.StatusCode)
	}
	wantNoReceipt(t, store, receiptTestJob, 0)
}

const testVerifierSecret = "verifier-secret-0123456789"

// A verifier on another host fetches a paid segment's source and
// renditions over the archive API with its own secret, each checked
// against the hash it asked for.
func TestArchiveAPIServesVerifiers(t *testing.T) {
	store, arch := openReceiptStore(t), openArchive(t)
	cfg := receiptNodeConfig(t, store)
	cfg.Archive, cfg.VerifierSecret = arch, []byte(testVerifierSecret)
	n := startNode(t, cfg, nil)
	seg := nodeSegments(t, 1)[0]
	readOK(t, postSegment(t, n.base, "api", 0, seg, signedBy(t, newKey(t), receiptTestJob, "api", 0, seg)))
	rec, err := store.Get(receiptTestJob, 0)
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewArchiveClient(n.base, []byte(testVerifierSecret), nil)
	if err != nil {
		t.Fatal(err)
	}
	src, err := c.Source(receiptTestJob, 0, rec.Receipt.DataHash)
	if err != nil || !bytes.Equal(src, seg) {
		t.Fatalf("source over the API: %v", err)
	}
	rends, err := c.Renditions(receiptTestJob, 0, rec.Receipt.TranscodedDataHash)
	if err != nil {
		t.Fatal(err)
	}
	local, _ := arch.Renditions(receiptTestJob, 0, rec.Receipt.TranscodedDataHash)
	for i := range local {
		if rends[i].Name != local[i].Name || !bytes.Equal(rends[i].Data, local[i].Data) {
			t.Fatalf("rendition %d differs from the store's", i)
		}
	}
	if _, err := c.Source(receiptTestJob, 1, rec.Receipt.DataHash); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("unknown segment: %v, want archive.ErrNotFound", err)
	}
	// The clients' secret does not open the archive.
	other, _ := NewArchiveClient(n.base, cfg.Secret, nil)
	if _, err := other.Source(receiptTestJob, 0, rec.Receipt.DataHash); err == nil || errors.Is(err, archive.ErrNotFound) || !strings.Contains(err.Error(), "401") {
		t.Fatalf("with the clients' secret: %v, want 401", err)
	}
}

// A server whose answers do not hash to what was asked is caught by the
// client: a lying or broken node cannot pass a verification.
func TestArchiveClientChecksHashes(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/source/") {
			_, _ = io.WriteString(w, "not the segment")
			return
		}
		resp := &Response{Renditions: []Rendition{newArchivedRendition(archive.Rendition{Name: "P144p30fps16x9", Data: []byte("x")})}}
		var buf bytes.Buffer
		ct, _ := resp.Encode(&buf)
		w.Header().Set("Content-Type", ct)
		_, _ = buf.WriteTo(w)
	}))
	defer srv.Close()
	c, err := NewArchiveClient(srv.URL, []byte(testVerifierSecret), nil)
	if err != nil {
		t.Fatal(err)
	}
	h := common.HexToHash("0x01")
	if _, err := c.Source(1, 0, h); !errors.Is(err, archive.ErrCorrupt) {
		t.Fatalf("source: %v, want archive.ErrCorrupt", err)
	}
	if _, err := c.Renditions(1, 0, h); !errors.Is(err, archive.ErrCorrupt) {
		t.Fatalf("renditions: %v, want archive.ErrCorrupt", err)
	}
}

func TestVerifierSecretMustDiffer(t *testing.T) {
	cfg := testNodeConfig(t)
	cfg.VerifierSecret = cfg.Secret
	if err := cfg.Validate(); !errors.Is(err, ErrBadConfig) {
		t.Fatalf("verifier secret = client secret: %v", err)
	}
}

// An answer above the client's limit is ErrTooLarge, not corrupt: the
// verifier cannot judge it, and must not fail honest work for its size.
func TestArchiveClientLimit(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write(bytes.Repeat([]byte("x"), 2048))
	}))
	defer srv.Close()
	c, err := NewArchiveClient(srv.URL, []byte(testVerifierSecret), nil)
	if err != nil {
		t.Fatal(err)
	}
	c.maxBytes = 1024
	if _, err := c.Source(1, 0, common.Hash{}); !errors.Is(err, archive.ErrTooLarge) {
		t.Fatalf("source: %v, want archive.ErrTooLarge", err)
	}
	if _, err := c.Renditions(1, 0, common.Hash{}); !errors.Is(err, archive.ErrTooLarge) {
		t.Fatalf("renditions: %v, want archive.ErrTooLarge", err)
	}
}
