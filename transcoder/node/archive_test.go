package node

import (
	"bytes"
	"errors"
	"net/http"
	"os"
	"path/filepath"
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

func (failingArchive) Keep(uint64, uint64, []byte, []archive.Rendition) (common.Hash, error) {
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
