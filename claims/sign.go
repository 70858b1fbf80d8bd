package claims

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/opkit-dev/opkit/staking/keys"
)

// ErrSignature reports a broadcaster signature that cannot be recovered.
var ErrSignature = errors.New("claims: invalid broadcaster signature")

// SignSegment signs segmentHash as the broadcaster: ECDSA over the EIP-191 personal-sign digest
// keccak256("\x19Ethereum Signed Message:\n32" || segmentHash). It returns 65 bytes r||s||v with
// v in {27, 28}, the form OpenZeppelin's ECDSA.recover takes.
func SignSegment(key *ecdsa.PrivateKey, segmentHash common.Hash) ([]byte, error) {
	sig, err := keys.SignText(key, segmentHash.Bytes())
	if err != nil {
		return nil, fmt.Errorf("claims: sign segment hash: %w", err)
	}
	return sig, nil
}

// RecoverBroadcaster returns the address that signed segmentHash with SignSegment. Like the
// contract it takes only 65-byte signatures with v in {27, 28} and a low s.
func RecoverBroadcaster(segmentHash common.Hash, sig []byte) (common.Address, error) {
	return recoverText(segmentHash.Bytes(), sig)
}

// recoverText returns the signer of an EIP-191 personal_sign signature of msg.
func recoverText(msg, sig []byte) (common.Address, error) {
	if len(sig) != crypto.SignatureLength {
		return common.Address{}, fmt.Errorf("%w: length %d, want %d", ErrSignature, len(sig), crypto.SignatureLength)
	}
	v := sig[crypto.RecoveryIDOffset]
	if v != 27 && v != 28 {
		return common.Address{}, fmt.Errorf("%w: v is %d, want 27 or 28", ErrSignature, v)
	}
	if !crypto.ValidateSignatureValues(v-27, new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:64]), true) {
		return common.Address{}, fmt.Errorf("%w: r or s out of range", ErrSignature)
	}
	plain := make([]byte, crypto.SignatureLength)
	copy(plain, sig)
	plain[crypto.RecoveryIDOffset] = v - 27
	pub, err := crypto.SigToPub(accounts.TextHash(msg), plain)
	if err != nil {
		return common.Address{}, fmt.Errorf("%w: %w", ErrSignature, err)
	}
	return crypto.PubkeyToAddress(*pub), nil
}
