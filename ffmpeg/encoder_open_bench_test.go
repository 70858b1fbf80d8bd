package ffmpeg

import (
	"strconv"
	"testing"

	"github.com/asticode/go-astiav"
)

// benchLadderSizes are the sizes the bench ladder fits a 16:9 source to.
var benchLadderSizes = []struct {
	name string
	w, h int
}{{"240p", 426, 240}, {"360p", 640, 360}, {"480p", 854, 480}, {"720p", 1280, 720}}

// BenchmarkEncoderOpen is what a warm encoder saves per segment and
// rendition: opening and freeing libx264 (veryfast, threads on auto) at
// each of the bench ladder's sizes, with lookahead (the default, which is
// re-opened every segment) and with the zerolatency tune (which stays
// warm). Measured 2026-12-07 on the 2-vCPU VM, default: 0.83-0.89 CPU-ms
// at 240p and 360p, 1.1 at 480p, 1.4-1.5 at 720p; 4.3 CPU-ms a
// bench-ladder segment, 0.2% of its 1.9 CPU-s at veryfast.
func BenchmarkEncoderOpen(b *testing.B) {
	initLogging()
	for _, zl := range []bool{false, true} {
		for _, r := range benchLadderSizes {
			name := r.name
			if zl {
				name += "-zerolatency"
			}
			b.Run(name, func(b *testing.B) { benchEncoderOpen(b, r.name, r.w, r.h, zl) })
		}
	}
}

func benchEncoderOpen(b *testing.B, name string, w, h int, zeroLatency bool) {
	p := encoderParams{
		spec: RenditionSpec{Name: name, Width: w, Height: h, Bitrate: 1_000_000, FPS: Rational{30, 1}, GOP: 2e9},
		opts: &Options{Preset: "veryfast", ZeroLatency: zeroLatency}, width: w, height: h, pixFmt: astiav.PixelFormatYuv420P,
		sar: astiav.NewRational(1, 1), tb: astiav.NewRational(1, 30), fps: astiav.NewRational(30, 1),
	}
	cpu0 := cpuTime(b)
	for b.Loop() {
		enc, err := openVideoEncoder(p)
		if err != nil {
			b.Fatal(err)
		}
		enc.Free()
	}
	b.ReportMetric(float64((cpuTime(b)-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// BenchmarkGraphBuild is what a warm filter graph saves per segment and
// rendition: building and freeing the CPU path's scale,format graph from a
// 1080p picture to each of the bench ladder's sizes.
func BenchmarkGraphBuild(b *testing.B) {
	initLogging()
	f := astiav.AllocFrame()
	defer f.Free()
	f.SetWidth(1920)
	f.SetHeight(1080)
	f.SetPixelFormat(astiav.PixelFormatYuv420P)
	for _, r := range benchLadderSizes {
		b.Run(r.name, func(b *testing.B) {
			desc := "scale=w=" + strconv.Itoa(r.w) + ":h=" + strconv.Itoa(r.h) + ":flags=bicubic,format=pix_fmts=yuv420p"
			cpu0 := cpuTime(b)
			for b.Loop() {
				g, err := newVideoGraph(f, astiav.NewRational(1, 90000), desc, nil)
				if err != nil {
					b.Fatal(err)
				}
				g.free()
			}
			b.ReportMetric(float64((cpuTime(b)-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
}
