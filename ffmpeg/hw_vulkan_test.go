package ffmpeg

import (
	"errors"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/asticode/go-astiav"
)

// vulkanHWSession opens a session whose "GPU" is a Vulkan device (Mesa's
// lavapipe, see hwshim_test.go). libavcodec offers CUDA frames for H.264
// and HEVC, the session picks them, and libavcodec then refuses the device
// ("does not match the type of the provided device context") and asks
// again without CUDA, as it does when NVDEC's init fails on a real card.
// From there on it is the GPU session's own code: the fallback, the second
// run, the CPU decoder's threads, the result and the warning.
func vulkanHWSession(t *testing.T, opts Options) *Session {
	t.Helper()
	dev := vulkanDevice(t)
	s := newTestSession(t, opts)
	ref, err := refHWDevice(dev)
	if err != nil {
		t.Fatal(err)
	}
	s.hw = &hwState{dev: ref} // Close frees it
	return s
}

func opkitWarnings(rec *logRecorder, reason HWFallbackReason) int {
	n := 0
	for _, m := range rec.take() {
		if m.class == "opkit" && m.level == LogWarning && strings.Contains(m.msg, "("+string(reason)+")") {
			n++
		}
	}
	return n
}

// TestSessionHWFallbackInit: NVDEC set up, refused at the first sequence
// header. The segment runs again on a CPU decoder with libavcodec's threads
// (not the GPU decoder's one), succeeds with the same frames as a CPU
// session, says why in HWFallback, and the session warns once.
func TestSessionHWFallbackInit(t *testing.T) {
	rec := withLogHandler(t, LogWarning)
	segs := generate(t, SyntheticSpec{Width: 320, Height: 180, FPS: Rational{30, 1}, SegmentDuration: 500 * time.Millisecond, Segments: 2})
	ladder := smallLadder()
	s := vulkanHWSession(t, Options{Renditions: ladder, Preset: "ultrafast"})
	cpu := newTestSession(t, Options{Renditions: ladder, Preset: "ultrafast"})
	for i, seg := range segs {
		res, err := s.Transcode(t.Context(), Input{Data: seg})
		if err != nil {
			t.Fatalf("segment %d: %v", i, err)
		}
		want, err := cpu.Transcode(t.Context(), Input{Data: seg})
		if err != nil {
			t.Fatal(err)
		}
		if res.HWFallback != HWFallbackDecoderInit || res.DecoderHW != "" || res.Decoder != "h264" {
			t.Fatalf("segment %d: decoder %q hw %q fallback %q; want h264 on the CPU for decoder_init", i, res.Decoder, res.DecoderHW, res.HWFallback)
		}
		if want.HWFallback != HWFallbackNone || want.DecoderHW != "" {
			t.Fatalf("CPU session reports fallback %q hw %q", want.HWFallback, want.DecoderHW)
		}
		if res.DecodedFrames != want.DecodedFrames {
			t.Fatalf("segment %d: %d frames decoded, CPU session %d", i, res.DecodedFrames, want.DecodedFrames)
		}
		for j, r := range res.Renditions {
			if r.Frames != want.Renditions[j].Frames || r.Encoder != "libx264" ||
				!strings.Contains(r.Filters, "scale=") || strings.Contains(r.Filters, "scale_cuda") {
				t.Fatalf("segment %d %s: %d frames (CPU %d), encoder %q, filters %q", i, r.Name, r.Frames, want.Renditions[j].Frames, r.Encoder, r.Filters)
			}
		}
	}
	if s.dec == nil || s.dec.hw != nil || !errors.Is(s.dec.cpuReason, ErrHWDecoderInit) || !errors.Is(s.hwOff, ErrHWDecoderInit) {
		t.Fatalf("decoder %+v, session off %v; want a CPU decoder for ErrHWDecoderInit", s.dec, s.hwOff)
	}
	if runtime.NumCPU() > 1 {
		if n := s.dec.cc.ThreadCount(); n <= 1 {
			t.Fatalf("CPU decoder after the fallback has %d thread(s), want libavcodec's automatic count", n)
		}
	}
	if n := opkitWarnings(rec, HWFallbackDecoderInit); n != 1 {
		t.Fatalf("%d decoder_init warnings, want 1 (one CPU decoder)", n)
	}
}

// TestSessionHWFallbackPixelFormat: a 10-bit H.264 source never goes to
// NVDEC (decided before the decoder opens); 10-bit HEVC does (it is
// refused later here only because the device is not CUDA).
func TestSessionHWFallbackPixelFormat(t *testing.T) {
	for _, tt := range []struct {
		codec Codec
		want  HWFallbackReason
	}{
		{CodecH264, HWFallbackPixelFormat},
		{CodecHEVC, HWFallbackDecoderInit},
	} {
		t.Run(string(tt.codec), func(t *testing.T) {
			rec := withLogHandler(t, LogWarning)
			seg := gen10bit(t, tt.codec, 1)[0]
			s := vulkanHWSession(t, Options{Renditions: smallLadder(), Preset: "ultrafast"})
			res, err := s.Transcode(t.Context(), Input{Data: seg})
			if err != nil {
				t.Fatal(err)
			}
			if res.HWFallback != tt.want || res.DecodedFrames != 15 {
				t.Fatalf("fallback %q, %d frames; want %q, 15", res.HWFallback, res.DecodedFrames, tt.want)
			}
			if n := opkitWarnings(rec, tt.want); n != 1 {
				t.Fatalf("%d %s warnings, want 1", n, tt.want)
			}
		})
	}
}

// TestVideoGraphPoolChange feeds a graph hardware frames from a second
// frames pool of the same size: hwdownload refuses them, so accepts must
// ask for a new graph, which takes them.
func TestVideoGraphPoolChange(t *testing.T) {
	dev := vulkanDevice(t)
	vk := astiav.FindPixelFormatByName("vulkan")
	var frames []*astiav.Frame
	for range 2 {
		pool, err := newHWFrames(dev, vk, astiav.PixelFormatNv12, 64, 64, 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pool.free)
		frames = append(frames, uploadBlack(t, pool, 64, 64))
	}
	a, b := frames[0], frames[1]
	if hwFramesID(a) == 0 || hwFramesID(a) == hwFramesID(b) {
		t.Fatalf("pool ids %x %x", hwFramesID(a), hwFramesID(b))
	}
	tb := astiav.NewRational(1, 30)
	const desc = "hwdownload,format=nv12"
	vg, err := newVideoGraph(a, tb, desc, dev)
	if err != nil {
		t.Fatal(err)
	}
	defer vg.free()
	if !vg.accepts(a) || vg.accepts(b) {
		t.Fatalf("accepts(pool A) = %v, accepts(pool B) = %v; want true, false", vg.accepts(a), vg.accepts(b))
	}
	push := func(vg *videoGraph, f *astiav.Frame, pts int64) error {
		f.SetPts(pts)
		if err := vg.src.BuffersrcAddFrame(f, astiav.NewBuffersrcFlags(astiav.BuffersrcFlagKeepRef)); err != nil {
			return err
		}
		out := astiav.AllocFrame()
		defer out.Free()
		return vg.sink.BuffersinkGetFrame(out, astiav.NewBuffersinkFlags())
	}
	if err := push(vg, a, 0); err != nil {
		t.Fatalf("frame of the graph's own pool: %v", err)
	}
	// What the graph kept before the fix: the same size, another pool.
	if err := push(vg, b, 1); err == nil {
		t.Fatal("hwdownload took a frame of another pool; the rebuild would not be needed")
	}
	vb, err := newVideoGraph(b, tb, desc, dev)
	if err != nil {
		t.Fatal(err)
	}
	defer vb.free()
	if err := push(vb, b, 1); err != nil || !vb.accepts(b) {
		t.Fatalf("rebuilt graph: %v", err)
	}
	if s := strconv.Itoa(vb.w) + "x" + strconv.Itoa(vb.h); s != "64x64" {
		t.Fatalf("graph for %s", s)
	}
}
