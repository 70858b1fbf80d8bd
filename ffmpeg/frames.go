package ffmpeg

import (
	"errors"
	"fmt"

	"github.com/asticode/go-astiav"
)

// acceptedPixFmts are the decoded picture formats the CPU path scales from.
var acceptedPixFmts = map[astiav.PixelFormat]bool{}

func init() {
	for _, n := range []string{"yuv420p", "yuvj420p", "yuv422p", "yuvj422p", "yuv444p", "yuvj444p",
		"nv12", "yuv420p10le", "yuv422p10le", "yuv444p10le", "gray"} {
		if f := astiav.FindPixelFormatByName(n); f != astiav.PixelFormatNone {
			acceptedPixFmts[f] = true
		}
	}
}

// handleFrame checks one decoded frame against the limits, puts it on the
// session's timeline and hands a reference to every rendition worker.
func (seg *segment) handleFrame(f *astiav.Frame) error {
	lim := seg.s.opts.Limits
	if !acceptedPixFmts[f.PixelFormat()] && (seg.s.hw == nil || f.PixelFormat() != astiav.PixelFormatCuda) {
		return fmt.Errorf("%w: %s", ErrUnsupportedPixFmt, f.PixelFormat())
	}
	if f.PixelFormat() == astiav.PixelFormatCuda {
		seg.cudaFrames = true
	}
	if f.Width() < 2 || f.Height() < 2 {
		return fmt.Errorf("%w: picture %dx%d", ErrCorrupt, f.Width(), f.Height())
	}
	if int64(f.Width())*int64(f.Height()) > int64(lim.MaxPixels) {
		return fmt.Errorf("%w: picture %dx%d exceeds %d pixels", ErrTooLarge, f.Width(), f.Height(), lim.MaxPixels)
	}
	pts := f.Pts()
	if pts == astiav.NoPtsValue {
		pts = f.PktDts()
	}
	if pts == astiav.NoPtsValue {
		if seg.last == astiav.NoPtsValue {
			pts = 0
		} else {
			pts = seg.last + seg.frameDur
		}
	}
	if seg.last != astiav.NoPtsValue && pts <= seg.last {
		seg.dropped++ // not after the previous frame: the encoders need increasing timestamps
		return nil
	}
	if seg.first != astiav.NoPtsValue && pts-seg.first > seg.maxDur {
		return fmt.Errorf("%w: more than %v of video", ErrTooLong, lim.MaxDuration)
	}
	if err := seg.checkFrameRate(pts); err != nil {
		return err
	}
	if !seg.started {
		if err := seg.start(f, pts); err != nil {
			return err
		}
	} else if d := pts - seg.last; seg.minDelta == 0 || d < seg.minDelta {
		seg.minDelta = d
	}
	seg.last = pts
	seg.decoded++
	seg.pixels += int64(f.Width()) * int64(f.Height())
	f.SetPts(pts + seg.offset)
	for _, w := range seg.roots {
		ref := f.Clone()
		if ref == nil {
			return errors.New("referencing frame failed")
		}
		if err := seg.send(w, renditionMsg{frame: ref, srcW: f.Width(), srcH: f.Height(), tb: seg.vTB}); err != nil {
			return err
		}
	}
	return nil
}

// start places the segment on the session timeline at its first frame and
// releases the audio read so far.
func (seg *segment) start(f *astiav.Frame, pts int64) error {
	seg.started = true
	seg.first = pts
	seg.srcW, seg.srcH = f.Width(), f.Height()
	tb90 := astiav.NewRational(1, 90000)
	seg.offset90 = seg.s.tl.begin(astiav.RescaleQ(pts, seg.vTB, tb90), astiav.RescaleQ(seg.frameDur, seg.vTB, tb90))
	seg.offset = astiav.RescaleQ(seg.offset90, tb90, seg.vTB)
	pending := seg.pendingAudio
	seg.pendingAudio = nil
	for i, p := range pending {
		if err := seg.sendAudio(p); err != nil {
			for _, q := range pending[i+1:] {
				q.Free()
			}
			return err
		}
	}
	return nil
}

// sendAudio shifts an audio packet onto the timeline and hands a copy to
// every worker. It takes ownership of p.
func (seg *segment) sendAudio(p *astiav.Packet) error {
	defer p.Free()
	off := astiav.RescaleQ(seg.offset90, astiav.NewRational(1, 90000), seg.aTB)
	if p.Pts() != astiav.NoPtsValue {
		p.SetPts(p.Pts() + off)
	}
	if p.Dts() != astiav.NoPtsValue {
		p.SetDts(p.Dts() + off)
	}
	for _, w := range seg.roots {
		ref := p.Clone()
		if ref == nil {
			return errors.New("cloning audio packet failed")
		}
		if err := seg.send(w, renditionMsg{pkt: ref}); err != nil {
			return err
		}
	}
	return nil
}

// send hands m to w, or frees it when the segment is cancelled.
func (seg *segment) send(w *renditionWorker, m renditionMsg) error {
	select {
	case w.in <- m:
		return nil
	case <-seg.ctx.Done():
		m.free()
		return seg.ctx.Err()
	}
}

// decode sends pkt (nil drains) to the decoder and handles every frame it
// returns. Invalid data is counted and skipped, as the ffmpeg CLI does.
func (seg *segment) decode(pkt *astiav.Packet) error {
	dec := seg.s.dec
	if err := dec.cc.SendPacket(pkt); err != nil && !errors.Is(err, astiav.ErrEof) {
		seg.decodeErrs++
		if errors.Is(err, astiav.ErrEagain) {
			// Cannot happen while every send is followed by a full drain.
			return fmt.Errorf("%w: decoder refused input without output: %w", ErrCorrupt, err)
		}
	}
	if err := dec.hwFallback(); err != nil {
		return err
	}
	for {
		err := dec.cc.ReceiveFrame(dec.frame)
		if ferr := dec.hwFallback(); ferr != nil {
			dec.frame.Unref()
			return ferr
		}
		if errors.Is(err, astiav.ErrEagain) || errors.Is(err, astiav.ErrEof) {
			return nil
		}
		if err != nil {
			seg.decodeErrs++
			return nil
		}
		err = seg.handleFrame(dec.frame)
		dec.frame.Unref()
		if err != nil {
			return err
		}
	}
}

// drainDecoder flushes the frames the decoder still holds and resets it for
// the next segment.
func (seg *segment) drainDecoder() error {
	if err := seg.decode(nil); err != nil {
		return err
	}
	if !seg.s.dec.reset() {
		seg.s.dropDecoder()
	}
	return nil
}
