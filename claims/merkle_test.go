package claims

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

type ozVectors struct {
	Library string `json:"library"`
	Cases   []struct {
		Leaves []common.Hash   `json:"leaves"`
		Root   common.Hash     `json:"root"`
		Proofs [][]common.Hash `json:"proofs"`
	} `json:"cases"`
}

// TestTreeMatchesOpenZeppelinMerkleTree checks roots and every proof against vectors produced by
// OpenZeppelin's @openzeppelin/merkle-tree (testdata/gen-oz-vectors.js).
func TestTreeMatchesOpenZeppelinMerkleTree(t *testing.T) {
	raw, err := os.ReadFile("testdata/oz-merkle-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v ozVectors
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Cases) == 0 {
		t.Fatal("no vectors")
	}
	for _, c := range v.Cases {
		tree, err := NewTree(c.Leaves)
		if err != nil {
			t.Fatal(err)
		}
		if tree.Root() != c.Root {
			t.Fatalf("%d leaves: root %s, %s says %s", len(c.Leaves), tree.Root(), v.Library, c.Root)
		}
		for i, want := range c.Proofs {
			got, err := tree.Proof(i)
			if err != nil {
				t.Fatal(err)
			}
			if !equalHashes(got, want) {
				t.Fatalf("%d leaves, leaf %d: proof %v, %s says %v", len(c.Leaves), i, got, v.Library, want)
			}
			if !VerifyProof(c.Root, c.Leaves[i], want) {
				t.Fatalf("%d leaves, leaf %d: library proof does not verify", len(c.Leaves), i)
			}
		}
	}
}

func TestTreeErrors(t *testing.T) {
	if _, err := NewTree(nil); !errors.Is(err, ErrEmptyTree) {
		t.Fatalf("NewTree(nil) err = %v, want ErrEmptyTree", err)
	}
	tree, err := NewTree(leavesFor(3))
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{-1, 3, 100} {
		if _, err := tree.Proof(i); !errors.Is(err, ErrLeafIndex) {
			t.Fatalf("Proof(%d) err = %v, want ErrLeafIndex", i, err)
		}
	}
}

func TestVerifyProofRejectsTampering(t *testing.T) {
	leaves := leavesFor(100)
	tree, err := NewTree(leaves)
	if err != nil {
		t.Fatal(err)
	}
	proof, err := tree.Proof(42)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		leaf  common.Hash
		proof []common.Hash
	}{
		{"other leaf", leaves[43], proof},
		{"flipped proof bit", leaves[42], flip(proof, 0)},
		{"truncated proof", leaves[42], proof[:len(proof)-1]},
		{"extra proof element", leaves[42], append(append([]common.Hash(nil), proof...), common.Hash{})},
		{"no proof", leaves[42], nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if VerifyProof(tree.Root(), tc.leaf, tc.proof) {
				t.Fatal("tampered proof verified")
			}
		})
	}
	if !VerifyProof(tree.Root(), leaves[42], proof) {
		t.Fatal("untampered proof does not verify")
	}
}

// FuzzMerkleProof builds a tree from fuzzed leaves and checks that every leaf's proof verifies,
// and that a proof with one flipped bit, or a proof used for a different leaf, does not.
func FuzzMerkleProof(f *testing.F) {
	f.Add([]byte("a"), uint16(0), uint16(0))
	f.Add([]byte("the quick brown fox jumps over the lazy dog"), uint16(5), uint16(77))
	f.Add(make([]byte, 300), uint16(3), uint16(1000))
	f.Fuzz(func(t *testing.T, data []byte, pick, bit uint16) {
		if len(data) == 0 {
			return
		}
		// One leaf per 3 bytes of input, up to 257 leaves (uneven trees included).
		var leaves []common.Hash
		for i := 0; i < len(data) && len(leaves) < 257; i += 3 {
			leaves = append(leaves, crypto.Keccak256Hash(data[i:min(i+3, len(data))]))
		}
		tree, err := NewTree(leaves)
		if err != nil {
			t.Fatal(err)
		}
		for i, l := range leaves {
			p, err := tree.Proof(i)
			if err != nil {
				t.Fatal(err)
			}
			if !VerifyProof(tree.Root(), l, p) {
				t.Fatalf("proof of leaf %d of %d does not verify", i, len(leaves))
			}
		}
		i := int(pick) % len(leaves)
		p, _ := tree.Proof(i)
		if len(p) > 0 {
			b := int(bit) % (len(p) * 256)
			if VerifyProof(tree.Root(), leaves[i], flip(p, b)) {
				t.Fatalf("proof of leaf %d verified with bit %d flipped", i, b)
			}
		}
		var bad common.Hash
		binary.BigEndian.PutUint16(bad[30:], bit)
		bad = crypto.Keccak256Hash(bad[:], []byte("not a leaf"))
		if VerifyProof(tree.Root(), bad, p) {
			t.Fatal("a hash that is no leaf verified")
		}
	})
}

func leavesFor(n int) []common.Hash {
	out := make([]common.Hash, n)
	for i := range out {
		out[i] = crypto.Keccak256Hash(common.BigToHash(common.Big1).Bytes(), []byte{byte(i), byte(i >> 8)})
	}
	return out
}

// flip returns a copy of proof with bit b (counted across the proof) inverted.
func flip(proof []common.Hash, b int) []common.Hash {
	out := append([]common.Hash(nil), proof...)
	out[b/256][(b%256)/8] ^= 1 << (b % 8)
	return out
}

func equalHashes(a, b []common.Hash) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
