package ffmpeg

import (
	"context"
	"testing"
	"time"
)

// ReferenceLadder is the bench ladder of the design: 240p 250k, 360p 800k,
// 480p 1600k, 720p 3000k, source frame rate, high profile without B-frames,
// 1 s GOP, audio copied.
func referenceLadder() []RenditionSpec {
	mk := func(name string, w, h int, br int64) RenditionSpec {
		return RenditionSpec{Name: name, Width: w, Height: h, Bitrate: br, GOP: time.Second, Profile: "high"}
	}
	return []RenditionSpec{
		mk("240p", 426, 240, 250_000),
		mk("360p", 640, 360, 800_000),
		mk("480p", 854, 480, 1_600_000),
		mk("720p", 1280, 720, 3_000_000),
	}
}

// BenchmarkSession transcodes generated 1080p30 2 s segments (with audio)
// into the reference ladder through one session and reports segments/s and
// the real-time factor. Run: go test -run=^$ -bench=BenchmarkSession -benchtime=20x ./ffmpeg
func BenchmarkSession(b *testing.B) {
	quietLibav()
	spec := SyntheticSpec{Width: 1920, Height: 1080, FPS: Rational{30, 1}, SegmentDuration: 2 * time.Second,
		Segments: 4, Noise: true, Audio: true}
	segs := generate(b, spec)
	s := newTestSession(b, Options{Renditions: referenceLadder()})
	ctx := context.Background()
	b.ResetTimer()
	start := time.Now()
	var frames int64
	for i := 0; i < b.N; i++ {
		res, err := s.Transcode(ctx, Input{Data: segs[i%len(segs)]})
		if err != nil {
			b.Fatal(err)
		}
		frames += res.DecodedFrames
	}
	el := time.Since(start).Seconds()
	b.ReportMetric(float64(b.N)/el, "segments/s")
	b.ReportMetric(float64(b.N)*spec.SegmentDuration.Seconds()/el, "x-realtime")
	b.ReportMetric(float64(frames)/el, "frames/s")
}
