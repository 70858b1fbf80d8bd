package claims

import (
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/crypto"
)

// ReceiptSink is where the transcoder hands the receipt of every segment it transcoded for a
// job. *Store is one; the claims service picks the receipts up from there.
//
// The transcoder calls it once per segment, after every rendition of the segment is written:
//
//	hashes, err := claims.RenditionHashesFromHex(shaHexOfEachRenditionInLadderOrder...)
//	r := claims.NewReceipt(streamID, seq, sourceBytes, hashes, broadcasterSig)
//	err = sink.Put(jobID, r, hashes) // errors.Is(err, claims.ErrConflict): never overwrite
//
// broadcasterSig is the broadcaster's EIP-191 signature over r.SegmentHash() that came with the
// segment (claims.SignSegment on the broadcaster's side).
type ReceiptSink interface {
	Put(job uint64, r Receipt, renditions [][]byte) error
}

var _ ReceiptSink = (*Store)(nil)

// NewReceipt builds the receipt of one transcoded segment: dataHash is keccak256 of the source
// segment's bytes and transcodedDataHash is TranscodedDataHash of the rendition output hashes,
// which must be in the job's profile (ladder) order.
func NewReceipt(streamID string, seg uint64, source []byte, renditionHashes [][]byte, broadcasterSig []byte) Receipt {
	return Receipt{
		StreamID:           streamID,
		Seg:                seg,
		DataHash:           crypto.Keccak256Hash(source),
		TranscodedDataHash: TranscodedDataHash(renditionHashes...),
		BroadcasterSig:     append([]byte(nil), broadcasterSig...),
	}
}

// RenditionHashesFromHex decodes per-rendition hashes written as hex (the transcoder's
// segment report gives each rendition's SHA-256 that way), keeping their order.
func RenditionHashesFromHex(hexes ...string) ([][]byte, error) {
	out := make([][]byte, len(hexes))
	for i, h := range hexes {
		b, err := hex.DecodeString(strings.TrimPrefix(h, "0x"))
		if err != nil || len(b) == 0 {
			return nil, fmt.Errorf("%w: rendition %d hash %q is not hex", ErrInvalidReceipt, i, h)
		}
		out[i] = b
	}
	return out, nil
}
