package ffmpeg

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// ffprobeVideo asks the ffprobe CLI, independently of libav through cgo,
// for the decoded frame count and first/last frame times of a file's first
// video stream.
type ffprobeFacts struct {
	frames, keyframes int64
	first, last       time.Duration
	width, height     int
}

func ffprobeVideo(t *testing.T, path string) ffprobeFacts {
	t.Helper()
	bin, err := exec.LookPath("ffprobe")
	if err != nil {
		t.Skip("ffprobe CLI not installed; it cross-checks Probe")
	}
	out, err := exec.Command(bin, "-v", "error", "-select_streams", "v:0",
		"-show_entries", "frame=key_frame,pts_time,width,height", "-of", "csv=p=0", path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	var f ffprobeFacts
	timed := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Split(line, ",")
		if len(fields) < 4 {
			continue
		}
		f.frames++
		if fields[0] == "1" {
			f.keyframes++
		}
		f.width, _ = strconv.Atoi(fields[2])
		f.height, _ = strconv.Atoi(fields[3])
		pts, err := strconv.ParseFloat(fields[1], 64)
		if err != nil {
			continue // "N/A": a frame without a timestamp
		}
		d := time.Duration(pts * float64(time.Second))
		if timed == 0 || d < f.first {
			f.first = d
		}
		if timed == 0 || d > f.last {
			f.last = d
		}
		timed++
	}
	return f
}

func TestProbeMatchesFFprobe(t *testing.T) {
	for _, name := range []string{"kryp-1.ts", "kryp-2.ts", "portrait.ts", "missing-sei-and-pes.ts", "duplicate-audio-dts.ts", "test.flv"} {
		t.Run(name, func(t *testing.T) {
			path := sharedMedia(t, name)
			want := ffprobeVideo(t, path)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, in := range []Input{{Path: path}, {Data: data}} {
				info, err := Probe(in)
				if err != nil {
					t.Fatalf("Probe(path=%q, %d bytes): %v", in.Path, len(in.Data), err)
				}
				v := info.Video
				if v.Frames != want.frames || v.Keyframes != want.keyframes {
					t.Errorf("frames %d keyframes %d, ffprobe says %d and %d", v.Frames, v.Keyframes, want.frames, want.keyframes)
				}
				if v.Width != want.width || v.Height != want.height {
					t.Errorf("size %dx%d, ffprobe says %dx%d", v.Width, v.Height, want.width, want.height)
				}
				// ffprobe prints microseconds.
				if d := v.FirstPTS - want.first; d < -time.Microsecond || d > time.Microsecond {
					t.Errorf("first pts %v, ffprobe says %v", v.FirstPTS, want.first)
				}
				if d := v.LastPTS - want.last; d < -time.Microsecond || d > time.Microsecond {
					t.Errorf("last pts %v, ffprobe says %v", v.LastPTS, want.last)
				}
				if v.Codec != "h264" || v.Profile == "" || v.PixFmt != "yuv420p" {
					t.Errorf("codec %q profile %q pixfmt %q, want h264, a profile, yuv420p", v.Codec, v.Profile, v.PixFmt)
				}
			}
		})
	}
}

func TestProbeFormatAndAudio(t *testing.T) {
	info, err := Probe(Input{Path: sharedMedia(t, "test.flv")})
	if err != nil {
		t.Fatal(err)
	}
	if info.Format != "flv" || info.Audio == nil || info.Audio.Codec != "aac" || info.Audio.Frames == 0 {
		t.Fatalf("format %q audio %+v, want flv with aac packets", info.Format, info.Audio)
	}
	if info.Duration <= 0 || info.Video.Duration <= 0 || info.Video.Duration > info.Duration+time.Second {
		t.Fatalf("durations: container %v video %v", info.Duration, info.Video.Duration)
	}
}

func TestProbeBadInput(t *testing.T) {
	seg, err := GenerateSegment(context.Background(), SyntheticSpec{Width: 160, Height: 90, FPS: Rational{25, 1}, SegmentDuration: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	garbage := make([]byte, 4096)
	for i := range garbage {
		garbage[i] = byte(i*7 + i>>8)
	}
	tests := []struct {
		name string
		in   func(t *testing.T) Input
		want error
	}{
		{"empty input", func(*testing.T) Input { return Input{} }, ErrBadOptions},
		{"unknown format hint", func(*testing.T) Input { return Input{Data: seg, FormatHint: "nope"} }, ErrBadOptions},
		{"garbage bytes", func(*testing.T) Input { return Input{Data: garbage} }, ErrCorrupt},
		{"wrong format hint", func(*testing.T) Input { return Input{Data: seg, FormatHint: "flv"} }, ErrCorrupt},
		{"missing file", func(t *testing.T) Input { return Input{Path: filepath.Join(t.TempDir(), "x.ts")} }, os.ErrNotExist},
		{"too large", func(*testing.T) Input { return Input{Data: make([]byte, DefaultLimits.MaxInputBytes+1)} }, ErrTooLarge},
		{"only the first packets", func(*testing.T) Input { return Input{Data: seg[:3*188]} }, ErrNoKeyframe},
		{"video stream without frames", func(t *testing.T) Input { return Input{Path: sharedMedia(t, "zero-frame.ts")} }, ErrNoKeyframe},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := Probe(tt.in(t))
			if !errors.Is(err, tt.want) {
				t.Fatalf("Probe = %+v, %v; want an error wrapping %v", info, err, tt.want)
			}
		})
	}
}

func TestProbeTruncatedSegment(t *testing.T) {
	seg, err := GenerateSegment(context.Background(), SyntheticSpec{Width: 160, Height: 90, FPS: Rational{25, 1}, SegmentDuration: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	full, err := Probe(Input{Data: seg})
	if err != nil {
		t.Fatal(err)
	}
	// Cut at a TS packet boundary halfway: fewer frames, but what is there
	// decodes.
	half := len(seg) / 2 / 188 * 188
	info, err := Probe(Input{Data: seg[:half]})
	if err != nil {
		t.Fatalf("Probe(half a segment): %v", err)
	}
	if info.Video.Frames == 0 || info.Video.Frames >= full.Video.Frames {
		t.Fatalf("half a segment gave %d frames, the whole %d", info.Video.Frames, full.Video.Frames)
	}
}

func TestProbeCancelled(t *testing.T) {
	seg, err := GenerateSegment(context.Background(), SyntheticSpec{Width: 160, Height: 90, FPS: Rational{25, 1}, SegmentDuration: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ProbeContext(ctx, Input{Data: seg}); !errors.Is(err, context.Canceled) {
		t.Fatalf("ProbeContext(cancelled) = %v, want context.Canceled", err)
	}
}

// probeErrors are the typed errors Probe may answer bad input with.
var probeErrors = []error{ErrCorrupt, ErrNoVideo, ErrNoKeyframe, ErrUnsupportedCodec, ErrTooLarge, ErrBadOptions}

// FuzzProbe feeds Probe mutated segments: it must never crash or hang, and
// must answer with a consistent MediaInfo or one of its typed errors. Seeds:
// small generated segments and the shared test media (read at test time).
func FuzzProbe(f *testing.F) {
	SetLogLevel(LogQuiet)
	for _, spec := range []SyntheticSpec{
		{Width: 64, Height: 36, FPS: Rational{10, 1}, SegmentDuration: 300 * time.Millisecond, Segments: 1, Audio: true},
		{Width: 48, Height: 64, FPS: Rational{25, 1}, SegmentDuration: 200 * time.Millisecond, Segments: 1, Noise: true},
	} {
		seg, err := GenerateSegment(context.Background(), spec)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(seg)
	}
	for _, name := range []string{"kryp-1.ts", "portrait.ts", "missing-sei-and-pes.ts", "zero-frame.ts", "test.flv", "duplicate-audio-dts.ts"} {
		data, err := os.ReadFile(sharedMediaPath(name))
		if err != nil {
			continue // the generated seeds suffice without the shared media
		}
		// Large files: their first 64 KiB keep mutation fast.
		f.Add(data[:min(len(data), 64<<10)])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := Probe(Input{Data: data})
		if err != nil {
			for _, want := range probeErrors {
				if errors.Is(err, want) {
					return
				}
			}
			t.Fatalf("Probe error %v wraps none of the typed errors", err)
		}
		v := info.Video
		if v == nil || v.Frames <= 0 || v.Width <= 0 || v.Height <= 0 || v.Keyframes > v.Frames || v.LastPTS < v.FirstPTS {
			t.Fatalf("inconsistent MediaInfo without error: %+v video %+v", info, v)
		}
	})
}

// BenchmarkProbe720p measures Probe (demux + full decode) of a 2 s 720p30
// segment held in memory.
func BenchmarkProbe720p(b *testing.B) {
	seg, err := GenerateSegment(context.Background(), SyntheticSpec{Width: 1280, Height: 720, FPS: Rational{30, 1},
		SegmentDuration: 2 * time.Second, Noise: true, Audio: true})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Probe(Input{Data: seg}); err != nil {
			b.Fatal(err)
		}
	}
}
