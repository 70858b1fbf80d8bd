package ffmpeg

import (
	"fmt"

	"github.com/asticode/go-astiav"
)

// Warm renditions: what a session keeps of each rendition between two
// segments of its stream, so that the next segment does not rebuild it.
//
// A filter graph is kept when it holds no frame at a segment's end: without
// an fps filter, scale and format put out a frame for every frame in, so the
// graph never needs an end of stream. An encoder is kept when it can end a
// segment without being closed:
//   - it holds no frame: every frame sent came back as a packet (libx264
//     with Options.ZeroLatency, for one), so there is nothing to drain; or
//   - it can be flushed (AV_CODEC_CAP_ENCODER_FLUSH; in libavcodec 5.1,
//     NVENC): it is drained and reset with avcodec_flush_buffers, as LPMS
//     does with NVENC.
//
// libx264 with lookahead or B-frames can do neither in 5.1: it is drained
// and closed at every segment end, as before. Every segment's first frame is
// sent as a forced IDR, so each output segment decodes on its own whether its
// encoder was warm or not. Muxers are always per segment: each segment is
// its own MPEG-TS or MP4 file. Options.Cold turns all of this off.

// warmRendition is one rendition's kept state. Between segments the session
// owns it; during a segment the rendition's worker does, and takes from it
// what matches (leaving nil behind), and gives back at a clean finish what
// it may keep. Whatever was taken and not given back is freed by the
// worker.
type warmRendition struct {
	graph      *videoGraph
	graphTB    astiav.Rational // time base of the frames the graph takes
	filters    string
	outW, outH int

	enc        *astiav.CodecContext
	encKey     encoderKey
	lastEncPts int64 // last timestamp sent to enc, in its time base
}

// encoderKey is what an encoder was opened for; a kept encoder serves a
// segment only when the segment asks for the same.
type encoderKey struct {
	name          string
	width, height int
	pixFmt        astiav.PixelFormat
	sar, tb, fps  astiav.Rational
	global        bool
	hwFrames      uintptr // the CUDA frames pool it takes frames from; 0 on the CPU
}

func (p encoderParams) key() encoderKey {
	return encoderKey{name: p.encoder(), width: p.width, height: p.height, pixFmt: p.pixFmt,
		sar: p.sar, tb: p.tb, fps: p.fps, global: p.global, hwFrames: p.hwFrames.id()}
}

// warmEncoders are the encoders whose forced keyframes are IDR pictures with
// the sequence headers in band (the options encoderOptions sets), which a
// warm encoder's segments need to decode on their own.
var warmEncoders = map[string]bool{"libx264": true, "libx265": true, "h264_nvenc": true, "hevc_nvenc": true}

// takeGraph hands over the kept graph when it takes frames like f at time
// base tb and scales to outW×outH; any other kept graph is freed.
func (wr *warmRendition) takeGraph(f *astiav.Frame, tb astiav.Rational, outW, outH int) (*videoGraph, string) {
	if wr == nil || wr.graph == nil {
		return nil, ""
	}
	g, filters := wr.graph, wr.filters
	wr.graph, wr.filters = nil, ""
	if !g.accepts(f) || wr.graphTB != tb || wr.outW != outW || wr.outH != outH {
		g.free()
		return nil, ""
	}
	return g, filters
}

// takeEncoder hands over the kept encoder when it was opened for key; any
// other kept encoder is freed.
func (wr *warmRendition) takeEncoder(key encoderKey) (*astiav.CodecContext, int64) {
	if wr == nil || wr.enc == nil {
		return nil, astiav.NoPtsValue
	}
	enc, last := wr.enc, wr.lastEncPts
	wr.enc = nil
	if wr.encKey != key {
		enc.Free()
		return nil, astiav.NoPtsValue
	}
	return enc, last
}

// free releases whatever is kept.
func (wr *warmRendition) free() {
	if wr == nil {
		return
	}
	if wr.graph != nil {
		wr.graph.free()
		wr.graph = nil
	}
	if wr.enc != nil {
		wr.enc.Free()
		wr.enc = nil
	}
}

// warmSlots returns the session's per-rendition warm state, made on first
// use; nil when Options.Cold.
func (s *Session) warmSlots() []*warmRendition {
	if s.opts.Cold {
		return nil
	}
	if s.warm == nil {
		s.warm = make([]*warmRendition, len(s.opts.Renditions))
		for i := range s.warm {
			s.warm[i] = &warmRendition{lastEncPts: astiav.NoPtsValue}
		}
	}
	return s.warm
}

// dropWarm frees every kept graph and encoder: after a failed segment, whose
// frames may have reached them, and at Close.
func (s *Session) dropWarm() {
	for _, wr := range s.warm {
		wr.free()
	}
	s.warm = nil
}

// graphHoldsNoFrame reports whether the rendition's graph puts out every
// frame as it comes in, so that it can end a segment without an end of
// stream: true unless it converts the frame rate.
func (w *renditionWorker) graphHoldsNoFrame() bool {
	return w.spec.FPS.IsZero()
}

// openEncoder takes the session's kept encoder when it was opened for p,
// and opens a new one otherwise.
func (w *renditionWorker) openEncoder(p encoderParams) error {
	key := p.key()
	if enc, last := w.warm.takeEncoder(key); enc != nil {
		w.enc, w.lastEncPts, w.res.WarmEncoder = enc, last, true
	} else {
		enc, err := openVideoEncoder(p)
		if err != nil {
			return err
		}
		w.enc = enc
	}
	w.encKey = key
	w.res.Encoder = key.name
	return nil
}

// endEncoder gets the segment's last packets out of the encoder and reports
// whether the encoder can take the next segment's frames: one that holds no
// frame is left as it is; one that can be flushed is drained and reset; any
// other is drained for good.
func (w *renditionWorker) endEncoder() (keep bool, err error) {
	canWarm := w.warm != nil && warmEncoders[w.res.Encoder]
	if canWarm && w.res.Frames == w.encoded {
		return true, nil
	}
	if err := w.enc.SendFrame(nil); err != nil {
		return false, fmt.Errorf("flushing encoder: %w", err)
	}
	if err := w.drainEncoder(); err != nil {
		return false, err
	}
	return canWarm && encoderCanFlush(w.enc) && flushCodec(w.enc), nil
}

// keepGraph gives the graph to the session for the next segment.
func (w *renditionWorker) keepGraph() {
	wr := w.warm
	wr.graph, wr.graphTB, wr.filters, wr.outW, wr.outH = w.graph, w.inTB, w.filters, w.outW, w.outH
	w.graph = nil
}

// keepEncoder gives the encoder to the session for the next segment.
func (w *renditionWorker) keepEncoder() {
	wr := w.warm
	wr.enc, wr.encKey, wr.lastEncPts = w.enc, w.encKey, w.lastEncPts
	w.enc = nil
}

func (w *renditionWorker) freeEncoder() {
	if w.enc != nil {
		w.enc.Free()
		w.enc = nil
	}
}
