package ffmpeg

import (
	"context"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"
)

// rssBytes reads the resident set size from /proc/self/statm.
func rssBytes(t testing.TB) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		t.Skipf("no /proc/self/statm: %v", err)
	}
	f := strings.Fields(string(b))
	pages, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return pages * int64(os.Getpagesize())
}

// TestSessionMemory runs 300 segments (with audio) through one session and
// checks that the resident set does not grow: RSS after segment 300 is
// within 10% of RSS after segment 50. Leaked C frames, packets, graphs,
// encoders or muxers would show here.
//
// It runs twice: with encoders opened for every segment, and with
// zero-latency encoders kept warm across segments (warm.go).
func TestSessionMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("300 segments; skipped with -short")
	}
	ladder := []RenditionSpec{
		{Name: "180p", Width: 320, Height: 180, Bitrate: 200_000, GOP: time.Second},
		{Name: "90p", Width: 160, Height: 90, Bitrate: 80_000, GOP: time.Second},
	}
	t.Run("per-segment-encoders", func(t *testing.T) {
		sessionMemory(t, Options{Renditions: ladder, Preset: "ultrafast"}, false)
	})
	t.Run("warm-encoders", func(t *testing.T) {
		sessionMemory(t, Options{Renditions: ladder, Preset: "ultrafast", ZeroLatency: true}, true)
	})
}

func sessionMemory(t *testing.T, opts Options, warm bool) {
	s := newTestSession(t, opts)
	// Twenty distinct segments, cycled: the generator's own allocations stay
	// out of the measurement, and every repeat exercises the timeline's
	// re-basing (its source clock jumps back).
	spec := SyntheticSpec{Width: 320, Height: 180, FPS: Rational{30, 1}, SegmentDuration: 500 * time.Millisecond,
		Segments: 20, Noise: true, Audio: true}
	segs := generate(t, spec)
	var rss50 int64
	var frames int64
	start := time.Now()
	for i := range 300 {
		res, err := s.Transcode(context.Background(), Input{Data: segs[i%len(segs)]})
		if err != nil {
			t.Fatalf("segment %d: %v", i, err)
		}
		frames += res.Renditions[0].Frames
		if got := res.Renditions[0].WarmEncoder; i > 0 && got != warm {
			t.Fatalf("segment %d: warm encoder %v, want %v", i, got, warm)
		}
		if (i+1)%50 == 0 {
			debug.FreeOSMemory()
			t.Logf("RSS after %d segments: %d KiB", i+1, rssBytes(t)>>10)
		}
		switch i + 1 {
		case 50:
			rss50 = rssBytes(t)
		case 300:
			rss300 := rssBytes(t)
			t.Logf("RSS after 50 segments %d MiB, after 300 %d MiB (%d frames, %v)",
				rss50>>20, rss300>>20, frames, time.Since(start).Round(time.Millisecond))
			if float64(rss300) > 1.1*float64(rss50) && !asanBuild {
				t.Errorf("RSS grew from %d to %d bytes", rss50, rss300)
			}
		}
	}
	if want := int64(300 * spec.SegmentFrames()); frames != want {
		t.Errorf("%d frames encoded, want %d", frames, want)
	}
}
