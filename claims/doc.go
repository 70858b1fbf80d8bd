// Package claims owns the transcoder's side of claims of work: the receipt kept for every
// transcoded segment, the hashes the JobsManager contract recomputes (SegmentHash, ReceiptHash,
// TranscodedDataHash), the Merkle tree whose root a claim commits to and the proofs verify()
// submits, the challenge rule that picks the segments to verify, and the broadcaster's EIP-191
// signature over each segment.
//
// Every function here matches contracts/src/JobsManager.sol byte for byte; the tests in
// contracts/jobstest check that on a real EVM.
package claims
