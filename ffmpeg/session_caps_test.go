package ffmpeg

import (
	"errors"
	"testing"
	"time"
)

// millisecondFrames generates n frames at 30 fps and remuxes them so that
// their timestamps are 1 ms apart: n frames in n ms of media, all within
// the duration limit.
func millisecondFrames(t testing.TB, n int) []byte {
	t.Helper()
	seg := generate(t, SyntheticSpec{Width: 128, Height: 72, FPS: Rational{30, 1},
		SegmentDuration: time.Duration(n) * time.Second / 30, Segments: 1})[0]
	out, err := RetimeVideo(t.Context(), seg, time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// capLadder is a pass-through rendition and one at 30 fps.
func capLadder() []RenditionSpec {
	l := smallLadder()
	l[1].FPS = Rational{30, 1}
	return l
}

// wantOnly checks that err wraps want and no other typed input error.
func wantOnly(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("error %v, want %v", err, want)
	}
	for _, other := range inputErrors {
		if other != want && errors.Is(err, other) {
			t.Errorf("error %v also wraps %v", err, other)
		}
	}
}

// TestSessionFrameRateCap feeds 600 frames 1 ms apart: the session refuses
// them with ErrTooManyFrames after a few frames instead of encoding 600,
// and transcodes the next good segment. With the cap raised to 1000/s the
// same segment passes and the 30 fps rendition still encodes at most 30
// frames per second of media.
func TestSessionFrameRateCap(t *testing.T) {
	burst := millisecondFrames(t, 600)
	good := generate(t, SyntheticSpec{Width: 320, Height: 180, FPS: Rational{30, 1},
		SegmentDuration: time.Second, Segments: 1, Noise: true})[0]
	ladder := capLadder()
	s := newTestSession(t, Options{Renditions: ladder, Preset: "ultrafast"})
	start := time.Now()
	res, err := s.Transcode(t.Context(), Input{Data: burst})
	if err == nil {
		t.Fatalf("600 frames in 600 ms accepted: %d and %d frames encoded", res.Renditions[0].Frames, res.Renditions[1].Frames)
	}
	wantOnly(t, err, ErrTooManyFrames)
	t.Logf("refused in %v: %v", time.Since(start), err)
	for i := range 2 { // the session stays usable, and refuses again
		r := transcodeOK(t, s, Input{Data: good})
		checkRendition(t, r, r.Renditions[0], ladder[0])
		_, err = s.Transcode(t.Context(), Input{Data: burst})
		if !errors.Is(err, ErrTooManyFrames) {
			t.Fatalf("round %d: %v, want ErrTooManyFrames", i, err)
		}
	}

	raised := newTestSession(t, Options{Renditions: ladder, Preset: "ultrafast", Limits: Limits{MaxFrameRate: 1000}})
	r := transcodeOK(t, raised, Input{Data: burst})
	if r.DecodedFrames != 600 || r.Renditions[0].Frames != 600 {
		t.Errorf("cap 1000/s: decoded %d, pass-through encoded %d, want 600", r.DecodedFrames, r.Renditions[0].Frames)
	}
	if f := r.Renditions[1].Frames; f > 30*600/1000+2 {
		t.Errorf("30 fps rendition of 600 ms encoded %d frames", f)
	}
}

// TestSessionOutputBytesCap: renditions that outgrow MaxOutputBytes fail
// with ErrOutputTooLarge, and the session then transcodes a segment whose
// renditions fit.
func TestSessionOutputBytesCap(t *testing.T) {
	big := generate(t, SyntheticSpec{Width: 320, Height: 180, FPS: Rational{30, 1},
		SegmentDuration: 2 * time.Second, Segments: 1, Noise: true})[0]
	small := generate(t, SyntheticSpec{Width: 160, Height: 90, FPS: Rational{30, 1},
		SegmentDuration: 200 * time.Millisecond, Segments: 1})[0]
	ladder := smallLadder()
	s := newTestSession(t, Options{Renditions: ladder, Preset: "ultrafast", Limits: Limits{MaxOutputBytes: 96 << 10}})
	for i := range 2 {
		res, err := s.Transcode(t.Context(), Input{Data: big})
		if err == nil {
			t.Fatalf("round %d: %d + %d output bytes accepted, limit %d", i, res.Renditions[0].Bytes, res.Renditions[1].Bytes, 96<<10)
		}
		wantOnly(t, err, ErrOutputTooLarge)
		r := transcodeOK(t, s, Input{Data: small})
		checkRendition(t, r, r.Renditions[0], ladder[0])
	}
}
