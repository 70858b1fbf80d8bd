// Package claims owns the transcoder's side of claims of work: the receipt kept for every
// transcoded segment, the hashes the JobsManager contract recomputes (SegmentHash, ReceiptHash,
// TranscodedDataHash), the Merkle tree whose root a claim commits to and the proofs verify()
// submits, the challenge rule that picks the segments to verify, and the broadcaster's EIP-191
// signature over each segment.
//
// It also owns getting paid for that work: Store, the embedded bbolt receipt store the
// transcoder hands every receipt to (through ReceiptSink), and Service, the per-account loop
// that claims contiguous receipts (claimWork), verifies the challenged segments before
// endVerificationBlock and calls distributeFees after the slashing window. Every step is
// recorded in the Store before and after its transaction, so a restart resumes without losing
// a receipt or claiming a segment twice.
//
// Every hash and rule here matches contracts/src/JobsManager.sol byte for byte; the tests in
// contracts/jobstest check that on a real EVM.
package claims
