package ffmpeg

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

var quietOnce sync.Once

// quietLibav keeps libav's own logging to fatal messages: the bad-input
// tests and the fuzzer make it very chatty.
func quietLibav() {
	quietOnce.Do(func() {
		if os.Getenv("OPKIT_LIBAV_LOG") == "" {
			SetLogLevel(LogFatal)
		}
	})
}

// sharedMedia returns the path of a file in the shared test media (outside
// the repository, next to it), or skips the test when it is absent.
func sharedMedia(t testing.TB, name string) string {
	t.Helper()
	p := sharedMediaPath(name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared test media %s not available: %v", p, err)
	}
	return p
}

// sharedMediaPath is ../shared/media/name relative to the directory holding
// go.mod, found by walking up from the working directory.
func sharedMediaPath(name string) string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "media", name)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// newTestSession opens a session closed at the end of the test.
func newTestSession(t testing.TB, opts Options) *Session {
	t.Helper()
	quietLibav()
	s, err := NewSession(opts)
	if err != nil {
		t.Fatalf("NewSession: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// smallLadder is two cheap H.264 renditions.
func smallLadder() []RenditionSpec {
	return []RenditionSpec{
		{Name: "240p", Width: 426, Height: 240, Bitrate: 300_000, GOP: time.Second, Profile: "high"},
		{Name: "144p", Width: 256, Height: 144, Bitrate: 150_000, GOP: time.Second, Profile: "main"},
	}
}

func transcodeOK(t testing.TB, s *Session, in Input) *SegmentResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := s.Transcode(ctx, in)
	if err != nil {
		t.Fatalf("Transcode: %v", err)
	}
	return res
}

// checkRendition re-opens one output with Probe and checks it against what
// the session reported and against the source.
func checkRendition(t testing.TB, res *SegmentResult, r RenditionResult, spec RenditionSpec) *MediaInfo {
	t.Helper()
	info, err := Probe(Input{Data: r.Data})
	if err != nil {
		t.Fatalf("%s: probing output: %v", r.Name, err)
	}
	v := info.Video
	wantW, wantH := FitSize(res.SourceWidth, res.SourceHeight, spec.Width, spec.Height)
	wantCodec := string(spec.Codec)
	if wantCodec == "" {
		wantCodec = "h264"
	}
	if v.Codec != wantCodec || v.Width != wantW || v.Height != wantH {
		t.Errorf("%s: output %s %dx%d, want %s %dx%d", r.Name, v.Codec, v.Width, v.Height, wantCodec, wantW, wantH)
	}
	if r.Width != wantW || r.Height != wantH {
		t.Errorf("%s: result says %dx%d, want %dx%d", r.Name, r.Width, r.Height, wantW, wantH)
	}
	if v.Frames != r.Frames {
		t.Errorf("%s: output has %d frames, result says %d", r.Name, v.Frames, r.Frames)
	}
	if spec.FPS.IsZero() && v.Frames != res.DecodedFrames {
		t.Errorf("%s: %d frames out of %d decoded", r.Name, v.Frames, res.DecodedFrames)
	}
	frame := res.SourceDuration / time.Duration(max(res.DecodedFrames, 1))
	if d := v.Duration - res.SourceDuration; d > frame || d < -frame {
		t.Errorf("%s: output lasts %v, source %v (frame %v)", r.Name, v.Duration, res.SourceDuration, frame)
	}
	if d := r.Duration - v.Duration; d > frame || d < -frame {
		t.Errorf("%s: result says %v, output lasts %v", r.Name, r.Duration, v.Duration)
	}
	if r.Bytes != int64(len(r.Data)) || r.Pixels != r.Frames*int64(r.Width*r.Height) {
		t.Errorf("%s: bytes %d (data %d), pixels %d", r.Name, r.Bytes, len(r.Data), r.Pixels)
	}
	if v.DecodeErrors != 0 || !v.StartsWithKeyframe {
		t.Errorf("%s: %d decode errors, starts with keyframe %v", r.Name, v.DecodeErrors, v.StartsWithKeyframe)
	}
	return info
}
