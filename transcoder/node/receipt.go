package node

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/claims"
	"github.com/opkit-dev/opkit/claims/archive"
)

// Headers of a segment request that is paid work: the on-chain job the
// segment belongs to and the broadcaster's signature over the segment
// (claims.SignSegment of claims.SegmentHash(stream, seq, keccak256(body))).
// A node with a receipt sink stores a receipt for such a segment before it
// answers with the renditions; without both headers the segment is plain
// transcoding and no receipt is kept.
const (
	HeaderJobID          = "Opkit-Job-Id"          // decimal job id, e.g. "7"
	HeaderBroadcasterSig = "Opkit-Broadcaster-Sig" // 0x and 130 hex digits: r||s||v, v in {27, 28}
)

// receiptLookup is the optional read side of a receipt sink (*claims.Store
// has it): it lets the node refuse a conflicting segment before doing the
// work instead of after.
type receiptLookup interface {
	Get(job, seg uint64) (claims.Record, error)
}

// JobBroadcasters tells the node who pays for a job, so that a segment
// signed by anyone else is refused before it is transcoded. The chain's
// JobsManager is one; without it the node checks only that the signature
// recovers, and the claims service sets aside receipts of the wrong signer.
// Broadcaster returns an error wrapping ErrJobRefused when the job can
// never pay this node for the stream (unknown, ended, another transcoder's,
// another stream's, or transcoding options other than the segment's
// ladder, profiles, in order: the receipt commits to those renditions and
// a verifier re-encodes the job's); any other error is taken as temporary.
type JobBroadcasters interface {
	Broadcaster(ctx context.Context, job uint64, stream string, profiles []string) (common.Address, error)
}

// ErrJobRefused: the segment's job cannot pay this node (400 job_refused).
var ErrJobRefused = errors.New("job cannot pay this node")

// ErrJobEnded: the chain's head has reached the job's end block, so no
// claim can pay for more of its segments (410 job_ended). It wraps
// ErrJobRefused.
var ErrJobEnded = fmt.Errorf("%w: the job has ended", ErrJobRefused)

// paidSegment is the receipt part of a segment request.
type paidSegment struct {
	job     uint64
	sig     []byte
	receipt claims.Receipt // DataHash and StreamID set; TranscodedDataHash after the work
}

// parsePaid reads the job headers: (nil, nil) when the request carries
// neither, an error when only one or a malformed one.
func parsePaid(h http.Header) (*paidSegment, error) {
	jobHdr, sigHdr := h.Get(HeaderJobID), h.Get(HeaderBroadcasterSig)
	if jobHdr == "" && sigHdr == "" {
		return nil, nil
	}
	if jobHdr == "" || sigHdr == "" {
		return nil, receiptRefused("missing_job_header", fmt.Errorf("%s and %s go together", HeaderJobID, HeaderBroadcasterSig))
	}
	job, err := strconv.ParseUint(jobHdr, 10, 64)
	if err != nil {
		return nil, receiptRefused("bad_job", fmt.Errorf("%s %q: want a decimal job id", HeaderJobID, jobHdr))
	}
	sig, err := hex.DecodeString(strings.TrimPrefix(sigHdr, "0x"))
	if err != nil || len(sig) != crypto.SignatureLength {
		return nil, receiptRefused("bad_signature", fmt.Errorf("%s: want 0x and %d hex bytes", HeaderBroadcasterSig, crypto.SignatureLength))
	}
	return &paidSegment{job: job, sig: sig}, nil
}

func receiptRefused(code string, err error) *httpError {
	return badRequest(http.StatusBadRequest, code, err)
}

// checkPaid runs before the transcode: the signature must recover (and be
// the job's broadcaster's, when the node knows it), and the store must not
// already hold a receipt of another source or signature for the segment (a
// repeat of the same one is answered). The node does no work it cannot be
// paid for.
func (n *Node) checkPaid(ctx context.Context, job *segmentJob) error {
	p := job.Paid
	p.receipt = claims.NewReceipt(job.Stream, uint64(job.Seq), job.Input.Data, nil, p.sig)
	signer, err := claims.RecoverBroadcaster(p.receipt.SegmentHash(), p.sig)
	if err != nil {
		return receiptRefused("bad_signature", fmt.Errorf("job %d segment %d: %w", p.job, job.Seq, err))
	}
	if n.cfg.Broadcasters != nil {
		want, err := n.cfg.Broadcasters.Broadcaster(ctx, p.job, job.Stream, job.Ladder.Names())
		if errors.Is(err, ErrJobEnded) {
			return &httpError{status: http.StatusGone, code: "job_ended", reason: RejectBadRequest, err: fmt.Errorf("job %d: %w", p.job, err)}
		}
		if errors.Is(err, ErrJobRefused) {
			return receiptRefused("job_refused", fmt.Errorf("job %d: %w", p.job, err))
		}
		if err != nil {
			return fmt.Errorf("%w: job %d: %w", errJobLookup, p.job, err)
		}
		if signer != want {
			return receiptRefused("wrong_signer", fmt.Errorf("job %d segment %d is signed by %s, not the job's broadcaster %s", p.job, job.Seq, signer, want))
		}
	}
	look, ok := n.cfg.Receipts.(receiptLookup)
	if !ok {
		return nil
	}
	have, err := look.Get(p.job, uint64(job.Seq))
	switch {
	case errors.Is(err, claims.ErrNotFound):
		return nil
	case err != nil:
		return fmt.Errorf("%w: %w", errReceiptStore, err)
	}
	if !have.Receipt.SameSegment(p.receipt) {
		return &claims.ConflictError{Job: p.job, Seg: uint64(job.Seq), Stored: have.Receipt.Hash(), Offered: p.receipt.Hash()}
	}
	return nil
}

// storeReceipt completes the receipt with the renditions' hashes, in
// ladder order, and puts it in the sink. The renditions go back to the
// client only when this succeeds.
func (n *Node) storeReceipt(job segmentJob, resp *Response, log *zap.Logger) error {
	p := job.Paid
	if len(resp.Renditions) != len(job.Ladder) {
		return fmt.Errorf("job %d segment %d: %d renditions for a ladder of %d", p.job, job.Seq, len(resp.Renditions), len(job.Ladder))
	}
	hexes := make([]string, len(resp.Renditions))
	for i, r := range resp.Renditions {
		hexes[i] = r.SHA256
	}
	hashes, err := claims.RenditionHashesFromHex(hexes...)
	if err != nil {
		return err
	}
	// checkPaid made the receipt, with the source's keccak256, before the
	// work: only the renditions' part is new.
	r := p.receipt
	r.TranscodedDataHash = claims.TranscodedDataHash(hashes...)
	if err := n.archive(p.job, job, resp, r); err != nil {
		return err
	}
	kept, err := n.putReceipt(p.job, r, hashes)
	if err != nil {
		if errors.Is(err, claims.ErrConflict) || errors.Is(err, claims.ErrInvalidReceipt) {
			return err
		}
		return fmt.Errorf("%w: %w", errReceiptStore, err)
	}
	if kept != r.Hash() {
		log.Info("repeat of a paid segment: the first receipt stays", zap.Uint64("job", p.job),
			zap.Stringer("receipt", kept), zap.Stringer("rerun", r.Hash()))
	}
	resp.Result.Receipt = kept.Hex()
	log.Debug("receipt stored", zap.Uint64("job", p.job), zap.Stringer("receipt", kept))
	return nil
}

// SegmentArchive keeps the work behind a receipt: the source and the
// renditions, found again by the receipt's dataHash and transcodedDataHash.
type SegmentArchive interface {
	// KeepHashed is archive.Archive.KeepHashed: dataHash is the source's
	// keccak256, which the node has from checking the signature.
	KeepHashed(job, seg uint64, source []byte, dataHash common.Hash, renditions []archive.Rendition) (common.Hash, error)
}

// archive keeps the segment's source and renditions before its receipt r
// is stored; a receipt never commits to work the node cannot show.
func (n *Node) archive(jobID uint64, job segmentJob, resp *Response, r claims.Receipt) error {
	if n.cfg.Archive == nil {
		return nil
	}
	rends := make([]archive.Rendition, len(resp.Renditions))
	for i, rd := range resp.Renditions {
		rends[i] = archive.Rendition{Name: rd.Name, Data: rd.Data}
	}
	h, err := n.cfg.Archive.KeepHashed(jobID, uint64(job.Seq), job.Input.Data, r.DataHash, rends)
	if err != nil {
		return fmt.Errorf("%w: segment archive: %w", errReceiptStore, err)
	}
	if h != r.TranscodedDataHash {
		return fmt.Errorf("%w: segment archive: renditions hash to %s, the receipt to %s", errReceiptStore, h, r.TranscodedDataHash)
	}
	return nil
}

// receiptKeeper is the optional side of a receipt sink that says which
// receipt it keeps for a segment (*claims.Store has it): for a repeat of a
// stored segment, the first one.
type receiptKeeper interface {
	PutFirst(job uint64, r claims.Receipt, renditions [][]byte) (claims.Record, error)
}

// putReceipt puts r in the sink and returns the hash of the receipt kept.
func (n *Node) putReceipt(job uint64, r claims.Receipt, hashes [][]byte) (common.Hash, error) {
	keeper, ok := n.cfg.Receipts.(receiptKeeper)
	if !ok {
		return r.Hash(), n.cfg.Receipts.Put(job, r, hashes)
	}
	rec, err := keeper.PutFirst(job, r, hashes)
	return rec.Receipt.Hash(), err
}

// Errors of the receipt path that are the node's, not the client's (503:
// the segment may be sent again).
var (
	errReceiptStore = errors.New("receipt store unavailable")
	errJobLookup    = errors.New("cannot look up the job's broadcaster")
)

// receiptResult is the metrics outcome of a paid segment's receipt.
func receiptResult(err error) string {
	var he *httpError
	switch {
	case err == nil:
		return ReceiptStored
	case errors.Is(err, claims.ErrConflict):
		return ReceiptConflict
	case errors.As(err, &he), errors.Is(err, claims.ErrInvalidReceipt):
		return ReceiptRefused
	}
	return ReceiptError
}

// receiptErrorStatus maps the receipt errors to a status and wire code.
func receiptErrorStatus(err error) (status int, code string, ok bool) {
	switch {
	case errors.Is(err, claims.ErrConflict):
		return http.StatusConflict, "receipt_conflict", true
	case errors.Is(err, claims.ErrInvalidReceipt):
		return http.StatusBadRequest, "invalid_receipt", true
	case errors.Is(err, errReceiptStore):
		return http.StatusServiceUnavailable, "receipt_store", true
	case errors.Is(err, errJobLookup):
		return http.StatusServiceUnavailable, "job_lookup", true
	}
	return 0, "", false
}
