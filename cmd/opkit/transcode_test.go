package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"
	"go.uber.org/zap/zaptest/observer"

	"github.com/opkit-dev/opkit/ffmpeg"
	"github.com/opkit-dev/opkit/transcoder"
	"github.com/opkit-dev/opkit/transcoder/hls"
)

// runOpkit runs the CLI in-process and returns what it printed on stdout,
// and the error main would print as "opkit: <err>".
func runOpkit(t *testing.T, args ...string) (string, error) {
	t.Helper()
	app := newApp()
	var stdout, stderr bytes.Buffer
	app.Writer, app.ErrWriter = &stdout, &stderr
	err := app.RunContext(context.Background(), append([]string{"opkit", "--log-level", "warn"}, args...))
	return stdout.String(), err
}

// findSharedMedia returns the path of a file in ../shared/media next to
// the repository root (the directory holding go.mod).
func findSharedMedia(name string) (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the test directory")
		}
		dir = parent
	}
	p := filepath.Join(dir, "..", "shared", "media", name)
	if _, err := os.Stat(p); err != nil {
		return "", err
	}
	return p, nil
}

// sharedMedia returns the path of a shared test media file, or skips the
// test when it is absent.
func sharedMedia(t *testing.T, name string) string {
	t.Helper()
	p, err := findSharedMedia(name)
	if err != nil {
		t.Skipf("shared test media %s absent (%v); skipping", name, err)
	}
	return p
}

func TestTranscodeAndTestsrcFlagsHaveOneEnvVar(t *testing.T) {
	checkEnvPrefix(t, "OPKIT_TRANSCODE_", transcodeFlags(defaultTranscodeConfig()))
	checkEnvPrefix(t, "OPKIT_TESTSRC_", testsrcFlags(defaultTestsrcConfig()))
}

func TestTranscodeConfigValidate(t *testing.T) {
	good := defaultTranscodeConfig()
	good.in, good.out = "in.ts", "out"
	if err := good.Validate(); err != nil {
		t.Fatalf("defaults with --in and --out: %v", err)
	}
	if l, err := good.loadLadder(); err != nil || len(l) != 2 {
		t.Fatalf("default ladder: %v, %v", l, err)
	}
	tests := []struct {
		name string
		edit func(*transcodeConfig)
		want string
	}{
		{"no input", func(c *transcodeConfig) { c.in = "" }, "--in is required"},
		{"no output", func(c *transcodeConfig) { c.out = "" }, "--out is required"},
		{"two ladders", func(c *transcodeConfig) { c.ladder, c.ladderFile = "bench", "l.json" }, "at most one"},
		{"bad preset", func(c *transcodeConfig) { c.preset = "fastest" }, "--preset"},
		{"bad format", func(c *transcodeConfig) { c.format = "webm" }, "--format"},
		{"bad audio", func(c *transcodeConfig) { c.audio = "opus" }, "--audio"},
		{"bad gpu list", func(c *transcodeConfig) { c.nvidia = "0,x" }, "--nvidia"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good
			tt.edit(&c)
			if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v, want an error about %s", err, tt.want)
			}
		})
	}
	vp9 := good
	vp9.ladderFile = filepath.Join(t.TempDir(), "vp9.json")
	if err := os.WriteFile(vp9.ladderFile, []byte(`[{"name":"v","width":640,"height":360,"bitrate":"1M","encoder":"VP9"}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := vp9.loadLadder(); err == nil || !strings.Contains(err.Error(), "--format mp4") {
		t.Errorf("VP9 ladder with mpegts output: %v", err)
	}
}

func TestTranscodeEnvVarFillsConfig(t *testing.T) {
	t.Setenv("OPKIT_TRANSCODE_PRESET", "fastest")
	_, err := runOpkit(t, "transcode", "--in", "x.ts", "--out", t.TempDir())
	if exitCode(err) != 2 || !strings.Contains(fmt.Sprint(err), `--preset "fastest"`) {
		t.Fatalf("err = %v (exit %d), want exit 2 naming the preset from the environment", err, exitCode(err))
	}
}

// testsrc writes n one-second 320x180 segments with opkit testsrc and
// returns the playlist path.
func testsrc(t *testing.T, n int, size string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "src")
	stdout, err := runOpkit(t, "testsrc", "--out", dir, "--segs", fmt.Sprint(n), "--size", size, "--fps", "30", "--seg-duration", "1s")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, transcoder.PlaylistName)
	if strings.TrimSpace(stdout) != path {
		t.Errorf("testsrc printed %q, want the playlist path %s", stdout, path)
	}
	return path
}

func TestTestsrcWritesPlayableStream(t *testing.T) {
	path := testsrc(t, 2, "320x180")
	segs, err := transcoder.PlaylistSegments(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(segs) != 2 {
		t.Fatalf("%d segments, want 2", len(segs))
	}
	var lastEnd time.Duration
	for i, s := range segs {
		info, err := ffmpeg.Probe(s.Input)
		if err != nil {
			t.Fatal(err)
		}
		v := info.Video
		if v.Codec != "h264" || v.Width != 320 || v.Height != 180 || v.Frames != 30 || !v.StartsWithKeyframe || v.Keyframes != 1 {
			t.Errorf("segment %d: %s %dx%d, %d frames, %d keyframes, starts with keyframe %v; want h264 320x180, 30 frames, one IDR first",
				i, v.Codec, v.Width, v.Height, v.Frames, v.Keyframes, v.StartsWithKeyframe)
		}
		if s.Declared != time.Second || v.Duration != time.Second {
			t.Errorf("segment %d: playlist says %v, file lasts %v; want 1s", i, s.Declared, v.Duration)
		}
		if info.Audio == nil || info.Audio.Codec != "aac" {
			t.Errorf("segment %d: audio %+v, want AAC", i, info.Audio)
		}
		if i > 0 && v.FirstPTS != lastEnd {
			t.Errorf("segment %d starts at %v, the previous one ended at %v", i, v.FirstPTS, lastEnd)
		}
		lastEnd = v.FirstPTS + v.Duration
	}
	if _, err := runOpkit(t, "testsrc", "--out", t.TempDir(), "--size", "321x180"); exitCode(err) != 2 {
		t.Errorf("odd size: err = %v, want exit 2", err)
	}
}

func TestTranscodeTestsrcPlaylistWithLadderFile(t *testing.T) {
	in := testsrc(t, 2, "320x180")
	ladderFile := filepath.Join(t.TempDir(), "ladder.json")
	ladderJSON := `[
	  {"name": "360p", "width": 640, "height": 360, "bitrate": "600k", "gop": 1, "profile": "high"},
	  {"name": "144p", "width": 256, "height": 144, "bitrate": "150k", "fps": "15", "gop": "intra"}
	]`
	if err := os.WriteFile(ladderFile, []byte(ladderJSON), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	stdout, err := runOpkit(t, "transcode", "--in", in, "--out", out, "--ladder-file", ladderFile, "--preset", "ultrafast", "--json")
	if err != nil {
		t.Fatal(err)
	}
	rep := decodeReport(t, stdout)
	checkTranscodeOutput(t, rep, out, []string{"360p", "144p"}, map[string]bool{"360p": true}, 2)
	for _, s := range rep.Segments {
		r := s.Renditions[1]
		if r.Frames != s.DecodedFrames/2 {
			t.Errorf("segment %d 144p at 15 fps: %d frames from %d at 30 fps", s.Seq, r.Frames, s.DecodedFrames)
		}
		info, err := ffmpeg.Probe(ffmpeg.Input{Path: r.Path})
		if err != nil {
			t.Fatal(err)
		}
		if info.Video.Keyframes != info.Video.Frames {
			t.Errorf("segment %d 144p (gop intra): %d keyframes of %d frames", s.Seq, info.Video.Keyframes, info.Video.Frames)
		}
	}
}

func TestTranscodeKrypPlaylist(t *testing.T) {
	k1, k2 := sharedMedia(t, "kryp-1.ts"), sharedMedia(t, "kryp-2.ts")
	dir := t.TempDir()
	in := filepath.Join(dir, "kryp.m3u8")
	pl := fmt.Sprintf("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:1.166,\n%s\n#EXTINF:1.166,\n%s\n#EXT-X-ENDLIST\n", k1, k2)
	if err := os.WriteFile(in, []byte(pl), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	stdout, err := runOpkit(t, "transcode", "--in", in, "--out", out,
		"--ladder", transcoder.P360p30fps16x9+","+transcoder.P240p30fps16x9, "--preset", "ultrafast", "--json")
	if err != nil {
		t.Fatal(err)
	}
	rep := decodeReport(t, stdout)
	checkTranscodeOutput(t, rep, out, []string{transcoder.P360p30fps16x9, transcoder.P240p30fps16x9}, nil, 2)
	// One session: the second segment's output continues the first's clock.
	for _, name := range []string{transcoder.P360p30fps16x9, transcoder.P240p30fps16x9} {
		a, err := ffmpeg.Probe(ffmpeg.Input{Path: filepath.Join(out, name, "0.ts")})
		if err != nil {
			t.Fatal(err)
		}
		b, err := ffmpeg.Probe(ffmpeg.Input{Path: filepath.Join(out, name, "1.ts")})
		if err != nil {
			t.Fatal(err)
		}
		if gap := b.Video.FirstPTS - (a.Video.LastPTS); gap <= 0 || gap > 100*time.Millisecond {
			t.Errorf("%s: segment 1 starts %v after segment 0's last frame, want one frame later", name, gap)
		}
	}
}

func decodeReport(t *testing.T, stdout string) transcoder.StreamReport {
	t.Helper()
	var rep transcoder.StreamReport
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("--json output: %v\n%s", err, stdout)
	}
	return rep
}

// checkTranscodeOutput re-opens every output the report names with
// ffmpeg.Probe and checks it, the media playlists and the master playlist.
// passThrough names the renditions at the source frame rate, which keep
// every decoded frame.
func checkTranscodeOutput(t *testing.T, rep transcoder.StreamReport, out string, names []string, passThrough map[string]bool, segs int) {
	t.Helper()
	if !rep.Complete || len(rep.Segments) != segs || rep.Master != filepath.Join(out, transcoder.PlaylistName) {
		t.Fatalf("report: complete %v, %d segments, master %q", rep.Complete, len(rep.Segments), rep.Master)
	}
	for i, s := range rep.Segments {
		if s.Seq != i || len(s.Renditions) != len(names) || s.DecodedFrames == 0 {
			t.Fatalf("segment %d: %+v", i, s)
		}
		for j, r := range s.Renditions {
			checkRenditionFile(t, s, r, names[j], passThrough[names[j]])
		}
	}
	master := readPlaylistFile(t, rep.Master)
	if master.Kind != hls.MasterPlaylist || len(master.Variants) != len(names) {
		t.Fatalf("master playlist: %+v", master)
	}
	for j, name := range names {
		v := master.Variants[j]
		first := rep.Segments[0].Renditions[j]
		if v.URI != name+"/"+transcoder.PlaylistName || v.Width != first.Width || v.Height != first.Height || v.Bandwidth <= 0 || !strings.HasPrefix(v.Codecs, "avc1.") {
			t.Errorf("variant %d: %+v; want %s/%s at the output's %dx%d with a bandwidth and CODECS", j, v, name, transcoder.PlaylistName, first.Width, first.Height)
		}
		media := readPlaylistFile(t, filepath.Join(out, name, transcoder.PlaylistName))
		if !media.Ended || len(media.Segments) != segs {
			t.Fatalf("%s media playlist: %+v", name, media)
		}
		var longest float64
		for i, e := range media.Segments {
			r := rep.Segments[i].Renditions[j]
			if e.URI != fmt.Sprintf("%d.ts", i) || abs(e.Duration.Seconds()-r.Duration) > 1e-6 {
				t.Errorf("%s entry %d: %s %v, want %d.ts %vs", name, i, e.URI, e.Duration, i, r.Duration)
			}
			longest = max(longest, e.Duration.Seconds())
		}
		if want := int(longest + 0.999999999); media.TargetDuration != want {
			t.Errorf("%s: EXT-X-TARGETDURATION %d, want %d", name, media.TargetDuration, want)
		}
	}
}

func checkRenditionFile(t *testing.T, s transcoder.SegmentReport, r transcoder.RenditionReport, name string, passThrough bool) {
	t.Helper()
	data, err := os.ReadFile(r.Path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if r.Name != name || hex.EncodeToString(sum[:]) != r.SHA256 || int64(len(data)) != r.Bytes {
		t.Errorf("%s: name %q, hash or size differs from the report", r.Path, r.Name)
	}
	info, err := ffmpeg.Probe(ffmpeg.Input{Path: r.Path})
	if err != nil {
		t.Fatalf("probing %s: %v", r.Path, err)
	}
	v := info.Video
	if v.Codec != "h264" || v.Width != r.Width || v.Height != r.Height || v.Frames != r.Frames {
		t.Errorf("%s: %s %dx%d %d frames; report says %dx%d %d frames", r.Path, v.Codec, v.Width, v.Height, v.Frames, r.Width, r.Height, r.Frames)
	}
	if abs(v.Duration.Seconds()-r.Duration) > 0.001 {
		t.Errorf("%s: lasts %v, report says %vs", r.Path, v.Duration, r.Duration)
	}
	if passThrough && r.Frames != s.DecodedFrames {
		t.Errorf("%s: %d frames of %d decoded at the source rate", r.Path, r.Frames, s.DecodedFrames)
	}
}

func readPlaylistFile(t *testing.T, path string) *hls.Playlist {
	t.Helper()
	pl, err := hls.ParseFile(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return pl
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestTranscodePortraitKeepsOrientation(t *testing.T) {
	in := sharedMedia(t, "portrait.ts")
	out := t.TempDir()
	stdout, err := runOpkit(t, "transcode", "--in", in, "--out", out, "--ladder", transcoder.P240p30fps16x9, "--preset", "ultrafast", "--json")
	if err != nil {
		t.Fatal(err)
	}
	rep := decodeReport(t, stdout)
	s := rep.Segments[0]
	w, h := ffmpeg.FitSize(s.SourceWidth, s.SourceHeight, 426, 240)
	if r := s.Renditions[0]; r.Width != w || r.Height != h || h <= w {
		t.Errorf("portrait %dx%d source gave %dx%d, want %dx%d", s.SourceWidth, s.SourceHeight, r.Width, r.Height, w, h)
	}
	master := readPlaylistFile(t, rep.Master)
	if v := master.Variants[0]; v.Width != w || v.Height != h {
		t.Errorf("master RESOLUTION %dx%d, want %dx%d", v.Width, v.Height, w, h)
	}
}

func TestTranscodeBadInput(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "kryp.ts")
	if err := os.WriteFile(garbage, bytes.Repeat([]byte("not a video "), 200), 0o644); err != nil {
		t.Fatal(err)
	}
	remote := filepath.Join(dir, "remote.m3u8")
	if err := os.WriteFile(remote, []byte("#EXTM3U\n#EXTINF:2,\nhttps://cdn.example/0.ts\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		in     string
		want   error
		prefix string
	}{
		{"garbage", garbage, ffmpeg.ErrCorrupt, "transcode kryp.ts: "},
		{"remote segment", remote, transcoder.ErrRemoteSegment, remote + ": segment 0: "},
		{"absent file", filepath.Join(dir, "absent.ts"), os.ErrNotExist, "input: "},
	}
	if zf, err := findSharedMedia("zero-frame.ts"); err == nil {
		tests = append(tests, struct {
			name   string
			in     string
			want   error
			prefix string
		}{"no video frames", zf, ffmpeg.ErrNoVideo, "transcode zero-frame.ts: "})
	} else {
		t.Logf("shared media zero-frame.ts absent (%v); not testing it", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			_, err := runOpkit(t, "transcode", "--in", tt.in, "--out", out, "--ladder", transcoder.P144p30fps16x9)
			msg := fmt.Sprintf("opkit: %v", err)
			if exitCode(err) != 1 || !errors.Is(err, tt.want) || !strings.HasPrefix(msg, "opkit: "+tt.prefix) || strings.Contains(msg, "\n") {
				t.Fatalf("got %q (exit %d), want one line starting %q wrapping %v", msg, exitCode(err), "opkit: "+tt.prefix, tt.want)
			}
			// Nothing half-done: no segment files, no playlists.
			ents, _ := os.ReadDir(filepath.Join(out, transcoder.P144p30fps16x9))
			if len(ents) != 0 {
				t.Errorf("failed run left %d files", len(ents))
			}
			if _, err := os.Stat(filepath.Join(out, transcoder.PlaylistName)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("failed run wrote a master playlist (%v)", err)
			}
		})
	}
}

func TestTranscodeMP4Output(t *testing.T) {
	in := testsrc(t, 1, "320x180")
	out := t.TempDir()
	stdout, err := runOpkit(t, "transcode", "--in", in, "--out", out, "--ladder", transcoder.P144p30fps16x9, "--format", "mp4", "--audio", "drop", "--preset", "ultrafast", "--json")
	if err != nil {
		t.Fatal(err)
	}
	rep := decodeReport(t, stdout)
	r := rep.Segments[0].Renditions[0]
	if r.Path != filepath.Join(out, transcoder.P144p30fps16x9, "0.mp4") {
		t.Errorf("path %s, want <out>/%s/0.mp4", r.Path, transcoder.P144p30fps16x9)
	}
	info, err := ffmpeg.Probe(ffmpeg.Input{Path: r.Path})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(info.Format, "mp4") || info.Audio != nil || info.Video.Frames != r.Frames {
		t.Errorf("%s: format %s, audio %+v, %d frames; want mp4 without audio, %d frames", r.Path, info.Format, info.Audio, info.Video.Frames, r.Frames)
	}
	if rep.Master != "" {
		t.Errorf("mp4 output names a master playlist %q", rep.Master)
	}
	if _, err := os.Stat(filepath.Join(out, transcoder.PlaylistName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("mp4 output wrote a playlist (%v)", err)
	}
}

// TestTranscodeReportsCPUStages checks that the --json report of the CPU
// path says where each stage ran: a software decoder, no hardware, no GPU
// fallback, swscale and libx264 for every rendition.
func TestTranscodeReportsCPUStages(t *testing.T) {
	in := testsrc(t, 1, "320x180")
	out := t.TempDir()
	stdout, err := runOpkit(t, "transcode", "--in", in, "--out", out, "--ladder", transcoder.P144p30fps16x9, "--preset", "ultrafast", "--json")
	if err != nil {
		t.Fatal(err)
	}
	rep := decodeReport(t, stdout)
	if len(rep.Segments) != 1 {
		t.Fatalf("%d segments, want 1", len(rep.Segments))
	}
	for _, s := range rep.Segments {
		if s.Decoder != "h264" || s.DecoderHW != "" || s.HWFallback != "" {
			t.Errorf("segment %d: decoder %q, decoder_hw %q, hw_fallback %q; want h264 on the CPU, no fallback", s.Seq, s.Decoder, s.DecoderHW, s.HWFallback)
		}
		for _, r := range s.Renditions {
			if r.Encoder != "libx264" || !strings.Contains(r.Filters, "scale=") || strings.Contains(r.Filters, "scale_cuda") {
				t.Errorf("segment %d %s: encoder %q, filters %q; want libx264 after swscale", s.Seq, r.Name, r.Encoder, r.Filters)
			}
		}
	}
	// The fields under their JSON names; hw_fallback and decoder_hw left out.
	var raw struct {
		Segments []map[string]any `json:"segments"`
	}
	if err := json.Unmarshal([]byte(stdout), &raw); err != nil {
		t.Fatal(err)
	}
	seg := raw.Segments[0]
	_, hasHW := seg["decoder_hw"]
	_, hasFallback := seg["hw_fallback"]
	if seg["decoder"] != "h264" || hasHW || hasFallback {
		t.Errorf("segment JSON: decoder %v, decoder_hw present %v, hw_fallback present %v", seg["decoder"], hasHW, hasFallback)
	}
}

// TestTranscodeZeroLatencyKeepsEncodersWarm: with --zero-latency every
// segment after the first reuses the previous one's encoder, the report
// says so, and the outputs check out like any others; without it the
// encoders are re-opened. The preset's graph converts to 30 fps, and an
// fps filter holds a frame, so the graphs are rebuilt either way.
func TestTranscodeZeroLatencyKeepsEncodersWarm(t *testing.T) {
	in := testsrc(t, 3, "320x180")
	for _, zl := range []bool{true, false} {
		out := t.TempDir()
		args := []string{"transcode", "--in", in, "--out", out, "--ladder", transcoder.P144p30fps16x9, "--preset", "ultrafast", "--json"}
		if zl {
			args = append(args, "--zero-latency")
		}
		stdout, err := runOpkit(t, args...)
		if err != nil {
			t.Fatal(err)
		}
		rep := decodeReport(t, stdout)
		checkTranscodeOutput(t, rep, out, []string{transcoder.P144p30fps16x9}, nil, 3)
		for _, s := range rep.Segments {
			for _, r := range s.Renditions {
				if r.WarmGraph || r.WarmEncoder != (zl && s.Seq > 0) {
					t.Errorf("zero latency %v, segment %d: warm graph %v, warm encoder %v", zl, s.Seq, r.WarmGraph, r.WarmEncoder)
				}
			}
		}
	}
}

// TestTranscodeNvidia runs --nvidia 0: on a machine with a usable GPU the
// outputs are checked like the CPU path's, and the report must say that
// NVDEC decoded, scale_cuda scaled and the card's encoder (NVENC where
// ffmpeg.ProbeDevices found it, else libx264) encoded; without one the
// command must fail with one line wrapping ffmpeg.ErrNoGPU, not fall back
// silently.
func TestTranscodeNvidia(t *testing.T) {
	in := testsrc(t, 2, "320x180")
	out := t.TempDir()
	devs, probeErr := ffmpeg.ProbeDevices(context.Background())
	stdout, err := runOpkit(t, "transcode", "--in", in, "--out", out, "--nvidia", "0", "--ladder", "bench", "--json")
	if probeErr != nil {
		t.Logf("no usable GPU here (%v): checking the refusal", probeErr)
		msg := fmt.Sprintf("opkit: %v", err)
		if !errors.Is(err, ffmpeg.ErrNoGPU) || exitCode(err) != 1 || strings.Contains(msg, "\n") {
			t.Fatalf("got %q (exit %d), want one line wrapping ErrNoGPU", msg, exitCode(err))
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	rep := decodeReport(t, stdout)
	names := transcoder.BenchLadder().Names()
	pass := map[string]bool{}
	for _, n := range names {
		pass[n] = true
	}
	checkTranscodeOutput(t, rep, out, names, pass, 2)
	wantEnc := "libx264"
	for _, d := range devs {
		if d.Index == 0 && d.NVENC {
			wantEnc = "h264_nvenc"
		}
	}
	for _, s := range rep.Segments {
		if s.DecoderHW != "cuda" || s.HWFallback != "" {
			t.Errorf("segment %d: decoder %q, decoder_hw %q, hw_fallback %q (%v); want NVDEC (cuda), no fallback",
				s.Seq, s.Decoder, s.DecoderHW, s.HWFallback, s.HWFallback.Err())
		}
		for _, r := range s.Renditions {
			if !strings.Contains(r.Filters, "scale_cuda") || r.Encoder != wantEnc {
				t.Errorf("segment %d %s: filters %q, encoder %q; want scale_cuda and %s", s.Seq, r.Name, r.Filters, r.Encoder, wantEnc)
			}
		}
	}
}

func TestProgressBarAndLogLines(t *testing.T) {
	seg := transcoder.StreamSegment{Index: 1, Name: "1.ts"}
	res := &ffmpeg.SegmentResult{SourceDuration: 2 * time.Second, Wall: time.Second}
	var bar bytes.Buffer
	p := newProgressTo(&bar, true, zaptest.NewLogger(t), 4)
	p.update(transcoder.Progress{Done: 2, Total: 4, Segment: seg, Result: res})
	p.done()
	if got := bar.String(); !strings.HasPrefix(got, "\r[###############---------------] 2/4 segments  ") ||
		!strings.Contains(got, "x real time  1.ts") || !strings.HasSuffix(got, "\n") {
		t.Errorf("bar %q", got)
	}
	core, logs := observer.New(zap.InfoLevel)
	var none bytes.Buffer
	p = newProgressTo(&none, false, zap.New(core), 4)
	p.update(transcoder.Progress{Done: 2, Total: 4, Segment: seg, Result: res})
	p.done()
	if none.Len() != 0 {
		t.Errorf("a bar was drawn off a terminal: %q", none.String())
	}
	entries := logs.FilterMessage("segment done").All()
	if len(entries) != 1 || entries[0].ContextMap()["seg"] != int64(1) || entries[0].ContextMap()["done"] != int64(2) {
		t.Errorf("log lines %+v, want one \"segment done\" with seg=1 done=2", entries)
	}
}
