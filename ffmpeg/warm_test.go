package ffmpeg

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/asticode/go-astiav"
)

// warmStream is four consecutive 1 s segments of one 320x240 stream, with
// audio, and two renditions whose GOP (12 frames) does not divide a segment (30).
func warmStream(t *testing.T) ([][]byte, []RenditionSpec) {
	t.Helper()
	segs := generate(t, SyntheticSpec{Width: 320, Height: 240, FPS: Rational{30, 1}, SegmentDuration: time.Second,
		Segments: 4, Noise: true, Audio: true})
	ladder := []RenditionSpec{
		{Name: "240p", Width: 426, Height: 240, Bitrate: 400_000, GOP: 400 * time.Millisecond, Profile: "high"},
		{Name: "144p", Width: 256, Height: 144, Bitrate: 150_000, GOP: 400 * time.Millisecond, Profile: "main"},
	}
	return segs, ladder
}

// firstVideoNALs returns the NAL unit types of the first video packet of an
// MPEG-TS (Annex B) or MP4 (4-byte length prefixes) file, for codec.
func firstVideoNALs(t *testing.T, data []byte, format OutputFormat, codec Codec) []int {
	t.Helper()
	d, err := openInput(context.Background(), Input{Data: data})
	if err != nil {
		t.Fatalf("opening output: %v", err)
	}
	defer d.close()
	pkt := astiav.AllocPacket()
	defer pkt.Free()
	for {
		if err := d.fc.ReadFrame(pkt); err != nil {
			t.Fatalf("no video packet: %v", err)
		}
		st := d.fc.Streams()[pkt.StreamIndex()]
		if st.CodecParameters().MediaType() == astiav.MediaTypeVideo {
			break
		}
		pkt.Unref()
	}
	defer pkt.Unref()
	var units [][]byte
	if format == FormatMP4 {
		units = lengthPrefixed(pkt.Data())
	} else {
		units = annexBUnits(pkt.Data())
	}
	var types []int
	for _, u := range units {
		if len(u) == 0 {
			continue
		}
		if codec == CodecHEVC {
			types = append(types, int(u[0]>>1)&0x3f)
		} else {
			types = append(types, int(u[0])&0x1f)
		}
	}
	return types
}

func annexBUnits(b []byte) [][]byte {
	var out [][]byte
	for _, part := range bytes.Split(b, []byte{0, 0, 1}) {
		part = bytes.TrimRight(part, "\x00")
		if len(part) > 0 {
			out = append(out, part)
		}
	}
	return out
}

func lengthPrefixed(b []byte) [][]byte {
	var out [][]byte
	for len(b) >= 4 {
		n := int(b[0])<<24 | int(b[1])<<16 | int(b[2])<<8 | int(b[3])
		if n <= 0 || n > len(b)-4 {
			break
		}
		out = append(out, b[4:4+n])
		b = b[4+n:]
	}
	return out
}

// startsWithIDR reports whether the NAL types hold an IDR picture before
// any other picture.
func startsWithIDR(types []int, codec Codec) bool {
	for _, nt := range types {
		switch {
		case codec == CodecHEVC && (nt == 19 || nt == 20):
			return true
		case codec == CodecHEVC && nt < 32:
			return false
		case codec != CodecHEVC && nt == 5:
			return true
		case codec != CodecHEVC && nt >= 1 && nt <= 4:
			return false
		}
	}
	return false
}

// checkWarmBoundaries checks what a warm encoder must keep: every output
// segment decodes on its own and starts with an IDR, holds every source
// frame, and starts one frame after the previous one ended; and the
// segments' concatenation decodes as one continuous stream.
func checkWarmBoundaries(t *testing.T, results []*SegmentResult, ladder []RenditionSpec, format OutputFormat) {
	t.Helper()
	frame := time.Second / 30
	for j, spec := range ladder {
		var cat []byte
		var next time.Duration
		var total int64
		for i, res := range results {
			r := res.Renditions[j]
			info := checkRendition(t, res, r, spec)
			if nals := firstVideoNALs(t, r.Data, format, spec.Codec); !startsWithIDR(nals, spec.Codec) {
				t.Errorf("segment %d %s: first packet's NAL types %v, want an IDR first", i, r.Name, nals)
			}
			if d := info.Video.FirstPTS - next; i > 0 && (d > frame/2 || d < -frame/2) {
				t.Errorf("segment %d %s starts at %v, want %v (one frame after the previous)", i, r.Name, info.Video.FirstPTS, next)
			}
			next = info.Video.LastPTS + frame
			total += r.Frames
			cat = append(cat, r.Data...)
		}
		if format != FormatMPEGTS {
			continue
		}
		all, err := Probe(Input{Data: cat})
		if err != nil {
			t.Fatalf("%s: probing the concatenation: %v", spec.Name, err)
		}
		v := all.Video
		want := time.Duration(total) * frame
		if v.Frames != total || v.DecodeErrors != 0 || v.Duration < want-frame || v.Duration > want+frame {
			t.Errorf("%s: concatenation has %d frames (want %d), %d decode errors, lasts %v (want %v)",
				spec.Name, v.Frames, total, v.DecodeErrors, v.Duration, want)
		}
	}
}

func transcodeAll(t *testing.T, s *Session, segs [][]byte) []*SegmentResult {
	t.Helper()
	var out []*SegmentResult
	for _, seg := range segs {
		out = append(out, transcodeOK(t, s, Input{Data: seg}))
	}
	return out
}

// warmFlags is each segment's (graph, encoder) warmth, rendition by
// rendition, as "ge" letters: "GE" both warm, "g-" neither.
func warmFlags(results []*SegmentResult) string {
	var b bytes.Buffer
	for i, res := range results {
		if i > 0 {
			b.WriteByte(' ')
		}
		for _, r := range res.Renditions {
			b.WriteString(map[bool]string{true: "G", false: "g"}[r.WarmGraph])
			b.WriteString(map[bool]string{true: "E", false: "-"}[r.WarmEncoder])
		}
	}
	return b.String()
}

func TestWarmEncoderSegmentBoundaries(t *testing.T) {
	segs, ladder := warmStream(t)
	for _, format := range []OutputFormat{FormatMPEGTS, FormatMP4} {
		t.Run(string(format), func(t *testing.T) {
			s := newTestSession(t, Options{Renditions: ladder, Format: format, ZeroLatency: true})
			results := transcodeAll(t, s, segs)
			if got, want := warmFlags(results), "g-g- GEGE GEGE GEGE"; got != want {
				t.Errorf("warm graph/encoder per segment %q, want %q", got, want)
			}
			checkWarmBoundaries(t, results, ladder, format)
		})
	}
}

func TestWarmHEVCSegmentBoundaries(t *testing.T) {
	if testing.Short() {
		t.Skip("x265; skipped with -short")
	}
	segs, ladder := warmStream(t)
	ladder = ladder[1:]
	ladder[0].Codec, ladder[0].Profile = CodecHEVC, ""
	s := newTestSession(t, Options{Renditions: ladder, ZeroLatency: true, Preset: "ultrafast"})
	results := transcodeAll(t, s, segs)
	if got, want := warmFlags(results), "g- GE GE GE"; got != want {
		t.Errorf("warm graph/encoder per segment %q, want %q", got, want)
	}
	checkWarmBoundaries(t, results, ladder, FormatMPEGTS)
}

// TestWarmWhatCannotStay: libx264 with lookahead holds frames at a segment's
// end and cannot be flushed in libavcodec 5.1, so it is drained and re-opened
// for every segment; an fps filter holds a frame, so its graph is rebuilt;
// Options.Cold keeps nothing. The outputs keep the same boundaries.
func TestWarmWhatCannotStay(t *testing.T) {
	segs, ladder := warmStream(t)
	ladder[1].FPS = Rational{15, 1}
	for _, tc := range []struct {
		name string
		opts Options
		want string
	}{
		{"lookahead", Options{}, "g-g- G-g- G-g- G-g-"},
		{"fps-filter", Options{ZeroLatency: true}, "g-g- GEgE GEgE GEgE"},
		{"cold", Options{ZeroLatency: true, Cold: true}, "g-g- g-g- g-g- g-g-"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := tc.opts
			opts.Renditions = ladder
			s := newTestSession(t, opts)
			results := transcodeAll(t, s, segs)
			if got := warmFlags(results); got != tc.want {
				t.Errorf("warm graph/encoder per segment %q, want %q", got, tc.want)
			}
			checkWarmBoundaries(t, results, ladder[:1], FormatMPEGTS)
		})
	}
}

// TestWarmQualityMatchesCold: a warm encoder's segments are no worse than
// the same encoder re-opened for every segment (its rate control starts
// each segment with the stream's history instead of none).
func TestWarmQualityMatchesCold(t *testing.T) {
	segs, ladder := warmStream(t)
	ladder = ladder[:1]
	psnrOf := func(cold bool) []float64 {
		s := newTestSession(t, Options{Renditions: ladder, ZeroLatency: true, Cold: cold, Audio: AudioDrop})
		var out []float64
		for i, res := range transcodeAll(t, s, segs) {
			p, err := PSNR(Input{Data: segs[i]}, Input{Data: res.Renditions[0].Data})
			if err != nil {
				t.Fatalf("PSNR of segment %d: %v", i, err)
			}
			out = append(out, p.Y)
		}
		return out
	}
	warm, cold := psnrOf(false), psnrOf(true)
	t.Logf("luma PSNR per segment: warm %.2f, cold %.2f", warm, cold)
	for i := range warm {
		if warm[i] < cold[i]-0.5 {
			t.Errorf("segment %d: warm %.2f dB, cold %.2f dB", i, warm[i], cold[i])
		}
	}
}

// TestWarmStateAfterChanges: a failed segment drops what was kept (its
// frames may have reached it), and a source of a new size gets a new graph
// but keeps the encoder when the rendition's size does not change.
func TestWarmStateAfterChanges(t *testing.T) {
	segs, ladder := warmStream(t)
	big := generate(t, SyntheticSpec{Width: 640, Height: 480, FPS: Rational{30, 1}, SegmentDuration: time.Second,
		Segments: 1, Noise: true, Audio: true})[0]
	s := newTestSession(t, Options{Renditions: ladder, ZeroLatency: true})
	var results []*SegmentResult
	results = append(results, transcodeOK(t, s, Input{Data: segs[0]}))
	if _, err := s.Transcode(context.Background(), Input{Data: []byte("not a segment at all")}); err == nil {
		t.Fatal("garbage transcoded without error")
	} else if !IsInputError(err) {
		t.Fatalf("garbage: %v is not an input error", err)
	}
	results = append(results, transcodeOK(t, s, Input{Data: segs[1]}))
	results = append(results, transcodeOK(t, s, Input{Data: big}))
	results = append(results, transcodeOK(t, s, Input{Data: segs[2]}))
	// 640x480 fits to the same 320x240 and 192x144 as 320x240 does: the
	// 240p graph is rebuilt, the 144p one (which scales the 240p
	// pictures) and both encoders stay.
	if got, want := warmFlags(results), "g-g- g-g- gEGE gEGE"; got != want {
		t.Errorf("warm graph/encoder per segment %q, want %q", got, want)
	}
	for i, res := range results {
		for j, r := range res.Renditions {
			checkRendition(t, res, r, ladder[j])
			if nals := firstVideoNALs(t, r.Data, FormatMPEGTS, CodecH264); !startsWithIDR(nals, CodecH264) {
				t.Errorf("segment %d %s: NAL types %v, want an IDR first", i, r.Name, nals)
			}
		}
	}
}

// TestWarmErrorFreesKeptState: a segment failing in the encoders' stage
// (over the output budget) leaves the session usable and cold.
func TestWarmErrorFreesKeptState(t *testing.T) {
	segs, ladder := warmStream(t)
	s := newTestSession(t, Options{Renditions: ladder, ZeroLatency: true})
	transcodeOK(t, s, Input{Data: segs[0]})
	s.opts.Limits.MaxOutputBytes = 1000
	_, err := s.Transcode(context.Background(), Input{Data: segs[1]})
	if !errors.Is(err, ErrOutputTooLarge) {
		t.Fatalf("over the budget: %v, want ErrOutputTooLarge", err)
	}
	if s.warm != nil {
		t.Errorf("warm state kept after a failed segment: %+v", s.warm)
	}
	s.opts.Limits.MaxOutputBytes = DefaultLimits.MaxOutputBytes
	results := transcodeAll(t, s, segs[2:])
	if got, want := warmFlags(results), "g-g- GEGE"; got != want {
		t.Errorf("after the error: %q, want %q", got, want)
	}
}

// TestWarmForcedIDRAtKeyframeInterval: when a segment's first frame falls
// exactly on the GOP (15 frames, 30 per segment), x264's lookahead turns
// the forced IDR into an I picture and its GOP limit makes it an IDR again,
// warning each time. The segments still start with an IDR, and the warning
// reaches the handler as a debug message, not as four warnings a segment.
func TestWarmForcedIDRAtKeyframeInterval(t *testing.T) {
	segs, ladder := warmStream(t)
	for i := range ladder {
		ladder[i].GOP = 500 * time.Millisecond
	}
	rec := withLogHandler(t, LogWarning)
	s := newTestSession(t, Options{Renditions: ladder, ZeroLatency: true})
	results := transcodeAll(t, s, segs)
	if got, want := warmFlags(results), "g-g- GEGE GEGE GEGE"; got != want {
		t.Errorf("warm graph/encoder per segment %q, want %q", got, want)
	}
	checkWarmBoundaries(t, results, ladder, FormatMPEGTS)
	var lowered int
	for _, m := range rec.take() {
		switch {
		case m.class == "libx264" && m.level <= LogWarning:
			t.Errorf("libx264 %v: %s", m.level, m.msg)
		case m.class == "libx264" && x264ForcedIDRAtKeyint.MatchString(m.msg):
			lowered++
		}
	}
	if lowered == 0 {
		t.Error("x264's forced-type warning never came: the GOP did not meet the segment start as planned")
	}
}

func TestLibavLevel(t *testing.T) {
	msg := "forced frame type (1) at 60 was changed to frame type (2)"
	for _, tc := range []struct {
		level      LogLevel
		class, msg string
		want       LogLevel
	}{
		{LogWarning, "libx264", msg, LogDebug},
		{LogWarning, "libx265", msg, LogWarning},
		{LogWarning, "libx264", "forced frame type (1) at 60 was changed to frame type (3)", LogWarning},
		{LogError, "libx264", msg, LogError},
		{LogInfo, "libx264", msg, LogInfo},
	} {
		if got := libavLevel(tc.level, tc.class, tc.msg); got != tc.want {
			t.Errorf("libavLevel(%v, %s, %q) = %v, want %v", tc.level, tc.class, tc.msg, got, tc.want)
		}
	}
}
