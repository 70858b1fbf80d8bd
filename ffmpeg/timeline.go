package ffmpeg

// timeline keeps a session's output timestamps continuous and monotonic
// across segments. Timestamps are in 90 kHz units (MPEG-TS clock).
//
// A segment whose first frame continues the previous segment's timing (it
// starts no earlier than half a frame before the expected next timestamp and
// at most maxGap after it) keeps its source timestamps, shifted by the offset
// already in force. Any other segment (a source clock jump, a restart, an
// overlap) is re-based so that its first frame lands exactly on the expected
// next timestamp. The first segment of a session keeps its source timing.
type timeline struct {
	started bool
	offset  int64 // added to source timestamps
	next    int64 // expected output timestamp of the next segment's first frame
}

// maxGap90k is the largest forward gap between segments kept as is (10 s).
const maxGap90k = 10 * 90000

// begin returns the offset to add to a segment whose first frame has
// timestamp first90 (source timing, 90 kHz) and frame duration frameDur90.
func (t *timeline) begin(first90, frameDur90 int64) int64 {
	if !t.started {
		return 0
	}
	cand := first90 + t.offset
	if cand < t.next-frameDur90/2 || cand > t.next+maxGap90k {
		return t.next - first90
	}
	return t.offset
}

// commit records a segment that succeeded: its offset and the output
// timestamp one frame after its last frame.
func (t *timeline) commit(offset, lastOut90, frameDur90 int64) {
	t.started = true
	t.offset = offset
	t.next = lastOut90 + frameDur90
}
