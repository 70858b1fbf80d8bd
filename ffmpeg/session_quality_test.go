package ffmpeg

import (
	"testing"
	"time"
)

// TestSessionQuality checks the picture of real content: each rendition of
// kryp-1.ts (1280x720) against the source scaled to its size must clear a
// PSNR floor, measured by libavfilter's psnr filter. Floors: 720p at
// 3000 kb/s >= 40 dB, 360p at 800 kb/s >= 34 dB (measured: 45.5 and 38.9).
func TestSessionQuality(t *testing.T) {
	src := sharedMedia(t, "kryp-1.ts")
	ladder := []RenditionSpec{
		{Name: "720p", Width: 1280, Height: 720, Bitrate: 3_000_000, GOP: time.Second, Profile: "high"},
		{Name: "360p", Width: 640, Height: 360, Bitrate: 800_000, GOP: time.Second, Profile: "high"},
	}
	floors := []float64{40, 34}
	s := newTestSession(t, Options{Renditions: ladder})
	res := transcodeOK(t, s, Input{Path: src})
	for i, r := range res.Renditions {
		checkRendition(t, res, r, ladder[i])
		q, err := PSNR(Input{Path: src}, Input{Data: r.Data})
		if err != nil {
			t.Fatalf("%s: PSNR: %v", r.Name, err)
		}
		t.Logf("%s: PSNR Y %.2f dB (avg %.2f, worst frame %.2f) over %d frames, %d bytes",
			r.Name, q.Y, q.Avg, q.MinY, q.Frames, r.Bytes)
		if q.Y < floors[i] {
			t.Errorf("%s: PSNR Y %.2f dB below the %.0f dB floor", r.Name, q.Y, floors[i])
		}
		if int64(q.Frames) != r.Frames {
			t.Errorf("%s: PSNR compared %d frames of %d", r.Name, q.Frames, r.Frames)
		}
	}
}
