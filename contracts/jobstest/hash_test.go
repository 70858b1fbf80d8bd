package jobstest

import "github.com/ethereum/go-ethereum/crypto"

func crypto256(parts ...[]byte) []byte { return crypto.Keccak256(parts...) }
