package node

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/claims/archive"
)

// ArchiveReader is the read side of a segment archive (*archive.Archive has
// it): what a verifier fetches. Both check the bytes against the hash.
type ArchiveReader interface {
	Source(job, seg uint64, dataHash common.Hash) ([]byte, error)
	Renditions(job, seg uint64, transcodedDataHash common.Hash) ([]archive.Rendition, error)
}

// Paths of the archive API, served only with Config.VerifierSecret.
const (
	archiveSourcePath     = "GET /v1/archive/jobs/{job}/segments/{seg}/source/{hash}"
	archiveRenditionsPath = "GET /v1/archive/jobs/{job}/segments/{seg}/renditions/{hash}"
)

// archiveRoutes adds the archive API to mux when the node keeps an archive
// it can read and has a verifier secret.
func (n *Node) archiveRoutes(mux *http.ServeMux) {
	reader, ok := n.cfg.Archive.(ArchiveReader)
	if !ok || len(n.cfg.VerifierSecret) == 0 {
		return
	}
	mux.HandleFunc(archiveSourcePath, n.archiveHandler(func(w http.ResponseWriter, job, seg uint64, h common.Hash) error {
		data, err := reader.Source(job, seg, h)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		_, _ = w.Write(data)
		return nil
	}))
	mux.HandleFunc(archiveRenditionsPath, n.archiveHandler(func(w http.ResponseWriter, job, seg uint64, h common.Hash) error {
		rends, err := reader.Renditions(job, seg, h)
		if err != nil {
			return err
		}
		resp := &Response{Result: Result{Seq: int(seg)}}
		for _, r := range rends {
			resp.Renditions = append(resp.Renditions, newArchivedRendition(r))
		}
		var buf bytes.Buffer
		ct, err := resp.Encode(&buf)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", ct)
		w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
		_, _ = buf.WriteTo(w)
		return nil
	}))
}

// newArchivedRendition is a kept rendition as the wire carries it; its
// size and frames are not kept, so they go as 0.
func newArchivedRendition(r archive.Rendition) Rendition {
	sum := sha256.Sum256(r.Data)
	return Rendition{Name: r.Name, SHA256: hex.EncodeToString(sum[:]), Data: r.Data}
}

// archiveHandler authenticates a verifier, parses the path and maps the
// archive's errors: 404 archive_not_found, 500 archive_corrupt.
func (n *Node) archiveHandler(serve func(w http.ResponseWriter, job, seg uint64, h common.Hash) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !bearerIs(r, n.cfg.VerifierSecret) {
			writeJSONError(w, http.StatusUnauthorized, "unauthorized", errors.New("missing or wrong verifier secret"))
			return
		}
		job, err1 := strconv.ParseUint(r.PathValue("job"), 10, 64)
		seg, err2 := strconv.ParseUint(r.PathValue("seg"), 10, 64)
		hash, err3 := parseHash(r.PathValue("hash"))
		if err := errors.Join(err1, err2, err3); err != nil {
			writeJSONError(w, http.StatusBadRequest, "bad_path", err)
			return
		}
		err := serve(w, job, seg, hash)
		switch {
		case err == nil:
		case errors.Is(err, archive.ErrNotFound):
			writeJSONError(w, http.StatusNotFound, "archive_not_found", err)
		case errors.Is(err, archive.ErrCorrupt):
			n.log.Error("segment store holds corrupt data: a verifier will fail this segment", zap.Error(err))
			writeJSONError(w, http.StatusInternalServerError, "archive_corrupt", err)
		default:
			writeJSONError(w, http.StatusServiceUnavailable, "archive_unavailable", err)
		}
	}
}

func parseHash(s string) (common.Hash, error) {
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil || len(b) != common.HashLength {
		return common.Hash{}, fmt.Errorf("hash %q: want 0x and 64 hex digits", s)
	}
	return common.BytesToHash(b), nil
}
