package ffmpeg

//#cgo pkg-config: libavcodec
//#include <libavcodec/avcodec.h>
import "C"

import (
	"errors"
	"fmt"
	"slices"

	"github.com/asticode/go-astiav"
)

// errHWFallback ends a segment whose GPU decoder went to software in the
// middle of it (libavcodec's get_format): the session notes why and runs the
// segment again with a decoder it can use, so that a CPU decoder gets its
// threads (they are fixed when the decoder opens).
var errHWFallback = errors.New("NVDEC fell back to software decoding")

// hwDecode is the GPU side of a session decoder: the rendition queue depth
// its surfaces were planned for, and what get_format decided.
type hwDecode struct {
	codec astiav.CodecID
	depth int  // rendition queue depth the surfaces are planned for
	fps   bool // a rendition changes the frame rate (its fps filter keeps frames)
	// offered is the list get_format last chose CUDA from, nil when it did
	// not; libavcodec calls again with CUDA removed when NVDEC's init fails.
	offered  []astiav.PixelFormat
	dpb      int         // DPB bound at the last get_format, 0 before the first
	plan     surfacePlan // surfaces asked at the last get_format
	fallback error       // why the decoder went to software; wraps an ErrHW* error
}

// choose is the get_format decision. pfs is what libavcodec offers
// (hardware formats first, the software format last), st what it parsed of
// the stream. It answers the format to decode into and, for CUDA,
// extra_hw_frames; any other answer records h.fallback.
func (h *hwDecode) choose(pfs []astiav.PixelFormat, st streamShape) (astiav.PixelFormat, int) {
	if len(pfs) == 0 {
		return astiav.PixelFormatNone, 0
	}
	sw := pfs[len(pfs)-1]
	if !slices.Contains(pfs, astiav.PixelFormatCuda) {
		// ff_get_format (libavcodec/decode.c) retries "without it" when the
		// hwaccel's init fails.
		if h.offered != nil && sameFormats(pfs, slices.DeleteFunc(slices.Clone(h.offered), isCuda)) {
			h.fail(fmt.Errorf("%w: %s %dx%d, %d surfaces asked", ErrHWDecoderInit, h.codec.Name(), st.w, st.h, h.plan.Total))
		} else {
			h.fail(fmt.Errorf("%w: libavcodec offers no CUDA format for %s %s", ErrHWPixelFormat, h.codec.Name(), sw.Name()))
		}
		h.offered = nil
		return sw, 0
	}
	if isCuda(sw) { // no software format offered: nothing else to pick
		sw = astiav.PixelFormatNone
	}
	if err := gpuDecodable(h.codec, sw); err != nil {
		h.fail(err)
		return sw, 0
	}
	h.dpb = nvdecDPB(st)
	plan, err := planSurfaces(h.dpb, h.fps, h.depth)
	if err == nil && plan.Depth < h.depth {
		err = fmt.Errorf("%w: a DPB of %d frames leaves room for %d queued frames per rendition, the segment queues %d",
			ErrHWSurfaces, h.dpb, plan.Depth, h.depth)
	}
	if err != nil {
		h.fail(err)
		h.offered = nil
		return sw, 0
	}
	h.plan = plan
	h.offered = slices.Clone(pfs)
	return astiav.PixelFormatCuda, plan.Extra
}

func isCuda(p astiav.PixelFormat) bool { return p == astiav.PixelFormatCuda }

// sameFormats compares two get_format lists as sets. FFmpeg 5.1's retry
// list repeats its last entry: ff_get_format shifts the rest down over the
// removed format but leaves the old terminator in place, so
// [vdpau cuda vaapi yuv420p] comes back as [vdpau vaapi yuv420p yuv420p].
func sameFormats(a, b []astiav.PixelFormat) bool {
	for _, p := range a {
		if !slices.Contains(b, p) {
			return false
		}
	}
	for _, p := range b {
		if !slices.Contains(a, p) {
			return false
		}
	}
	return true
}

func (h *hwDecode) fail(err error) {
	if h.fallback == nil {
		h.fallback = err
	}
}

// hasCUDAConfig reports whether codec decodes through NVDEC with a device
// context in the linked libavcodec.
func hasCUDAConfig(codec *astiav.Codec) bool {
	for _, hc := range codec.HardwareConfigs() {
		if hc.HardwareDeviceType() == astiav.HardwareDeviceTypeCUDA && hc.PixelFormat() == astiav.PixelFormatCuda &&
			hc.MethodFlags().Has(astiav.CodecHardwareConfigMethodFlagHwDeviceCtx) {
			return true
		}
	}
	return false
}

// setupHW gives the decoder the session's device and the get_format
// callback that picks CUDA frames and sizes the surface pool. It answers
// an error wrapping ErrHWCodec or ErrHWDeviceUnavailable, and changes
// nothing, when the decoder must stay on the CPU.
func (d *decoder) setupHW(codec *astiav.Codec, dev *astiav.HardwareDeviceContext, depth int, fps bool) error {
	if !hasCUDAConfig(codec) {
		return fmt.Errorf("%w: %s", ErrHWCodec, codec.Name())
	}
	ref, err := refHWDevice(dev)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrHWDeviceUnavailable, err)
	}
	cc := d.cc
	cc.SetHardwareDeviceContext(ref) // cc owns ref from here
	h := &hwDecode{codec: d.codecID, depth: depth, fps: fps}
	// Called from SendPacket/ReceiveFrame on the segment's goroutine (one
	// decoder thread), under go-astiav's callback lock: it must not set
	// another callback.
	cc.SetPixelFormatCallback(func(pfs []astiav.PixelFormat) astiav.PixelFormat {
		f, extra := h.choose(pfs, decoderShape(cc, d.codecID))
		if f == astiav.PixelFormatCuda {
			// Read by avcodec_get_hw_frames_parameters right after this
			// returns, when libavcodec sizes the pool.
			cc.SetExtraHardwareFrames(extra)
		}
		return f
	})
	d.hw = h
	return nil
}

// decoderShape reads what libavcodec parsed of the stream, for get_format:
// H.264 sets refs, level and has_b_frames from the SPS before it asks
// (h264_slice.c, h264_init_ps).
func decoderShape(cc *astiav.CodecContext, id astiav.CodecID) streamShape {
	s := streamShape{codec: id, level: int(cc.Level()), w: cc.Width(), h: cc.Height()}
	if p := codecContextPtr(cc); p != nil {
		s.w, s.h = int(p.coded_width), int(p.coded_height)
		s.refs, s.bDelay = int(p.refs), int(p.has_b_frames)
	}
	return s
}

// parShape is what the codec parameters say of the stream before decoding.
func parShape(par *astiav.CodecParameters) streamShape {
	s := streamShape{codec: par.CodecID(), level: int(par.Level()), w: par.Width(), h: par.Height()}
	if p, err := cPtr(par); err == nil {
		s.bDelay = int((*C.AVCodecParameters)(p).video_delay)
	}
	return s
}

// decoderPlan decides, before a decoder for par opens, whether it decodes
// on the GPU and which rendition queue depth the segments use with it. On
// a GPU session a CPU decoder comes with the reason (an ErrHW* error).
func (s *Session) decoderPlan(par *astiav.CodecParameters) decoderConfig {
	cfg := decoderConfig{maxPixels: s.opts.Limits.MaxPixels, depth: defaultQueueDepth}
	switch {
	case s.hw == nil:
		return cfg
	case s.hwOff != nil:
		cfg.cpuReason = s.hwOff
		return cfg
	}
	if err := gpuDecodable(par.CodecID(), par.PixelFormat()); err != nil {
		cfg.cpuReason = err
		return cfg
	}
	fps := false
	for _, r := range s.opts.Renditions {
		fps = fps || !r.FPS.IsZero()
	}
	dpb := nvdecDPB(parShape(par))
	if s.dpbHint > 0 {
		dpb = s.dpbHint // what get_format saw of this stream
	}
	plan, err := planSurfaces(dpb, fps, defaultQueueDepth)
	switch {
	case err == nil:
		cfg.depth = plan.Depth
	case s.dpbHint > 0:
		cfg.cpuReason = err
		return cfg
	}
	// Otherwise the bound from the level did not fit, but the stream's own
	// DPB may: get_format decides.
	cfg.hw, cfg.fps = s.hw, fps
	return cfg
}

// noteHWFallback records why a segment's GPU decoder went to software, so
// that the segment's next run plans a decoder that works: with the DPB
// get_format saw when only the queue depth was too large, on the CPU
// otherwise (for the rest of the session). It drops the decoder.
func (s *Session) noteHWFallback(err error) {
	var h *hwDecode
	if s.dec != nil {
		h = s.dec.hw
	}
	switch {
	case h != nil && errors.Is(err, ErrHWSurfaces) && h.dpb > 0 && s.dpbHint == 0:
		s.dpbHint = h.dpb
	case h != nil && h.fallback != nil:
		s.hwOff = h.fallback
	default:
		s.hwOff = err
	}
	s.dropDecoder()
}
