package ffmpeg

import (
	"context"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the user+system CPU time of the process so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

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
// the real-time factor, with cascaded scaling (the default) and with every
// rendition scaled from the source. Run:
//
//	go test -run='^$' -bench=BenchmarkSession -benchtime=10x ./ffmpeg
func BenchmarkSession(b *testing.B) {
	quietLibav()
	spec := SyntheticSpec{Width: 1920, Height: 1080, FPS: Rational{30, 1}, SegmentDuration: 2 * time.Second,
		Segments: 3, Noise: true, Audio: true}
	segs := generate(b, spec)
	for _, v := range []struct {
		name    string
		direct  bool
		threads int
	}{{"cascade", false, 0}, {"direct", true, 0}, {"cascade-1thread", false, 1}, {"direct-1thread", true, 1}} {
		b.Run(v.name, func(b *testing.B) {
			s := newTestSession(b, Options{Renditions: referenceLadder(), DirectScale: v.direct, Threads: v.threads})
			ctx := context.Background()
			b.ResetTimer()
			cpu0 := cpuTime(b)
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
			// CPU seconds per segment is what a shared machine cannot skew much:
			// on n idle cores, throughput is at most n / cpu-s/segment.
			b.ReportMetric((cpuTime(b)-cpu0).Seconds()/float64(b.N), "cpu-s/segment")
			b.ReportMetric(float64(b.N)/el, "segments/s")
			b.ReportMetric(float64(b.N)*spec.SegmentDuration.Seconds()/el, "x-realtime")
			b.ReportMetric(float64(frames)/el, "frames/s")
		})
	}
}
