package ffmpeg

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// The tests below need an NVIDIA GPU and skip, saying so, without one.
// They check where every stage ran, not only that the outputs look right:
// a GPU session that quietly decodes, scales or encodes on the CPU fails.

// nvidiaDevice returns device 0 as ProbeDevices finds it, or skips.
func nvidiaDevice(t *testing.T) Device {
	t.Helper()
	quietLibav()
	devs, err := ProbeDevices(context.Background())
	if errors.Is(err, ErrNoGPU) {
		t.Skipf("no NVIDIA device: %v", err)
	}
	if err != nil {
		t.Fatalf("ProbeDevices: %v", err)
	}
	return devs[0]
}

// onGPU returns o set to run on CUDA device idx.
func onGPU(o Options, idx int) Options {
	o.UseGPU, o.GPUDevice = true, idx
	return o
}

// wantGPUEncoder is the encoder a GPU session opens for H.264 renditions
// on d: NVENC, or libx264 on a card without it (A100, H100, H200).
func wantGPUEncoder(d Device) string {
	if d.NVENC && HasEncoder("h264_nvenc") {
		return "h264_nvenc"
	}
	return "libx264"
}

// checkOnGPU fails unless NVDEC decoded the segment and every rendition
// was scaled by scale_cuda and encoded by encoder.
func checkOnGPU(t *testing.T, what string, res *SegmentResult, encoder string) {
	t.Helper()
	if res.DecoderHW != "cuda" || res.HWFallback != HWFallbackNone {
		t.Fatalf("%s: decoder %s into %q, fallback %q; want NVDEC (cuda)", what, res.Decoder, res.DecoderHW, res.HWFallback)
	}
	for _, r := range res.Renditions {
		if !strings.Contains(r.Filters, "scale_cuda=") || strings.Contains(r.Filters, "scale=") || r.Encoder != encoder {
			t.Fatalf("%s %s: filters %q, encoder %q; want scale_cuda and %s", what, r.Name, r.Filters, r.Encoder, encoder)
		}
	}
}

// TestSessionNvidia runs 8-bit H.264 and 10-bit HEVC through a GPU session
// (NVDEC, scale_cuda converting to NV12, NVENC or libx264) and a 10-bit
// H.264 source, which NVDEC does not decode, through the loud fallback.
func TestSessionNvidia(t *testing.T) {
	d := nvidiaDevice(t)
	enc := wantGPUEncoder(d)
	ladder := []RenditionSpec{
		{Name: "360p", Width: 640, Height: 360, Bitrate: 800_000, GOP: time.Second, Profile: "high"},
		{Name: "240p", Width: 426, Height: 240, Bitrate: 250_000, GOP: time.Second, Profile: "high"},
	}
	for _, tt := range []struct {
		name     string
		spec     SyntheticSpec
		fallback HWFallbackReason
	}{
		{"h264", SyntheticSpec{Codec: CodecH264}, HWFallbackNone},
		{"hevc main10", SyntheticSpec{Codec: CodecHEVC, PixFmt: "yuv420p10le"}, HWFallbackNone},
		{"h264 high10", SyntheticSpec{Codec: CodecH264, PixFmt: "yuv420p10le"}, HWFallbackPixelFormat},
	} {
		t.Run(tt.name, func(t *testing.T) {
			spec := tt.spec
			spec.Width, spec.Height, spec.FPS = 1280, 720, Rational{30, 1}
			spec.SegmentDuration, spec.Segments = time.Second, 2
			segs := generate(t, spec)
			s := newTestSession(t, onGPU(Options{Renditions: ladder}, d.Index))
			for i, seg := range segs {
				res, err := s.Transcode(t.Context(), Input{Data: seg})
				if err != nil {
					t.Fatalf("segment %d: %v", i, err)
				}
				for _, r := range res.Renditions {
					if r.Frames != 30 {
						t.Fatalf("segment %d %s: %d frames, want 30", i, r.Name, r.Frames)
					}
				}
				if tt.fallback == HWFallbackNone {
					checkOnGPU(t, tt.name, res, enc)
				} else if res.HWFallback != tt.fallback || res.DecoderHW != "" {
					t.Fatalf("segment %d: fallback %q, decoder hw %q; want %q on the CPU", i, res.HWFallback, res.DecoderHW, tt.fallback)
				}
			}
		})
	}
}
