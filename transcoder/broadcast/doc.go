// Package broadcast is the broadcaster's side of segment jobs: sign, send,
// retry, collect renditions.
//
// It reads a stream's segments from a Source (files or generated), signs
// each one for the job (claims.SignSegment over claims.SegmentHash), posts
// it to an `opkit node`, and retries what can be retried without loss or
// duplication: the same bytes and signature go again after a lost answer,
// and 429/503 wait out Retry-After. Segments go strictly in order: segment
// N+1 is sent only once N is answered or given up. The renditions are
// written as an HLS tree (transcoder.OutputWriter) and Run returns a
// Summary with the counts. It knows nothing of the chain: the job id and
// the broadcaster's key come in the Config.
package broadcast
