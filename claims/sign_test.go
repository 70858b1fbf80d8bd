package claims

import (
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/opkit-dev/opkit/staking/keys"
)

// Published EIP-191 personal_sign vectors.
func TestEIP191PublishedVectors(t *testing.T) {
	// ethers.js documentation: hashMessage("Hello World").
	if got, want := common.BytesToHash(accounts.TextHash([]byte("Hello World"))), common.HexToHash("0xa1de988600a42c4b4ab089b619297c17d53cffae5d5120d82d8a92d0bb3b78f2"); got != want {
		t.Fatalf("TextHash(Hello World) = %s, want %s", got, want)
	}
	// web3.js documentation: web3.eth.accounts.sign("Some data", key).
	key, err := crypto.HexToECDSA("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")
	if err != nil {
		t.Fatal(err)
	}
	want := hexutil.MustDecode("0xb91467e570a6466aa9e9876cbcd013baba02900b8979d43fe208a4a4f339f5fd6007e74cd82e037b800186422fc2da167c747ef045e5d18a5f5d4300f8e1a0291c")
	sig, err := keys.SignText(key, []byte("Some data"))
	if err != nil {
		t.Fatal(err)
	}
	if hexutil.Encode(sig) != hexutil.Encode(want) {
		t.Fatalf("signature = %x, want %x", sig, want)
	}
	addr, err := recoverText([]byte("Some data"), want)
	if err != nil {
		t.Fatal(err)
	}
	if addr != crypto.PubkeyToAddress(key.PublicKey) {
		t.Fatalf("recovered %s, want %s", addr, crypto.PubkeyToAddress(key.PublicKey))
	}
}

func TestSignSegmentRoundTrip(t *testing.T) {
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	h := SegmentHash("stream-1", 7, crypto.Keccak256Hash([]byte("segment bytes")))
	sig, err := SignSegment(key, h)
	if err != nil {
		t.Fatal(err)
	}
	if v := sig[64]; v != 27 && v != 28 {
		t.Fatalf("v = %d, want 27 or 28", v)
	}
	got, err := RecoverBroadcaster(h, sig)
	if err != nil {
		t.Fatal(err)
	}
	if want := crypto.PubkeyToAddress(key.PublicKey); got != want {
		t.Fatalf("recovered %s, want %s", got, want)
	}
	other := SegmentHash("stream-1", 8, crypto.Keccak256Hash([]byte("segment bytes")))
	if got, err := RecoverBroadcaster(other, sig); err == nil && got == crypto.PubkeyToAddress(key.PublicKey) {
		t.Fatal("signature over segment 7 recovered the broadcaster for segment 8")
	}
}

func TestRecoverBroadcasterRejectsMalformed(t *testing.T) {
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	h := SegmentHash("s", 1, common.Hash{1})
	good, err := SignSegment(key, h)
	if err != nil {
		t.Fatal(err)
	}
	highS := append([]byte(nil), good...)
	// s' = n - s is the malleable twin that OpenZeppelin's ECDSA refuses.
	n := crypto.S256().Params().N
	s := new(big.Int).SetBytes(good[32:64])
	copy(highS[32:64], common.LeftPadBytes(new(big.Int).Sub(n, s).Bytes(), 32))
	highS[64] ^= 1
	tests := []struct {
		name string
		sig  []byte
	}{
		{"empty", nil},
		{"short", good[:64]},
		{"v is 0", append(append([]byte(nil), good[:64]...), 0)},
		{"v is 29", append(append([]byte(nil), good[:64]...), 29)},
		{"zero r and s", append(make([]byte, 64), 27)},
		{"high s", highS},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := RecoverBroadcaster(h, tc.sig); !errors.Is(err, ErrSignature) {
				t.Fatalf("err = %v, want ErrSignature", err)
			}
		})
	}
}
