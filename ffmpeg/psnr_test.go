package ffmpeg

import (
	"context"
	"errors"
	"math"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// psnrSpec is a noisy synthetic segment: encode loss grows quickly as the
// bitrate falls.
func psnrSpec(bitrate int64) SyntheticSpec {
	return SyntheticSpec{Width: 320, Height: 180, FPS: Rational{25, 1}, SegmentDuration: time.Second,
		Segments: 1, Noise: true, Seed: 11, Bitrate: bitrate}
}

func mustSegment(t *testing.T, spec SyntheticSpec) []byte {
	t.Helper()
	seg, err := GenerateSegment(context.Background(), spec)
	if err != nil {
		t.Fatalf("GenerateSegment: %v", err)
	}
	return seg
}

func TestPSNRBitrateOrdering(t *testing.T) {
	ref := mustSegment(t, psnrSpec(20_000_000))
	high := mustSegment(t, psnrSpec(4_000_000))
	low := mustSegment(t, psnrSpec(150_000))

	same, err := PSNR(Input{Data: ref}, Input{Data: ref})
	if err != nil {
		t.Fatal(err)
	}
	if same.Y != MaxPSNR || same.Avg != MaxPSNR || same.MinY != MaxPSNR || same.Frames != 25 {
		t.Fatalf("identical inputs: %+v, want MaxPSNR over 25 frames", same)
	}
	hi, err := PSNR(Input{Data: ref}, Input{Data: high})
	if err != nil {
		t.Fatal(err)
	}
	lo, err := PSNR(Input{Data: ref}, Input{Data: low})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("4 Mb/s: %+v; 150 kb/s: %+v", hi, lo)
	if hi.Y < 35 || hi.Y >= MaxPSNR {
		t.Errorf("4 Mb/s encode: Y PSNR %.2f dB, want a high but finite value", hi.Y)
	}
	if lo.Y >= hi.Y-3 || lo.Avg >= hi.Avg-3 {
		t.Errorf("150 kb/s encode (Y %.2f, avg %.2f) is not clearly worse than 4 Mb/s (Y %.2f, avg %.2f)", lo.Y, lo.Avg, hi.Y, hi.Avg)
	}
	if lo.MinY > lo.Y+0.5 {
		t.Errorf("worst frame %.2f dB above the average %.2f", lo.MinY, lo.Y)
	}
}

func TestPSNRFrameMismatch(t *testing.T) {
	short := mustSegment(t, psnrSpec(0))
	long := psnrSpec(0)
	long.SegmentDuration = 2 * time.Second
	_, err := PSNR(Input{Data: short}, Input{Data: mustSegment(t, long)})
	if !errors.Is(err, ErrFrameMismatch) {
		t.Fatalf("PSNR(25 frames, 50 frames) = %v, want ErrFrameMismatch", err)
	}
}

func TestPSNRBadInput(t *testing.T) {
	seg := mustSegment(t, psnrSpec(0))
	if _, err := PSNR(Input{Data: seg}, Input{Data: []byte("not a video")}); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("distorted garbage: %v, want ErrCorrupt", err)
	}
	if _, err := PSNR(Input{}, Input{Data: seg}); !errors.Is(err, ErrBadOptions) {
		t.Fatalf("empty reference: %v, want ErrBadOptions", err)
	}
}

// TestPSNRScaledFFmpeg checks the scaling path against renditions made by
// the ffmpeg CLI from a real segment, independently of this package.
func TestPSNRScaledFFmpeg(t *testing.T) {
	src := sharedMedia(t, "kryp-1.ts")
	bin, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Skip("ffmpeg CLI not installed; it makes the scaled renditions")
	}
	encode := func(name, size, bitrate string) string {
		out := filepath.Join(t.TempDir(), name)
		cmd := exec.Command(bin, "-v", "error", "-i", src, "-an", "-vf", "scale="+size,
			"-c:v", "libx264", "-preset", "veryfast", "-b:v", bitrate, "-f", "mpegts", out)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("ffmpeg: %v\n%s", err, b)
		}
		return out
	}
	good := encode("good.ts", "640:360", "2M")
	bad := encode("bad.ts", "640:360", "60k")
	g, err := PSNR(Input{Path: src}, Input{Path: good})
	if err != nil {
		t.Fatal(err)
	}
	b, err := PSNR(Input{Path: src}, Input{Path: bad})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("720p→360p at 2 Mb/s: %+v; at 60 kb/s: %+v", g, b)
	if g.Frames != g.RefFrames || g.Y < 30 || b.Y >= g.Y-2 {
		t.Fatalf("scaled PSNR: good %+v, bad %+v", g, b)
	}
	// The ffmpeg CLI's own psnr filter over the same pair agrees.
	cmd := exec.Command(bin, "-hide_banner", "-nostats", "-i", bad, "-i", src, "-lavfi",
		"[1:v]scale=640:360:flags=bicubic,format=yuv420p[r];[0:v]format=yuv420p[d];[d][r]psnr", "-f", "null", "-")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("ffmpeg psnr: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`PSNR y:([0-9.]+) .* average:([0-9.]+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no PSNR line in ffmpeg output:\n%s", out)
	}
	cliY, _ := strconv.ParseFloat(string(m[1]), 64)
	cliAvg, _ := strconv.ParseFloat(string(m[2]), 64)
	if math.Abs(cliY-b.Y) > 0.01 || math.Abs(cliAvg-b.Avg) > 0.01 {
		t.Fatalf("PSNR y %.4f avg %.4f; ffmpeg CLI says y %.4f avg %.4f", b.Y, b.Avg, cliY, cliAvg)
	}
}

// BenchmarkPSNR720pTo360p measures PSNR of a 2 s 720p30 reference against a
// 360p stream (the reference is scaled down to 360p, bicubic).
func BenchmarkPSNR720pTo360p(b *testing.B) {
	spec := SyntheticSpec{Width: 1280, Height: 720, FPS: Rational{30, 1}, SegmentDuration: 2 * time.Second, Segments: 1, Noise: true}
	ref, err := GenerateSegment(context.Background(), spec)
	if err != nil {
		b.Fatal(err)
	}
	spec.Width, spec.Height = 640, 360
	dist, err := GenerateSegment(context.Background(), spec)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := PSNR(Input{Data: ref}, Input{Data: dist}); err != nil {
			b.Fatal(err)
		}
	}
}
