package claims

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

var (
	// ErrEmptyTree reports a tree asked to be built over no leaves.
	ErrEmptyTree = errors.New("claims: merkle tree needs at least one leaf")
	// ErrLeafIndex reports a proof asked for a leaf the tree does not have.
	ErrLeafIndex = errors.New("claims: leaf index out of range")
)

// Tree is a Merkle tree over receipt hashes whose proofs OpenZeppelin's MerkleProof.verify accepts.
// Inner nodes are keccak256 of their two children in ascending byte order (the sorted-pair rule),
// and leaves are used as given. The layout is the one of OpenZeppelin's @openzeppelin/merkle-tree
// (SimpleMerkleTree with sortLeaves false), so roots and proofs equal that library's: a complete
// binary tree stored in 2n-1 nodes, root at 0, the children of i at 2i+1 and 2i+2, leaf i at
// node 2n-2-i.
type Tree struct {
	nodes []common.Hash
	n     int
}

// NewTree builds the tree over leaves, in order.
func NewTree(leaves []common.Hash) (*Tree, error) {
	n := len(leaves)
	if n == 0 {
		return nil, ErrEmptyTree
	}
	nodes := make([]common.Hash, 2*n-1)
	for i, l := range leaves {
		nodes[len(nodes)-1-i] = l
	}
	for i := len(nodes) - 1 - n; i >= 0; i-- {
		nodes[i] = hashPair(nodes[2*i+1], nodes[2*i+2])
	}
	return &Tree{nodes: nodes, n: n}, nil
}

// NewReceiptTree builds the tree over the receipts' hashes, in order.
func NewReceiptTree(receipts []Receipt) (*Tree, error) {
	leaves := make([]common.Hash, len(receipts))
	for i, r := range receipts {
		leaves[i] = r.Hash()
	}
	return NewTree(leaves)
}

// Root is the claim root.
func (t *Tree) Root() common.Hash { return t.nodes[0] }

// Len is the number of leaves.
func (t *Tree) Len() int { return t.n }

// Proof returns the sibling hashes from leaf i up to the root.
func (t *Tree) Proof(i int) ([]common.Hash, error) {
	if i < 0 || i >= t.n {
		return nil, fmt.Errorf("%w: %d of %d", ErrLeafIndex, i, t.n)
	}
	var proof []common.Hash
	for k := len(t.nodes) - 1 - i; k > 0; k = (k - 1) / 2 {
		sibling := k + 1
		if k%2 == 0 {
			sibling = k - 1
		}
		proof = append(proof, t.nodes[sibling])
	}
	return proof, nil
}

// ProcessProof folds proof into leaf with the sorted-pair hash, as MerkleProof.processProof does.
func ProcessProof(leaf common.Hash, proof []common.Hash) common.Hash {
	h := leaf
	for _, p := range proof {
		h = hashPair(h, p)
	}
	return h
}

// VerifyProof reports whether proof shows leaf to be in the tree with this root, with the rule of
// OpenZeppelin's MerkleProof.verify.
func VerifyProof(root, leaf common.Hash, proof []common.Hash) bool {
	return ProcessProof(leaf, proof) == root
}

func hashPair(a, b common.Hash) common.Hash {
	if bytes.Compare(a[:], b[:]) > 0 {
		a, b = b, a
	}
	return crypto.Keccak256Hash(a[:], b[:])
}
