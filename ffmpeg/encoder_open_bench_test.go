package ffmpeg

import (
	"testing"

	"github.com/asticode/go-astiav"
)

// BenchmarkEncoderOpen is what a warm encoder would save per segment and
// rendition: opening and freeing libx264 (veryfast, threads on auto) at
// each of the bench ladder's sizes, as every segment does today. Measured
// 2026-12-07 on the 2-vCPU VM: 0.83-0.89 CPU-ms at 240p and 360p, 1.1 at
// 480p, 1.4-1.5 at 720p; 4.3 CPU-ms a bench-ladder segment, 0.2% of its
// 1.9 CPU-s at veryfast.
func BenchmarkEncoderOpen(b *testing.B) {
	initLogging()
	for _, r := range []struct {
		name string
		w, h int
	}{{"240p", 426, 240}, {"360p", 640, 360}, {"480p", 854, 480}, {"720p", 1280, 720}} {
		b.Run(r.name, func(b *testing.B) {
			opts := &Options{Preset: "veryfast"}
			p := encoderParams{
				spec: RenditionSpec{Name: r.name, Width: r.w, Height: r.h, Bitrate: 1_000_000, FPS: Rational{30, 1}, GOP: 2e9},
				opts: opts, width: r.w, height: r.h, pixFmt: astiav.PixelFormatYuv420P,
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
		})
	}
}
