package claims

import (
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// SeedBlock is the block whose hash seeds the challenges of a claim made in claimBlock.
func SeedBlock(claimBlock uint64) uint64 { return claimBlock + 1 }

// IsChallenged reports whether segment seg of a claim made in claimBlock must be verified:
//
//	uint256(keccak256(abi.encodePacked(claimBlock+1, blockhash(claimBlock+1), seg))) % verificationRate == 0
//
// seedHash is the hash of block SeedBlock(claimBlock). A verificationRate of zero challenges nothing
// (the contract refuses that rate).
func IsChallenged(claimBlock uint64, seedHash common.Hash, seg, verificationRate uint64) bool {
	if verificationRate == 0 {
		return false
	}
	h := crypto.Keccak256(uint256(SeedBlock(claimBlock)), seedHash.Bytes(), uint256(seg))
	var m big.Int
	return m.Mod(new(big.Int).SetBytes(h), new(big.Int).SetUint64(verificationRate)).Sign() == 0
}

// ChallengedSegments lists the challenged segments of the inclusive range [start, end].
func ChallengedSegments(claimBlock uint64, seedHash common.Hash, start, end, verificationRate uint64) []uint64 {
	var out []uint64
	for s := start; s <= end; s++ {
		if IsChallenged(claimBlock, seedHash, s, verificationRate) {
			out = append(out, s)
		}
		if s == end { // end may be the largest uint64
			break
		}
	}
	return out
}
