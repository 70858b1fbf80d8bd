package transcoder

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/opkit-dev/opkit/ffmpeg"
)

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "0.ts")
	if err := writeFileAtomic(path, []byte("first")); err != nil {
		t.Fatal(err)
	}
	if err := writeFileAtomic(path, []byte("second")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "second" {
		t.Errorf("content %q, want the second write", got)
	}
	// A rename that fails (the target is a non-empty directory) leaves the
	// target as it was and no temporary file behind.
	blocked := filepath.Join(dir, "blocked")
	if err := os.MkdirAll(filepath.Join(blocked, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := writeFileAtomic(blocked, []byte("data")); err == nil {
		t.Fatal("writing over a non-empty directory succeeded")
	}
	assertFiles(t, dir, []string{"0.ts", "blocked"})
}

func TestOutputWriterRejects(t *testing.T) {
	if _, err := NewOutputWriter(t.TempDir(), ffmpeg.FormatMPEGTS, nil); err == nil {
		t.Error("empty ladder accepted")
	}
	l := Ladder{{Name: "a", Width: 2, Height: 2, Bitrate: MinBitrate}}
	w, err := NewOutputWriter(t.TempDir(), ffmpeg.FormatMPEGTS, l)
	if err != nil {
		t.Fatal(err)
	}
	res := &ffmpeg.SegmentResult{Renditions: []ffmpeg.RenditionResult{{Name: "other", Data: []byte{1}}}}
	if err := w.WriteSegment(StreamSegment{}, res); err == nil {
		t.Error("a result for a rendition outside the ladder was written")
	}
	// Nothing written: Finish writes no playlists.
	if err := w.Finish(true); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(w.MasterPath()); !os.IsNotExist(err) {
		t.Errorf("master playlist without segments (%v)", err)
	}
}

func TestBitsPerSecondRoundsUp(t *testing.T) {
	if got := bitsPerSecond(1000, 3*time.Second); got != 2667 {
		t.Errorf("1000 bytes over 3 s = %d bit/s, want 2667 (rounded up)", got)
	}
}
