package claims

import (
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

func TestIsChallengedRates(t *testing.T) {
	seed := crypto.Keccak256Hash([]byte("block 101"))
	if !IsChallenged(100, seed, 5, 1) {
		t.Fatal("rate 1 must challenge every segment")
	}
	if IsChallenged(100, seed, 5, 0) {
		t.Fatal("rate 0 must challenge nothing")
	}
	// With rate 4 about a quarter of 4000 segments are challenged; the bounds are > 6 sigma.
	got := len(ChallengedSegments(100, seed, 0, 3999, 4))
	if got < 850 || got > 1150 {
		t.Fatalf("rate 4 challenged %d of 4000 segments", got)
	}
	// The seed decides: another claim block or block hash picks another set.
	a := ChallengedSegments(100, seed, 0, 199, 4)
	b := ChallengedSegments(101, seed, 0, 199, 4)
	c := ChallengedSegments(100, common.Hash{1}, 0, 199, 4)
	if slices.Equal(a, b) || slices.Equal(a, c) {
		t.Fatal("challenged set does not depend on the claim block and its hash")
	}
}

func TestChallengedSegmentsRangeEnd(t *testing.T) {
	max := ^uint64(0)
	got := ChallengedSegments(1, common.Hash{}, max-2, max, 1)
	if len(got) != 3 || got[2] != max {
		t.Fatalf("ChallengedSegments at the top of uint64 = %v", got)
	}
}
