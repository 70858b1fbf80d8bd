package ffmpeg

import (
	"context"
	"testing"
	"time"
)

// TestSessionFixedFrameRate runs renditions with their own frame rate over
// three consecutive 2 s segments of a 30 fps source: at the source's rate
// every frame is kept (the last one too), at half of it every other one,
// and the outputs' timestamps run on without gap or overlap. The 128x72
// renditions cascade from the 256x144 ones of the same rate, so their
// input timestamps are in the fps filter's time base, not the source's.
func TestSessionFixedFrameRate(t *testing.T) {
	const segments, perSegment = 3, 60 // 2 s at 30 fps
	segs := generate(t, SyntheticSpec{Width: 320, Height: 180, FPS: Rational{30, 1},
		SegmentDuration: 2 * time.Second, Segments: segments, Seed: 3})
	ladder := []RenditionSpec{
		{Name: "30", Width: 256, Height: 144, Bitrate: 150_000, FPS: Rational{30, 1}, GOP: time.Second},
		{Name: "15", Width: 256, Height: 144, Bitrate: 150_000, FPS: Rational{15, 1}, GOP: time.Second},
		{Name: "30c", Width: 128, Height: 72, Bitrate: 80_000, FPS: Rational{30, 1}, GOP: time.Second},
		{Name: "15c", Width: 128, Height: 72, Bitrate: 80_000, FPS: Rational{15, 1}, GOP: time.Second},
	}
	if p := cascadeParents(ladder, true); p[2] != 0 || p[3] != 1 {
		t.Fatalf("cascade parents %v, want the 128x72 renditions to scale from the 256x144 ones", p)
	}
	s := newTestSession(t, Options{Renditions: ladder})
	next := make([]time.Duration, len(ladder)) // expected start of the next segment
	for i, seg := range segs {
		res, err := s.Transcode(context.Background(), Input{Data: seg})
		if err != nil {
			t.Fatalf("segment %d: %v", i, err)
		}
		if res.DecodedFrames != perSegment {
			t.Fatalf("segment %d: decoded %d frames, want %d", i, res.DecodedFrames, perSegment)
		}
		for j, r := range res.Renditions {
			fps := ladder[j].FPS.Num
			want := int64(perSegment * fps / 30)
			info, err := Probe(Input{Data: r.Data})
			if err != nil {
				t.Fatalf("segment %d %s: %v", i, r.Name, err)
			}
			if r.Frames != want || info.Video.Frames != want {
				t.Errorf("segment %d %s: %d frames (file %d), want %d", i, r.Name, r.Frames, info.Video.Frames, want)
			}
			// One 90 kHz tick of rounding is allowed.
			const tick = time.Second / 90000
			if d := info.Video.Duration - 2*time.Second; d > tick || d < -tick || r.Duration != 2*time.Second {
				t.Errorf("segment %d %s: duration %v (result %v), want 2s", i, r.Name, info.Video.Duration, r.Duration)
			}
			if d := info.Video.FirstPTS - next[j]; i > 0 && (d > tick || d < -tick) {
				t.Errorf("segment %d %s starts at %v, want %v (previous end)", i, r.Name, info.Video.FirstPTS, next[j])
			}
			next[j] = info.Video.FirstPTS + info.Video.Duration
		}
	}
}
