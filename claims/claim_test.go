package claims

import (
	"errors"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

func receiptsFor(stream string, first uint64, n int) []Receipt {
	out := make([]Receipt, n)
	for i := range out {
		seg := first + uint64(i)
		out[i] = Receipt{StreamID: stream, Seg: seg, DataHash: common.BigToHash(common.Big1), TranscodedDataHash: common.Hash{byte(seg)}, BroadcasterSig: []byte{byte(i)}}
	}
	return out
}

func TestClaimProofs(t *testing.T) {
	c, err := NewClaim(receiptsFor("s", 10, 13))
	if err != nil {
		t.Fatal(err)
	}
	if start, end := c.Range(); start != 10 || end != 22 {
		t.Fatalf("Range = %d, %d; want 10, 22", start, end)
	}
	for seg := uint64(10); seg <= 22; seg++ {
		r, proof, err := c.Receipt(seg)
		if err != nil {
			t.Fatal(err)
		}
		if r.Seg != seg || !VerifyProof(c.Root(), r.Hash(), proof) {
			t.Fatalf("segment %d: receipt of %d, proof verifies %v", seg, r.Seg, VerifyProof(c.Root(), r.Hash(), proof))
		}
	}
	for _, seg := range []uint64{9, 23} {
		if _, _, err := c.Receipt(seg); !errors.Is(err, ErrSegmentNotInClaim) {
			t.Fatalf("Receipt(%d) err = %v, want ErrSegmentNotInClaim", seg, err)
		}
	}
	all := c.Challenged(5, common.Hash{7}, 1)
	if len(all) != 13 || all[0] != 10 || all[12] != 22 {
		t.Fatalf("Challenged at rate 1 = %v, want 10..22", all)
	}
}

func TestNewClaimRejects(t *testing.T) {
	gap := receiptsFor("s", 0, 4)
	gap[2].Seg = 3
	mixed := receiptsFor("s", 0, 4)
	mixed[3].StreamID = "t"
	descending := []Receipt{receiptsFor("s", 5, 1)[0], receiptsFor("s", 4, 1)[0]}
	tests := []struct {
		name     string
		receipts []Receipt
		want     error
	}{
		{"empty", nil, ErrEmptyClaim},
		{"gap", gap, ErrNotContiguous},
		{"two streams", mixed, ErrNotContiguous},
		{"descending", descending, ErrNotContiguous},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewClaim(tc.receipts); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}
