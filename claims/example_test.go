package claims_test

import (
	"crypto/sha256"
	"fmt"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/opkit-dev/opkit/claims"
)

// The transcoder's side of a claim: a signed receipt per segment, one root for claimWork, and a
// receipt with its proof for each challenged segment's verify().
func Example() {
	broadcaster, _ := crypto.GenerateKey()
	var receipts []claims.Receipt
	for seg := uint64(0); seg < 10; seg++ {
		src := []byte(fmt.Sprintf("segment %d", seg))
		r720 := sha256.Sum256([]byte(fmt.Sprintf("720p of segment %d", seg)))
		r360 := sha256.Sum256([]byte(fmt.Sprintf("360p of segment %d", seg)))
		r := claims.Receipt{StreamID: "stream", Seg: seg, DataHash: crypto.Keccak256Hash(src),
			TranscodedDataHash: claims.TranscodedDataHash(r720[:], r360[:])}
		r.BroadcasterSig, _ = claims.SignSegment(broadcaster, r.SegmentHash()) // done by the broadcaster
		receipts = append(receipts, r)
	}
	claim, err := claims.NewClaim(receipts)
	if err != nil {
		panic(err)
	}
	start, end := claim.Range()
	fmt.Println("claimWork range:", start, end)

	// Once the claim is mined in block 1000 and block 1001 has this hash:
	seed := crypto.Keccak256Hash([]byte("hash of block 1001"))
	for _, seg := range claim.Challenged(1000, seed, 1) { // rate 1: every segment
		r, proof, _ := claim.Receipt(seg)
		signer, _ := claims.RecoverBroadcaster(r.SegmentHash(), r.BroadcasterSig)
		ok := claims.VerifyProof(claim.Root(), r.Hash(), proof) && signer == crypto.PubkeyToAddress(broadcaster.PublicKey)
		if !ok {
			fmt.Println("segment", seg, "would fail verify()")
		}
	}
	fmt.Println("all challenged segments verifiable")
	// Output:
	// claimWork range: 0 9
	// all challenged segments verifiable
}
