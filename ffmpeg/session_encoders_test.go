package ffmpeg

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestSessionEncodersAndFormats runs every encoder family, each audio mode
// and both containers, and checks the outputs with Probe.
func TestSessionEncodersAndFormats(t *testing.T) {
	segs := generate(t, SyntheticSpec{Width: 320, Height: 180, FPS: Rational{30, 1},
		SegmentDuration: time.Second, Segments: 2, Noise: true, Audio: true})
	small := func(c Codec) RenditionSpec {
		return RenditionSpec{Name: string(c), Width: 256, Height: 144, Bitrate: 200_000, GOP: time.Second, Codec: c}
	}
	cases := []struct {
		name      string
		opts      Options
		wantAudio string // codec of the output audio, "" for none
	}{
		{name: "h264 ts copy", opts: Options{Renditions: []RenditionSpec{small(CodecH264)}}, wantAudio: "aac"},
		{name: "h264 ts aac", opts: Options{Renditions: []RenditionSpec{small(CodecH264)}, Audio: AudioAAC}, wantAudio: "aac"},
		{name: "h264 ts drop", opts: Options{Renditions: []RenditionSpec{small(CodecH264)}, Audio: AudioDrop}},
		{name: "h264 mp4 b-frames intra", opts: Options{Format: FormatMP4, Renditions: []RenditionSpec{
			{Name: "b", Width: 256, Height: 144, Bitrate: 200_000, GOP: time.Second, BFrames: 2, Profile: "main"},
			{Name: "intra", Width: 256, Height: 144, Bitrate: 400_000, Intra: true},
		}}, wantAudio: "aac"},
		{name: "h264 fps 15", opts: Options{Renditions: []RenditionSpec{
			{Name: "15fps", Width: 256, Height: 144, Bitrate: 200_000, GOP: time.Second, FPS: Rational{15, 1}}}}, wantAudio: "aac"},
		{name: "hevc ts", opts: Options{Renditions: []RenditionSpec{small(CodecHEVC)}}, wantAudio: "aac"},
		{name: "vp9 mp4", opts: Options{Format: FormatMP4, Renditions: []RenditionSpec{small(CodecVP9)}}, wantAudio: "aac"},
		{name: "av1 mp4", opts: Options{Format: FormatMP4, Renditions: []RenditionSpec{small(CodecAV1)}, Audio: AudioAAC}, wantAudio: "aac"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestSession(t, tc.opts)
			var prevLast time.Duration
			for i, seg := range segs {
				res := transcodeOK(t, s, Input{Data: seg})
				for j, r := range res.Renditions {
					spec := tc.opts.Renditions[j]
					info := checkRendition(t, res, r, spec)
					if !spec.FPS.IsZero() {
						want := int64(res.SourceDuration.Seconds()*float64(spec.FPS.Num)/float64(spec.FPS.Den) + 0.5)
						if r.Frames < want-1 || r.Frames > want+1 {
							t.Errorf("%s: %d frames at %d/%d fps over %v", r.Name, r.Frames, spec.FPS.Num, spec.FPS.Den, res.SourceDuration)
						}
					}
					if spec.Intra && info.Video.Keyframes != info.Video.Frames {
						t.Errorf("%s: %d keyframes in %d intra frames", r.Name, info.Video.Keyframes, info.Video.Frames)
					}
					switch {
					case tc.wantAudio == "" && info.Audio != nil:
						t.Errorf("%s: audio %s present, want none", r.Name, info.Audio.Codec)
					case tc.wantAudio != "" && (info.Audio == nil || info.Audio.Codec != tc.wantAudio):
						t.Errorf("%s: audio %+v, want %s", r.Name, info.Audio, tc.wantAudio)
					}
					if j == 0 {
						if i > 0 && info.Video.FirstPTS <= prevLast {
							t.Errorf("segment %d starts at %v, previous ended at %v", i, info.Video.FirstPTS, prevLast)
						}
						prevLast = info.Video.LastPTS
					}
				}
			}
		})
	}
}

// TestSessionCancel checks that a cancelled context stops a segment with
// the context's error and that the session then still works.
func TestSessionCancel(t *testing.T) {
	segs := generate(t, SyntheticSpec{Width: 640, Height: 360, FPS: Rational{30, 1},
		SegmentDuration: 4 * time.Second, Segments: 1, Noise: true})
	s := newTestSession(t, Options{Renditions: smallLadder()})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := s.Transcode(ctx, Input{Data: segs[0]}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled before start: %v", err)
	}
	// Cancel mid-segment: the deadline passes while the segment is decoding.
	ctx, cancel = context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, err := s.Transcode(ctx, Input{Data: segs[0]}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("deadline mid-segment: %v", err)
	}
	res := transcodeOK(t, s, Input{Data: segs[0]})
	checkRendition(t, res, res.Renditions[0], smallLadder()[0])
}

// TestNewSessionOptions checks option validation.
func TestNewSessionOptions(t *testing.T) {
	ok := RenditionSpec{Width: 640, Height: 360, Bitrate: 1e6}
	cases := []struct {
		name string
		opts Options
	}{
		{"no renditions", Options{}},
		{"zero size", Options{Renditions: []RenditionSpec{{Bitrate: 1e6}}}},
		{"no bitrate", Options{Renditions: []RenditionSpec{{Width: 640, Height: 360}}}},
		{"bad fps", Options{Renditions: []RenditionSpec{{Width: 640, Height: 360, Bitrate: 1e6, FPS: Rational{1000, 1}}}}},
		{"bad codec", Options{Renditions: []RenditionSpec{{Width: 640, Height: 360, Bitrate: 1e6, Codec: "mpeg1"}}}},
		{"bad profile", Options{Renditions: []RenditionSpec{{Width: 640, Height: 360, Bitrate: 1e6, Profile: "high10"}}}},
		{"vp9 in ts", Options{Renditions: []RenditionSpec{{Width: 640, Height: 360, Bitrate: 1e6, Codec: CodecVP9}}}},
		{"duplicate names", Options{Renditions: []RenditionSpec{ok, ok}}},
		{"bad preset", Options{Renditions: []RenditionSpec{ok}, Preset: "warp"}},
		{"bad audio", Options{Renditions: []RenditionSpec{ok}, Audio: "mp3"}},
		{"bad format", Options{Renditions: []RenditionSpec{ok}, Format: "avi"}},
		{"negative limits", Options{Renditions: []RenditionSpec{ok}, Limits: Limits{MaxPixels: -1}}},
		{"negative gpu device", Options{Renditions: []RenditionSpec{ok}, UseGPU: true, GPUDevice: -1}},
		{"gpu device without UseGPU", Options{Renditions: []RenditionSpec{ok}, GPUDevice: 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewSession(tc.opts); !errors.Is(err, ErrBadOptions) {
				t.Fatalf("NewSession: %v, want ErrBadOptions", err)
			}
		})
	}
	// Without a usable GPU, asking for one is ErrNoGPU (with one, it opens).
	s, err := NewSession(Options{Renditions: []RenditionSpec{ok}, UseGPU: true})
	switch {
	case err == nil:
		t.Log("a CUDA device is present")
		_ = s.Close()
	case !errors.Is(err, ErrNoGPU):
		t.Fatalf("GPU 0: %v, want ErrNoGPU or success", err)
	}
}

// TestSessionExtremeAspect feeds a 16x2048 source, which fits a 128x72 box
// as a 2-pixel sliver: every encoder must still get a size it accepts.
func TestSessionExtremeAspect(t *testing.T) {
	seg := generate(t, SyntheticSpec{Width: 16, Height: 2048, FPS: Rational{30, 1},
		SegmentDuration: 200 * time.Millisecond, Segments: 1})[0]
	for _, c := range []Codec{CodecH264, CodecHEVC, CodecVP9, CodecAV1} {
		t.Run(string(c), func(t *testing.T) {
			s := newTestSession(t, Options{Format: FormatMP4,
				Renditions: []RenditionSpec{{Name: string(c), Width: 128, Height: 72, Bitrate: 100_000, Codec: c}}})
			res := transcodeOK(t, s, Input{Data: seg})
			r := res.Renditions[0]
			info, err := Probe(Input{Data: r.Data})
			if err != nil {
				t.Fatal(err)
			}
			if info.Video.Width < minOutputSide || info.Video.Height < 72 || info.Video.Frames != res.DecodedFrames {
				t.Errorf("output %dx%d, %d frames of %d", info.Video.Width, info.Video.Height, info.Video.Frames, res.DecodedFrames)
			}
		})
	}
}
