package ffmpeg

import (
	"context"
	"errors"
	"testing"
	"time"
)

// libav logs only errors in this package's tests (x264 is chatty).
func init() { SetLogLevel(LogError) }

// generate runs GenerateSegments and collects the segments.
func generate(t testing.TB, spec SyntheticSpec) [][]byte {
	t.Helper()
	var segs [][]byte
	err := GenerateSegments(context.Background(), spec, func(i int, seg []byte) error {
		if i != len(segs) {
			t.Fatalf("segment %d emitted after %d segments", i, len(segs))
		}
		segs = append(segs, seg)
		return nil
	})
	if err != nil {
		t.Fatalf("GenerateSegments(%+v): %v", spec, err)
	}
	return segs
}

func TestGenerateSegments(t *testing.T) {
	tests := []struct {
		name string
		spec SyntheticSpec
	}{
		{"video only 25fps", SyntheticSpec{Width: 320, Height: 180, FPS: Rational{25, 1},
			SegmentDuration: time.Second, Segments: 3, Noise: true, Seed: 1}},
		{"with audio 30fps", SyntheticSpec{Width: 256, Height: 144, FPS: Rational{30, 1},
			SegmentDuration: 2 * time.Second, Segments: 2, Audio: true}},
		{"ntsc rate portrait", SyntheticSpec{Width: 144, Height: 256, FPS: Rational{30000, 1001},
			SegmentDuration: time.Second, Segments: 2, Noise: true, Audio: true, Seed: 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := tt.spec
			segs := generate(t, spec)
			if len(segs) != spec.Segments {
				t.Fatalf("got %d segments, want %d", len(segs), spec.Segments)
			}
			segFr := spec.SegmentFrames()
			// The expected frame count computed independently of SegmentFrames.
			wantFr := int64(spec.SegmentDuration.Seconds()*float64(spec.FPS.Num)/float64(spec.FPS.Den) + 0.5)
			if int64(segFr) != wantFr {
				t.Fatalf("SegmentFrames = %d, want %d", segFr, wantFr)
			}
			frameDur := time.Duration(float64(time.Second) * float64(spec.FPS.Den) / float64(spec.FPS.Num))
			for i, seg := range segs {
				info, err := Probe(Input{Data: seg})
				if err != nil {
					t.Fatalf("segment %d: Probe: %v", i, err)
				}
				v := info.Video
				if info.Format != "mpegts" || v.Codec != "h264" || v.Width != spec.Width || v.Height != spec.Height || v.PixFmt != "yuv420p" {
					t.Fatalf("segment %d: %s %s %dx%d %s, want mpegts h264 %dx%d yuv420p",
						i, info.Format, v.Codec, v.Width, v.Height, v.PixFmt, spec.Width, spec.Height)
				}
				if v.Frames != wantFr {
					t.Errorf("segment %d: %d frames, want %d", i, v.Frames, wantFr)
				}
				if !v.StartsWithKeyframe || v.Keyframes != 1 {
					t.Errorf("segment %d: starts with keyframe %v, %d keyframes; want true, 1", i, v.StartsWithKeyframe, v.Keyframes)
				}
				wantFirst := SyntheticStart + time.Duration(float64(i)*float64(wantFr)*float64(frameDur))
				if d := v.FirstPTS - wantFirst; d < -time.Millisecond || d > time.Millisecond {
					t.Errorf("segment %d: first pts %v, want %v", i, v.FirstPTS, wantFirst)
				}
				wantLast := wantFirst + time.Duration(float64(wantFr-1)*float64(frameDur))
				if d := v.LastPTS - wantLast; d < -time.Millisecond || d > time.Millisecond {
					t.Errorf("segment %d: last pts %v, want %v", i, v.LastPTS, wantLast)
				}
				checkSyntheticAudio(t, i, spec, info)
			}
		})
	}
}

func checkSyntheticAudio(t *testing.T, i int, spec SyntheticSpec, info *MediaInfo) {
	t.Helper()
	if !spec.Audio {
		if info.Audio != nil {
			t.Errorf("segment %d: unexpected audio stream %+v", i, info.Audio)
		}
		return
	}
	a := info.Audio
	if a == nil || a.Codec != "aac" || a.SampleRate != 48000 || a.Channels != 2 || a.Frames == 0 {
		t.Fatalf("segment %d: audio %+v, want aac 48000 Hz stereo with packets", i, a)
	}
	// The audio covers the segment's span to within one AAC frame (and the
	// encoder's priming in the first segment).
	segDur := time.Duration(float64(spec.SegmentFrames()) * float64(time.Second) * float64(spec.FPS.Den) / float64(spec.FPS.Num))
	const aacFrame = 1024 * time.Second / 48000
	if d := a.Duration - segDur; d < -2*aacFrame || d > 2*aacFrame {
		t.Errorf("segment %d: audio duration %v, want about %v", i, a.Duration, segDur)
	}
}

func TestGenerateSegmentsContinuity(t *testing.T) {
	spec := SyntheticSpec{Width: 192, Height: 108, FPS: Rational{24, 1}, SegmentDuration: 500 * time.Millisecond, Segments: 4, Audio: true}
	segs := generate(t, spec)
	var prevEnd, prevAudioEnd time.Duration
	for i, seg := range segs {
		info, err := Probe(Input{Data: seg, FormatHint: "mpegts"})
		if err != nil {
			t.Fatalf("segment %d: %v", i, err)
		}
		// One 90 kHz tick of rounding is allowed.
		const tick = time.Second / 90000
		if d := info.Video.FirstPTS - prevEnd; i > 0 && (d > tick || d < -tick) {
			t.Errorf("segment %d starts at %v, previous ended at %v", i, info.Video.FirstPTS, prevEnd)
		}
		if d := info.Audio.FirstPTS - prevAudioEnd; i > 0 && (d > tick || d < -tick) {
			t.Errorf("segment %d audio starts at %v, previous ended at %v", i, info.Audio.FirstPTS, prevAudioEnd)
		}
		prevEnd = info.Video.FirstPTS + info.Video.Duration
		prevAudioEnd = info.Audio.FirstPTS + info.Audio.Duration
	}
}

func TestGenerateSegmentsDeterministic(t *testing.T) {
	spec := SyntheticSpec{Width: 128, Height: 72, FPS: Rational{25, 1}, SegmentDuration: 400 * time.Millisecond, Segments: 1, Noise: true, Seed: 3}
	a, b := generate(t, spec), generate(t, spec)
	if string(a[0]) != string(b[0]) {
		t.Fatal("same spec gave different segments")
	}
	spec.Seed = 4
	if c := generate(t, spec); string(a[0]) == string(c[0]) {
		t.Fatal("different seeds gave the same segment")
	}
}

func TestGenerateSegmentsBadSpec(t *testing.T) {
	good := SyntheticSpec{Width: 320, Height: 180, FPS: Rational{30, 1}, SegmentDuration: time.Second, Segments: 1}
	tests := []struct {
		name  string
		edit  func(*SyntheticSpec)
		field string
	}{
		{"zero width", func(s *SyntheticSpec) { s.Width = 0 }, "size"},
		{"odd height", func(s *SyntheticSpec) { s.Height = 181 }, "size"},
		{"huge", func(s *SyntheticSpec) { s.Width = 10000 }, "size"},
		{"zero fps", func(s *SyntheticSpec) { s.FPS = Rational{} }, "fps"},
		{"negative den", func(s *SyntheticSpec) { s.FPS = Rational{30, -1} }, "fps"},
		{"fps too high", func(s *SyntheticSpec) { s.FPS = Rational{1000, 1} }, "fps"},
		{"no duration", func(s *SyntheticSpec) { s.SegmentDuration = 0 }, "segment duration"},
		{"shorter than a frame", func(s *SyntheticSpec) { s.SegmentDuration = time.Millisecond }, "segment duration"},
		{"no segments", func(s *SyntheticSpec) { s.Segments = 0 }, "segments"},
		{"negative bitrate", func(s *SyntheticSpec) { s.Bitrate = -1 }, "bitrate"},
		{"vp9 source", func(s *SyntheticSpec) { s.Codec = CodecVP9 }, "codec"},
		{"rgb source", func(s *SyntheticSpec) { s.PixFmt = "rgb24" }, "pixel format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := good
			tt.edit(&spec)
			err := GenerateSegments(context.Background(), spec, func(int, []byte) error {
				t.Fatal("emit called for an invalid spec")
				return nil
			})
			var se *SpecError
			if !errors.Is(err, ErrBadOptions) || !errors.As(err, &se) || se.Field != tt.field {
				t.Fatalf("err = %v, want SpecError on %q wrapping ErrBadOptions", err, tt.field)
			}
		})
	}
}

// TestGenerateSegmentsFormats makes 10-bit H.264 (High 10) and HEVC
// (Main 10) sources, each segment decodable on its own.
func TestGenerateSegmentsFormats(t *testing.T) {
	for _, tt := range []struct {
		codec       Codec
		pixFmt      string
		wantCodec   string
		wantProfile string
	}{
		{CodecH264, "yuv420p10le", "h264", "High 10"},
		{CodecHEVC, "yuv420p10le", "hevc", "Main 10"},
		{CodecHEVC, "", "hevc", "Main"},
	} {
		t.Run(string(tt.codec)+"/"+tt.pixFmt, func(t *testing.T) {
			segs := generate(t, SyntheticSpec{Width: 320, Height: 180, FPS: Rational{30, 1}, SegmentDuration: 500 * time.Millisecond,
				Segments: 2, Codec: tt.codec, PixFmt: tt.pixFmt})
			want := tt.pixFmt
			if want == "" {
				want = "yuv420p"
			}
			for i, seg := range segs {
				info, err := Probe(Input{Data: seg})
				if err != nil {
					t.Fatalf("segment %d: %v", i, err)
				}
				v := info.Video
				if v.Codec != tt.wantCodec || v.Profile != tt.wantProfile || v.PixFmt != want || v.Frames != 15 || !v.StartsWithKeyframe {
					t.Fatalf("segment %d: %s %s %s, %d frames, keyframe first %v; want %s %s %s, 15, true",
						i, v.Codec, v.Profile, v.PixFmt, v.Frames, v.StartsWithKeyframe, tt.wantCodec, tt.wantProfile, want)
				}
			}
		})
	}
}

func TestGenerateSegmentsStops(t *testing.T) {
	spec := SyntheticSpec{Width: 128, Height: 72, FPS: Rational{25, 1}, SegmentDuration: 200 * time.Millisecond, Segments: 50}
	t.Run("emit error", func(t *testing.T) {
		stop := errors.New("stop")
		n := 0
		err := GenerateSegments(context.Background(), spec, func(int, []byte) error {
			n++
			return stop
		})
		if !errors.Is(err, stop) || n != 1 {
			t.Fatalf("err = %v after %d emits, want stop after 1", err, n)
		}
	})
	t.Run("context cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		n := 0
		err := GenerateSegments(ctx, spec, func(int, []byte) error {
			n++
			cancel()
			return nil
		})
		if !errors.Is(err, context.Canceled) || n != 1 {
			t.Fatalf("err = %v after %d emits, want context.Canceled after 1", err, n)
		}
	})
}

// BenchmarkGenerateSegment720p measures one 2 s 720p30 noisy segment with
// audio, the bench harness's default input.
func BenchmarkGenerateSegment720p(b *testing.B) {
	spec := SyntheticSpec{Width: 1280, Height: 720, FPS: Rational{30, 1}, SegmentDuration: 2 * time.Second,
		Segments: 1, Noise: true, Audio: true}
	var bytes int
	for b.Loop() {
		seg, err := GenerateSegment(context.Background(), spec)
		if err != nil {
			b.Fatal(err)
		}
		bytes = len(seg)
	}
	b.ReportMetric(float64(bytes), "bytes/segment")
}
