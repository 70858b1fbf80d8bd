package ffmpeg

import (
	"fmt"
	"math"
	"sync/atomic"
	"syscall"

	"github.com/asticode/go-astiav"
)

// Caps on what one segment may make the session do, beyond the input
// limits: frames per second of media (a segment of frames 1 ms apart stays
// within the duration limit but would encode 1000 frames a second) and the
// bytes the renditions write. Both fail the segment with a typed error; the
// session stays usable.

// frameSlack is how many frames a segment may run above its rate: frame
// timestamps jitter by a tick, and the first frames have no span yet.
const frameSlack = 8

// checkFrameRate refuses the frame at pts (in vTB) when it would put more
// than Limits.MaxFrameRate source frames in a second of the segment.
func (seg *segment) checkFrameRate(pts int64) error {
	if seg.first == astiav.NoPtsValue {
		return nil
	}
	rate := seg.s.opts.Limits.MaxFrameRate
	slots := astiav.RescaleQ(pts-seg.first, seg.vTB, astiav.NewRational(1, rate))
	if n := seg.decoded + 1; n > slots+frameSlack {
		return fmt.Errorf("%w: frame %d after %v of video, limit %d per second", ErrTooManyFrames,
			n, durationOf(pts-seg.first, seg.vTB), rate)
	}
	return nil
}

// maxOutputFrames is the most frames a rendition encodes in one segment:
// its own rate (or, passing the source rate through, Limits.MaxFrameRate)
// over Limits.MaxDuration. An fps filter filling a timestamp gap with
// copies stops there.
func maxOutputFrames(spec RenditionSpec, lim Limits) int64 {
	rate := float64(lim.MaxFrameRate)
	if !spec.FPS.IsZero() {
		rate = max(rate, float64(spec.FPS.Num)/float64(spec.FPS.Den))
	}
	return int64(math.Ceil(rate*lim.MaxDuration.Seconds())) + frameSlack
}

// countFrame counts one frame sent to the encoder against maxOutputFrames.
func (w *renditionWorker) countFrame() error {
	w.encoded++
	if w.encoded > w.maxFrames {
		return fmt.Errorf("%w: more than %d output frames in one segment", ErrTooManyFrames, w.maxFrames)
	}
	return nil
}

// outputBudget is what the renditions of one segment may write together.
type outputBudget struct {
	limit int64
	used  atomic.Int64
}

// take reserves n more bytes; false once the renditions are over the limit.
func (b *outputBudget) take(n int64) bool {
	return b == nil || b.used.Add(n) <= b.limit
}

// errOutputFull is what a memOutput over its budget returns to libavformat.
var errOutputFull = astiav.Error(-int(syscall.EFBIG))

// muxErr is the error of a muxer call: ErrOutputTooLarge once the output
// is over the budget (libavformat may have buffered the failed write and
// returned no error), else err wrapped in ErrCorrupt.
func (w *renditionWorker) muxErr(what string, err error) error {
	if w.out != nil && w.out.over {
		return fmt.Errorf("%w: the renditions passed %d bytes", ErrOutputTooLarge, w.opts.Limits.MaxOutputBytes)
	}
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrCorrupt, what, err)
	}
	return nil
}
