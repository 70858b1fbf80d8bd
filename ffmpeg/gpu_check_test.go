package ffmpeg

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// gpuCheckSkip is the line scripts/gpu-check.sh prints when the machine has
// no NVIDIA device it can use.
const gpuCheckSkip = "gpu-check: skipped: no NVIDIA device"

// TestGPUCheck is the acceptance run of the NVIDIA path, for
// scripts/gpu-check.sh (OPKIT_GPU_CHECK=1): 30 consecutive 1080p30 H.264
// segments through the reference bench ladder on CUDA device 0, then a
// 10-bit HEVC source. Every segment must decode on NVDEC, scale with
// scale_cuda and encode with NVENC (libx264 on a card without NVENC),
// keep its frame counts, and stay within 3 dB luma PSNR (against the
// source) of the CPU path's renditions of the same segments. After the
// first segment every scale_cuda graph must be warm, and so must every
// NVENC encoder (flushed at each segment end); each output segment must
// start with an IDR and the segments must concatenate into one continuous
// stream. It prints one "gpu-check: ..." summary line.
func TestGPUCheck(t *testing.T) {
	if os.Getenv("OPKIT_GPU_CHECK") != "1" {
		t.Skip("set OPKIT_GPU_CHECK=1, or run scripts/gpu-check.sh")
	}
	quietLibav()
	devs, err := ProbeDevices(t.Context())
	if errors.Is(err, ErrNoGPU) {
		fmt.Println(gpuCheckSkip)
		t.Skipf("%s: %v", gpuCheckSkip, err)
	}
	if err != nil {
		t.Fatalf("ProbeDevices: %v", err)
	}
	d := devs[0]
	enc := wantGPUEncoder(d)
	ladder := benchLadder()
	const segments, segFrames = 30, 30
	spec := SyntheticSpec{Width: 1920, Height: 1080, FPS: Rational{30, 1}, SegmentDuration: time.Second,
		Segments: segments, Noise: true, Audio: true, Bitrate: 6_000_000}
	segs := generate(t, spec)

	gpu := newTestSession(t, onGPU(Options{Renditions: ladder}, d.Index))
	cpu := newTestSession(t, Options{Renditions: ladder})
	var gpuWall time.Duration
	var warmGraphs, warmEncoders int
	gpuOut := make([]*SegmentResult, len(segs))
	for i, seg := range segs {
		start := time.Now()
		res, err := gpu.Transcode(t.Context(), Input{Data: seg})
		if err != nil {
			t.Fatalf("GPU segment %d: %v", i, err)
		}
		gpuWall += time.Since(start)
		checkOnGPU(t, fmt.Sprintf("segment %d", i), res, enc)
		if res.DecodedFrames != segFrames {
			t.Fatalf("segment %d: %d frames decoded, want %d", i, res.DecodedFrames, segFrames)
		}
		for _, r := range res.Renditions {
			if r.Frames != segFrames {
				t.Fatalf("segment %d %s: %d frames, want %d", i, r.Name, r.Frames, segFrames)
			}
			checkGPUWarmth(t, i, r)
			warmGraphs += boolInt(r.WarmGraph)
			warmEncoders += boolInt(r.WarmEncoder)
		}
		gpuOut[i] = res
	}

	checkWarmBoundaries(t, gpuOut, ladder, FormatMPEGTS)

	// Quality against the CPU path, on a sample of segments.
	worst := 100.0
	for _, i := range []int{0, segments / 2, segments - 1} {
		want, err := cpu.Transcode(t.Context(), Input{Data: segs[i]})
		if err != nil {
			t.Fatalf("CPU segment %d: %v", i, err)
		}
		for j, r := range gpuOut[i].Renditions {
			info, err := Probe(Input{Data: r.Data})
			if err != nil || info.Video.Frames != segFrames {
				t.Fatalf("segment %d %s: probe %v, %+v", i, r.Name, err, info)
			}
			g, err := PSNR(Input{Data: segs[i]}, Input{Data: r.Data})
			if err != nil {
				t.Fatal(err)
			}
			c, err := PSNR(Input{Data: segs[i]}, Input{Data: want.Renditions[j].Data})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("segment %d %s: luma PSNR GPU %.2f dB, CPU %.2f dB", i, r.Name, g.Y, c.Y)
			if g.Y < c.Y-3 {
				t.Fatalf("segment %d %s: GPU luma PSNR %.2f dB, more than 3 dB below the CPU path's %.2f dB", i, r.Name, g.Y, c.Y)
			}
			worst = min(worst, g.Y-c.Y)
		}
	}

	// A 10-bit source: NVDEC decodes Main 10 into P010, scale_cuda
	// converts it to NV12.
	tenBit := generate(t, SyntheticSpec{Width: 1920, Height: 1080, FPS: Rational{30, 1}, SegmentDuration: time.Second,
		Segments: 3, Codec: CodecHEVC, PixFmt: "yuv420p10le"})
	s10 := newTestSession(t, onGPU(Options{Renditions: ladder}, d.Index))
	for i, seg := range tenBit {
		res, err := s10.Transcode(t.Context(), Input{Data: seg})
		if err != nil {
			t.Fatalf("10-bit segment %d: %v", i, err)
		}
		checkOnGPU(t, fmt.Sprintf("10-bit segment %d", i), res, enc)
	}

	media := time.Duration(segments) * time.Second
	fmt.Printf("gpu-check: ok: device %d (%s): %d segments x %d renditions on nvdec+scale_cuda+%s in %.1f s (%.1fx real time), warm graphs %d/%d, warm encoders %d/%d, idr-started continuous segments, hevc main10 on the gpu, psnr gpu-cpu worst %+.2f dB\n",
		d.Index, strings.TrimSpace(d.Name), segments, len(ladder), enc, gpuWall.Seconds(), media.Seconds()/gpuWall.Seconds(),
		warmGraphs, segments*len(ladder), warmEncoders, segments*len(ladder), worst)
}

// checkGPUWarmth: after a stream's first segment the scale_cuda graph comes
// warm, and so does an NVENC encoder (flushable); libx264 with lookahead
// cannot be, on a card without NVENC.
func checkGPUWarmth(t *testing.T, seg int, r RenditionResult) {
	t.Helper()
	nvenc := strings.HasSuffix(r.Encoder, "_nvenc")
	if seg > 0 && (!r.WarmGraph || r.WarmEncoder != nvenc) {
		t.Fatalf("segment %d %s: warm graph %v, warm encoder %v (%s); want a warm graph, and a warm encoder for NVENC only",
			seg, r.Name, r.WarmGraph, r.WarmEncoder, r.Encoder)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// benchLadder is the reference bench ladder (transcoder.BenchLadder, which
// this package cannot import): high profile, no B-frames, 1 s GOP.
func benchLadder() []RenditionSpec {
	r := func(name string, w, h int, kbps int64) RenditionSpec {
		return RenditionSpec{Name: name, Width: w, Height: h, Bitrate: kbps * 1000, GOP: time.Second, Profile: "high"}
	}
	return []RenditionSpec{r("240p", 426, 240, 250), r("360p", 640, 360, 800), r("480p", 854, 480, 1600), r("720p", 1280, 720, 3000)}
}
