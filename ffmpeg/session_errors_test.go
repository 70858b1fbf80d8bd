package ffmpeg

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/asticode/go-astiav"
)

// remuxTS copies the streams of a generated MPEG-TS segment into a new one,
// keeping the packets keep accepts (nil keeps all) and only audio when
// audioOnly is set. It builds inputs the generator cannot make directly.
func remuxTS(t testing.TB, data []byte, audioOnly bool, keep func(p *astiav.Packet, video bool) bool) []byte {
	t.Helper()
	isVideo := func(st *astiav.Stream) bool { return st.CodecParameters().MediaType() == astiav.MediaTypeVideo }
	out, err := remuxMPEGTS(t.Context(), data, func(st *astiav.Stream) bool { return !audioOnly || !isVideo(st) },
		func(p *astiav.Packet, in *astiav.Stream) bool { return keep == nil || keep(p, isVideo(in)) })
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSessionTypedErrors feeds generated bad inputs through one session and
// checks each gives its typed error, and that the session then transcodes a
// good segment.
func TestSessionTypedErrors(t *testing.T) {
	quietLibav()
	segs := generate(t, SyntheticSpec{Width: 320, Height: 180, FPS: Rational{30, 1},
		SegmentDuration: 2 * time.Second, Segments: 1, Noise: true, Audio: true})
	good := segs[0]
	garbage := bytes.Repeat([]byte("this is not a video segment. "), 2000)
	noKey := remuxTS(t, good, false, func(p *astiav.Packet, video bool) bool {
		return !video || !p.Flags().Has(astiav.PacketFlagKey)
	})
	audioOnly := remuxTS(t, good, true, nil)
	cases := []struct {
		name   string
		in     Input
		limits Limits
		want   error
	}{
		{name: "empty", in: Input{Data: []byte{}}, want: ErrCorrupt},
		{name: "garbage", in: Input{Data: garbage}, want: ErrCorrupt},
		{name: "truncated to the tables", in: Input{Data: good[:3*188]}, want: ErrNoVideo},
		// A cut segment still gives what it holds: a valid, shorter output.
		{name: "truncated mid segment", in: Input{Data: good[:len(good)/2/188*188+77]}},
		{name: "audio only", in: Input{Data: audioOnly}, want: ErrNoVideo},
		{name: "no keyframe", in: Input{Data: noKey}, want: ErrNoKeyframe},
		{name: "too many bytes", in: Input{Data: good}, limits: Limits{MaxInputBytes: 1000}, want: ErrTooLarge},
		{name: "too many pixels", in: Input{Data: good}, limits: Limits{MaxPixels: 320 * 100}, want: ErrTooLarge},
		{name: "too long", in: Input{Data: good}, limits: Limits{MaxDuration: time.Second}, want: ErrTooLong},
		{name: "unknown format hint", in: Input{Data: good, FormatHint: "nosuchformat"}, want: ErrBadOptions},
	}
	sessions := map[Limits]*Session{}
	for _, tc := range cases {
		s := sessions[tc.limits]
		if s == nil {
			s = newTestSession(t, Options{Renditions: smallLadder()[:1], Limits: tc.limits})
			sessions[tc.limits] = s
		}
		t.Run(tc.name, func(t *testing.T) {
			res, err := s.Transcode(t.Context(), tc.in)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("Transcode: %v", err)
				}
				checkRendition(t, res, res.Renditions[0], smallLadder()[0])
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
			for _, other := range append(inputErrors, ErrBadOptions) {
				if other != tc.want && errors.Is(err, other) {
					t.Errorf("error %v also wraps %v", err, other)
				}
			}
			if tc.limits == (Limits{}) {
				res := transcodeOK(t, s, Input{Data: good})
				checkRendition(t, res, res.Renditions[0], smallLadder()[0])
			}
		})
	}
}

// TestSessionResolutionChange switches the source size (and orientation)
// between segments of one session; every output must have the size fitted
// to its own source, and timestamps must keep increasing.
func TestSessionResolutionChange(t *testing.T) {
	ladder := smallLadder()
	s := newTestSession(t, Options{Renditions: ladder})
	sizes := [][2]int{{640, 360}, {360, 640}, {320, 240}, {640, 360}}
	var lastPTS time.Duration
	for i, sz := range sizes {
		data := generate(t, SyntheticSpec{Width: sz[0], Height: sz[1], FPS: Rational{25, 1},
			SegmentDuration: time.Second, Segments: 1, Noise: true})[0]
		res := transcodeOK(t, s, Input{Data: data})
		if res.SourceWidth != sz[0] || res.SourceHeight != sz[1] {
			t.Fatalf("segment %d: source %dx%d, want %dx%d", i, res.SourceWidth, res.SourceHeight, sz[0], sz[1])
		}
		for j, r := range res.Renditions {
			info := checkRendition(t, res, r, ladder[j])
			if info.Video.FirstPTS <= lastPTS && j == 0 {
				t.Errorf("segment %d starts at %v, previous ended at %v", i, info.Video.FirstPTS, lastPTS)
			}
			if j == 0 {
				lastPTS = info.Video.LastPTS
				t.Log(fmt.Sprintf("segment %d: %dx%d -> %dx%d at %v", i, sz[0], sz[1], r.Width, r.Height, info.Video.FirstPTS))
			}
		}
	}
}
