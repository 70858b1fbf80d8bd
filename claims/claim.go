package claims

import (
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
)

var (
	// ErrEmptyClaim reports a claim asked to be built over no receipts.
	ErrEmptyClaim = errors.New("claims: claim needs at least one receipt")
	// ErrNotContiguous reports receipts that are not one ascending run of segments of one stream,
	// which is what claimWork's segment range commits to.
	ErrNotContiguous = errors.New("claims: receipts are not consecutive segments of one stream")
	// ErrSegmentNotInClaim reports a segment outside the claim's range.
	ErrSegmentNotInClaim = errors.New("claims: segment not in claim")
)

// Claim is what one claimWork commits to: the receipts of segments start..end of a stream, in
// order, and the Merkle tree over their hashes.
type Claim struct {
	receipts []Receipt
	tree     *Tree
}

// NewClaim builds a claim over receipts, which must be consecutive segments of one stream in
// ascending order.
func NewClaim(receipts []Receipt) (*Claim, error) {
	if len(receipts) == 0 {
		return nil, ErrEmptyClaim
	}
	first := receipts[0]
	for i, r := range receipts {
		if r.StreamID != first.StreamID || r.Seg != first.Seg+uint64(i) || r.Seg < first.Seg {
			return nil, fmt.Errorf("%w: receipt %d is stream %q segment %d after stream %q segment %d",
				ErrNotContiguous, i, r.StreamID, r.Seg, first.StreamID, first.Seg)
		}
	}
	tree, err := NewReceiptTree(receipts)
	if err != nil {
		return nil, err
	}
	return &Claim{receipts: append([]Receipt(nil), receipts...), tree: tree}, nil
}

// Range is the claim's inclusive segment range, as claimWork takes it.
func (c *Claim) Range() (start, end uint64) {
	return c.receipts[0].Seg, c.receipts[len(c.receipts)-1].Seg
}

// Root is the claim root.
func (c *Claim) Root() common.Hash { return c.tree.Root() }

// Receipt returns the receipt of segment seg and its Merkle proof, the arguments of verify().
func (c *Claim) Receipt(seg uint64) (Receipt, []common.Hash, error) {
	start, end := c.Range()
	if seg < start || seg > end {
		return Receipt{}, nil, fmt.Errorf("%w: %d outside [%d, %d]", ErrSegmentNotInClaim, seg, start, end)
	}
	i := int(seg - start)
	proof, err := c.tree.Proof(i)
	if err != nil {
		return Receipt{}, nil, err
	}
	return c.receipts[i], proof, nil
}

// Challenged lists the claim's segments that the challenge rule picks once the claim was mined
// in claimBlock and block claimBlock+1 has hash seedHash.
func (c *Claim) Challenged(claimBlock uint64, seedHash common.Hash, verificationRate uint64) []uint64 {
	start, end := c.Range()
	return ChallengedSegments(claimBlock, seedHash, start, end, verificationRate)
}
