package claims

import (
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// ProfileIDLength is the length in characters of one profile id inside a job's transcoding options.
const ProfileIDLength = 8

// ErrTranscodingOptions reports transcoding options the JobsManager would refuse.
var ErrTranscodingOptions = errors.New("claims: invalid transcoding options")

// uint256 returns n as the 32-byte big-endian word abi.encodePacked writes for a uint256.
func uint256(n uint64) []byte {
	return common.BigToHash(new(big.Int).SetUint64(n)).Bytes()
}

// SegmentHash is keccak256(abi.encodePacked(streamID, seg, dataHash)): what the broadcaster signs.
func SegmentHash(streamID string, seg uint64, dataHash common.Hash) common.Hash {
	return crypto.Keccak256Hash([]byte(streamID), uint256(seg), dataHash.Bytes())
}

// ReceiptHash is keccak256(abi.encodePacked(streamID, seg, dataHash, transcodedDataHash,
// broadcasterSig)): the Merkle leaf of a segment in a claim.
func ReceiptHash(streamID string, seg uint64, dataHash, transcodedDataHash common.Hash, broadcasterSig []byte) common.Hash {
	return crypto.Keccak256Hash([]byte(streamID), uint256(seg), dataHash.Bytes(), transcodedDataHash.Bytes(), broadcasterSig)
}

// TranscodedDataHash is keccak256 of the per-rendition output hashes concatenated in profile
// order (the transcoder reports a SHA-256 per rendition).
func TranscodedDataHash(renditionHashes ...[]byte) common.Hash {
	return crypto.Keccak256Hash(renditionHashes...)
}

// Receipt is what the transcoder keeps for one transcoded segment of a stream.
type Receipt struct {
	StreamID           string      `json:"streamId"`
	Seg                uint64      `json:"seg"`
	DataHash           common.Hash `json:"dataHash"`           // keccak256 of the source segment
	TranscodedDataHash common.Hash `json:"transcodedDataHash"` // see TranscodedDataHash
	BroadcasterSig     []byte      `json:"broadcasterSig"`     // 65 bytes r||s||v, v in {27, 28}
}

// SegmentHash is the hash the broadcaster signed for this receipt's segment.
func (r Receipt) SegmentHash() common.Hash { return SegmentHash(r.StreamID, r.Seg, r.DataHash) }

// Hash is the receipt's Merkle leaf.
func (r Receipt) Hash() common.Hash {
	return ReceiptHash(r.StreamID, r.Seg, r.DataHash, r.TranscodedDataHash, r.BroadcasterSig)
}

// ProfileID is the 8-character id of a transcoding profile, as in Livepeer: the lowercase hex of
// the first 4 bytes of keccak256(name).
func ProfileID(name string) string {
	return hex.EncodeToString(crypto.Keccak256([]byte(name))[:4])
}

// TranscodingOptions concatenates the profile ids of names, in order, into a job's options.
func TranscodingOptions(names ...string) string {
	out := make([]byte, 0, len(names)*ProfileIDLength)
	for _, n := range names {
		out = append(out, ProfileID(n)...)
	}
	return string(out)
}

// ProfileCount returns how many profiles options encodes, with the JobsManager's rules: a
// non-empty multiple of ProfileIDLength lowercase hex characters.
func ProfileCount(options string) (int, error) {
	if len(options) == 0 || len(options)%ProfileIDLength != 0 {
		return 0, fmt.Errorf("%w: length %d is not a positive multiple of %d", ErrTranscodingOptions, len(options), ProfileIDLength)
	}
	for i := 0; i < len(options); i++ {
		c := options[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return 0, fmt.Errorf("%w: byte %d (%q) is not lowercase hex", ErrTranscodingOptions, i, c)
		}
	}
	return len(options) / ProfileIDLength, nil
}
