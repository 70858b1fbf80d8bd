package ffmpeg

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/asticode/go-astiav"
)

// TestGPUDecodable decides, over codecs and pixel formats, which sources
// stay on the GPU (NVDEC decodes them into a format scale_cuda converts to
// NV12) and which go to the CPU with ErrHWPixelFormat.
func TestGPUDecodable(t *testing.T) {
	h264, hevc, vp9 := astiav.CodecIDH264, astiav.CodecIDHevc, astiav.CodecIDVp9
	pf := astiav.FindPixelFormatByName
	tests := []struct {
		codec   astiav.CodecID
		pixFmt  string
		surface astiav.PixelFormat // PixelFormatNone: not on the GPU
	}{
		{h264, "yuv420p", astiav.PixelFormatNv12},
		{h264, "yuvj420p", astiav.PixelFormatNv12},
		{h264, "yuv420p10le", astiav.PixelFormatNone}, // High 10: no NVDEC
		{h264, "yuv422p", astiav.PixelFormatNone},
		{h264, "yuv444p", astiav.PixelFormatNone}, // 5.1's nvdec_h264 has no 4:4:4
		{h264, "gray", astiav.PixelFormatNone},
		{hevc, "yuv420p", astiav.PixelFormatNv12},
		{hevc, "yuv420p10le", astiav.PixelFormatP010Le}, // Main 10: scale_cuda converts to NV12
		{hevc, "yuv420p12le", astiav.PixelFormatP016Le},
		{hevc, "yuv444p", astiav.PixelFormatYuv444P},
		{hevc, "yuv444p10le", astiav.PixelFormatYuv444P16Le},
		{hevc, "yuv422p10le", astiav.PixelFormatNone},
		{vp9, "yuv420p10le", astiav.PixelFormatP010Le},
		{vp9, "yuv444p", astiav.PixelFormatNone},
		{astiav.CodecIDMpeg2Video, "yuv420p", astiav.PixelFormatNv12},
		{astiav.CodecIDFlv1, "yuv420p", astiav.PixelFormatNone},
	}
	for _, tt := range tests {
		t.Run(tt.codec.Name()+"/"+tt.pixFmt, func(t *testing.T) {
			in := pf(tt.pixFmt)
			if got := nvdecSurfaceFormat(tt.codec, in); got != tt.surface {
				t.Fatalf("nvdecSurfaceFormat = %s, want %s", got.Name(), tt.surface.Name())
			}
			err := gpuDecodable(tt.codec, in)
			if tt.surface == astiav.PixelFormatNone {
				if !errors.Is(err, ErrHWPixelFormat) || HWFallbackOf(err) != HWFallbackPixelFormat {
					t.Fatalf("gpuDecodable = %v, want ErrHWPixelFormat", err)
				}
				return
			}
			if err != nil || !slices.Contains(scaleCUDAInputs, tt.surface) {
				t.Fatalf("gpuDecodable = %v, surface %s (scale_cuda takes %v)", err, tt.surface.Name(), scaleCUDAInputs)
			}
		})
	}
	if err := gpuDecodable(h264, astiav.PixelFormatNone); err != nil {
		t.Errorf("unknown pixel format: %v, want it left to get_format", err)
	}
}

func TestHWFallbackReasons(t *testing.T) {
	for _, e := range hwFallbackErrs {
		wrapped := fmt.Errorf("decoder: %w", e.err)
		if got := HWFallbackOf(wrapped); got != e.r || !errors.Is(wrapped, got.Err()) {
			t.Errorf("HWFallbackOf(%v) = %q (Err %v), want %q", wrapped, got, got.Err(), e.r)
		}
	}
	if HWFallbackOf(nil) != HWFallbackNone || HWFallbackNone.Err() != nil {
		t.Error("no error must be no fallback")
	}
	if got := HWFallbackOf(errors.New("other")); got != HWFallbackDecoderInit {
		t.Errorf("an unknown error maps to %q", got)
	}
}

// TestWarnHWFallback checks the warning reaches the log handler as class
// "opkit" with the reason's label.
func TestWarnHWFallback(t *testing.T) {
	rec := withLogHandler(t, LogWarning)
	warnHWFallback(fmt.Errorf("%w: a DPB of 31 frames", ErrHWSurfaces))
	var found bool
	for _, m := range rec.take() {
		if m.class == "opkit" && m.level == LogWarning && strings.Contains(m.msg, "(surfaces)") && strings.Contains(m.msg, "31 frames") {
			found = true
		}
	}
	if !found {
		t.Fatal("no opkit warning naming the surfaces reason")
	}
}

// TestHWDecodeChoose drives the get_format decision with the lists FFmpeg
// 5.1 offers.
func TestHWDecodeChoose(t *testing.T) {
	cuda, vdpau, vaapi := astiav.PixelFormatCuda, astiav.FindPixelFormatByName("vdpau"), astiav.FindPixelFormatByName("vaapi")
	yuv, yuv10 := astiav.PixelFormatYuv420P, astiav.PixelFormatYuv420P10Le
	h264 := streamShape{codec: astiav.CodecIDH264, level: 40, w: 1920, h: 1088, refs: 3, bDelay: 2}
	newH := func(codec astiav.CodecID) *hwDecode { return &hwDecode{codec: codec, depth: defaultQueueDepth} }

	h := newH(astiav.CodecIDH264)
	offered := []astiav.PixelFormat{vdpau, cuda, vaapi, yuv}
	if f, extra := h.choose(offered, h264); f != cuda || extra != heldFrames(defaultQueueDepth, false) || h.fallback != nil {
		t.Fatalf("8-bit H.264: %s, extra %d, fallback %v; want cuda, %d", f.Name(), extra, h.fallback, heldFrames(defaultQueueDepth, false))
	}
	if h.plan.Total > nvdecMaxSurfaces {
		t.Fatalf("plan %+v over the limit", h.plan)
	}
	// NVDEC's init failed: libavcodec asks again without CUDA (FFmpeg 5.1
	// repeats the last entry then).
	if f, _ := h.choose([]astiav.PixelFormat{vdpau, vaapi, yuv, yuv}, h264); f != yuv || !errors.Is(h.fallback, ErrHWDecoderInit) {
		t.Fatalf("retry without cuda: %s, fallback %v; want yuv420p, ErrHWDecoderInit", f.Name(), h.fallback)
	}

	h = newH(astiav.CodecIDH264)
	if f, _ := h.choose([]astiav.PixelFormat{yuv10}, h264); f != yuv10 || !errors.Is(h.fallback, ErrHWPixelFormat) {
		t.Fatalf("10-bit H.264 (no CUDA offered): %s, %v", f.Name(), h.fallback)
	}
	h = newH(astiav.CodecIDH264)
	if f, _ := h.choose([]astiav.PixelFormat{cuda, astiav.PixelFormatYuv444P}, h264); f == cuda || !errors.Is(h.fallback, ErrHWPixelFormat) {
		t.Fatalf("4:4:4 H.264: %s, %v", f.Name(), h.fallback)
	}
	h = newH(astiav.CodecIDHevc)
	if f, _ := h.choose([]astiav.PixelFormat{cuda, yuv10}, streamShape{codec: astiav.CodecIDHevc, level: 123, w: 1920, h: 1088}); f != cuda || h.fallback != nil {
		t.Fatalf("HEVC Main 10: %s, %v; want cuda", f.Name(), h.fallback)
	}
	h = newH(astiav.CodecIDH264)
	big := streamShape{codec: astiav.CodecIDH264, level: 51, w: 1920, h: 1088, refs: 16}
	if f, _ := h.choose(offered, big); f != yuv || !errors.Is(h.fallback, ErrHWSurfaces) || h.dpb != 31 {
		t.Fatalf("16 refs at level 5.1: %s, %v, dpb %d; want yuv420p, ErrHWSurfaces, 31", f.Name(), h.fallback, h.dpb)
	}
	// Fits, but only with a shorter queue than the segment has: the
	// session must run it again with that depth.
	h = newH(astiav.CodecIDH264)
	mid := streamShape{codec: astiav.CodecIDH264, level: 51, w: 1920, h: 1088, refs: 7}
	if f, _ := h.choose(offered, mid); f != yuv || !errors.Is(h.fallback, ErrHWSurfaces) || h.dpb != 22 {
		t.Fatalf("22-frame DPB, queue 4: %s, %v, dpb %d", f.Name(), h.fallback, h.dpb)
	}
}

// TestDecoderPlan checks what a GPU session decides before opening a
// decoder, and what it learns from a fallback.
func TestDecoderPlan(t *testing.T) {
	par := astiav.AllocCodecParameters()
	defer par.Free()
	set := func(id astiav.CodecID, pix astiav.PixelFormat, level, w, h int) {
		par.SetCodecID(id)
		par.SetMediaType(astiav.MediaTypeVideo)
		par.SetPixelFormat(pix)
		par.SetLevel(astiav.Level(level))
		par.SetWidth(w)
		par.SetHeight(h)
	}
	ladder := []RenditionSpec{{Width: 640, Height: 360, Bitrate: 1e6}}
	s := &Session{opts: Options{Renditions: ladder, Limits: DefaultLimits}}
	set(astiav.CodecIDH264, astiav.PixelFormatYuv420P, 40, 1920, 1080)
	if cfg := s.decoderPlan(par); cfg.hw != nil || cfg.cpuReason != nil || cfg.depth != defaultQueueDepth {
		t.Fatalf("CPU session: %+v", cfg)
	}
	s.hw = &hwState{}
	if cfg := s.decoderPlan(par); cfg.hw == nil || cfg.depth != defaultQueueDepth || cfg.fps {
		t.Fatalf("8-bit H.264 1080p L4.0: %+v, want the GPU with depth %d", cfg, defaultQueueDepth)
	}
	set(astiav.CodecIDH264, astiav.PixelFormatYuv420P10Le, 40, 1920, 1080)
	if cfg := s.decoderPlan(par); cfg.hw != nil || !errors.Is(cfg.cpuReason, ErrHWPixelFormat) {
		t.Fatalf("10-bit H.264: %+v, want the CPU for ErrHWPixelFormat", cfg)
	}
	// A level whose bound does not fit still tries the GPU: get_format
	// sees the stream's own DPB.
	set(astiav.CodecIDH264, astiav.PixelFormatYuv420P, 51, 1920, 1080)
	if cfg := s.decoderPlan(par); cfg.hw == nil {
		t.Fatalf("level 5.1: %+v, want the GPU", cfg)
	}

	// get_format saw a 22-frame DPB: the next run queues 3 frames.
	s.dec = &decoder{hw: &hwDecode{dpb: 22, fallback: fmt.Errorf("%w: test", ErrHWSurfaces)}}
	s.noteHWFallback(fmt.Errorf("%w: %w", errHWFallback, s.dec.hw.fallback))
	if s.dec != nil || s.dpbHint != 22 || s.hwOff != nil {
		t.Fatalf("after a surfaces fallback: dec %v, hint %d, off %v", s.dec, s.dpbHint, s.hwOff)
	}
	if cfg := s.decoderPlan(par); cfg.hw == nil || cfg.depth != 3 {
		t.Fatalf("with a 22-frame DPB: %+v, want the GPU with depth 3", cfg)
	}
	// The same again: the session gives up on the GPU decoder.
	s.dec = &decoder{hw: &hwDecode{dpb: 22, fallback: fmt.Errorf("%w: again", ErrHWSurfaces)}}
	s.noteHWFallback(fmt.Errorf("%w: %w", errHWFallback, s.dec.hw.fallback))
	if !errors.Is(s.hwOff, ErrHWSurfaces) {
		t.Fatalf("second surfaces fallback: off %v", s.hwOff)
	}
	if cfg := s.decoderPlan(par); cfg.hw != nil || !errors.Is(cfg.cpuReason, ErrHWSurfaces) {
		t.Fatalf("after giving up: %+v", cfg)
	}

	s = &Session{opts: Options{Renditions: []RenditionSpec{{Width: 640, Height: 360, Bitrate: 1e6, FPS: Rational{30, 1}}},
		Limits: DefaultLimits}, hw: &hwState{}, dpbHint: 25}
	if cfg := s.decoderPlan(par); cfg.hw != nil || !errors.Is(cfg.cpuReason, ErrHWSurfaces) {
		t.Fatalf("25-frame DPB and an fps filter: %+v, want the CPU for ErrHWSurfaces", cfg)
	}
}

// gen10bit makes n 10-bit segments of codec c.
func gen10bit(t *testing.T, c Codec, n int) [][]byte {
	t.Helper()
	return generate(t, SyntheticSpec{Width: 320, Height: 180, FPS: Rational{30, 1}, SegmentDuration: 500 * time.Millisecond,
		Segments: n, Codec: c, PixFmt: "yuv420p10le"})
}
