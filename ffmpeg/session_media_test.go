package ffmpeg

import (
	"errors"
	"testing"
	"time"
)

// TestSessionConsecutiveSegments feeds kryp-1.ts then kryp-2.ts (whose
// source clocks jump by hours) through one session: every output must be
// valid and the two segments' timestamps continuous and increasing.
func TestSessionConsecutiveSegments(t *testing.T) {
	p1, p2 := sharedMedia(t, "kryp-1.ts"), sharedMedia(t, "kryp-2.ts")
	ladder := smallLadder()
	s := newTestSession(t, Options{Renditions: ladder})
	r1 := transcodeOK(t, s, Input{Path: p1})
	dec := s.dec
	r2 := transcodeOK(t, s, Input{Path: p2})
	if dec == nil || s.dec != dec {
		t.Errorf("decoder not kept warm across segments of one stream (%p, then %p)", dec, s.dec)
	}
	if r1.Seq != 0 || r2.Seq != 1 {
		t.Errorf("seq %d, %d", r1.Seq, r2.Seq)
	}
	for i := range ladder {
		a := checkRendition(t, r1, r1.Renditions[i], ladder[i])
		b := checkRendition(t, r2, r2.Renditions[i], ladder[i])
		frame := r1.SourceDuration / time.Duration(r1.DecodedFrames)
		gap := b.Video.FirstPTS - a.Video.LastPTS
		if gap <= 0 || gap > frame+frame/10 {
			t.Errorf("%s: segment 1 ends at %v, segment 2 starts at %v: gap %v, want one frame (%v)",
				ladder[i].Name, a.Video.LastPTS, b.Video.FirstPTS, gap, frame)
		}
		t.Logf("%s: seg1 %v..%v seg2 %v..%v, %d+%d frames", ladder[i].Name, a.Video.FirstPTS, a.Video.LastPTS,
			b.Video.FirstPTS, b.Video.LastPTS, a.Video.Frames, b.Video.Frames)
	}
}

// TestSessionSharedMedia runs the shared media through one session. Good
// files give valid outputs; bad files give a typed error or a valid output,
// and after each the session still transcodes a good segment.
func TestSessionSharedMedia(t *testing.T) {
	good := sharedMedia(t, "kryp-1.ts")
	ladder := smallLadder()
	s := newTestSession(t, Options{Renditions: ladder})
	cases := []struct {
		file     string
		mayFail  bool
		portrait bool
		audio    bool
	}{
		{file: "portrait.ts", portrait: true},
		{file: "test.flv", audio: true},
		{file: "duplicate-audio-dts.ts", mayFail: true, audio: true},
		{file: "zero-frame.ts", mayFail: true},
		{file: "missing-sei-and-pes.ts", mayFail: true},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			res, err := s.Transcode(t.Context(), Input{Path: sharedMedia(t, tc.file)})
			switch {
			case err != nil && !tc.mayFail:
				t.Fatalf("Transcode: %v", err)
			case err != nil:
				if !IsInputError(err) {
					t.Fatalf("error %v wraps no typed input error", err)
				}
				t.Logf("typed error: %v", err)
			default:
				for i, r := range res.Renditions {
					info := checkRendition(t, res, r, ladder[i])
					if tc.portrait && info.Video.Height <= info.Video.Width {
						t.Errorf("%s: portrait source gave %dx%d", r.Name, info.Video.Width, info.Video.Height)
					}
					if tc.audio && info.Audio == nil {
						t.Errorf("%s: audio was not copied", r.Name)
					}
				}
				t.Logf("ok: %dx%d %d frames %v", res.SourceWidth, res.SourceHeight, res.DecodedFrames, res.SourceDuration)
			}
			after := transcodeOK(t, s, Input{Path: good})
			for i, r := range after.Renditions {
				checkRendition(t, after, r, ladder[i])
			}
		})
	}
}

// TestSessionClosed checks Close is idempotent and ends the session.
func TestSessionClosed(t *testing.T) {
	s := newTestSession(t, Options{Renditions: smallLadder()})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	_, err := s.Transcode(t.Context(), Input{Data: []byte{0x47}})
	if !errors.Is(err, ErrClosed) {
		t.Fatalf("Transcode after Close: %v, want ErrClosed", err)
	}
}

// TestSessionSerialises calls Transcode from several goroutines at once:
// the calls run one after another and all succeed.
func TestSessionSerialises(t *testing.T) {
	seg := generate(t, SyntheticSpec{Width: 160, Height: 90, FPS: Rational{30, 1},
		SegmentDuration: 300 * time.Millisecond, Segments: 1})[0]
	s := newTestSession(t, Options{Renditions: smallLadder()[1:]})
	const n = 4
	seqs := make(chan int, n)
	errs := make(chan error, n)
	for range n {
		go func() {
			res, err := s.Transcode(t.Context(), Input{Data: seg})
			if err != nil {
				errs <- err
				return
			}
			seqs <- res.Seq
		}()
	}
	seen := map[int]bool{}
	for range n {
		select {
		case err := <-errs:
			t.Fatalf("Transcode: %v", err)
		case q := <-seqs:
			if seen[q] {
				t.Errorf("sequence number %d given twice", q)
			}
			seen[q] = true
		}
	}
}
