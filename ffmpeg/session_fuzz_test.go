package ffmpeg

import (
	"context"
	"errors"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"
)

// fuzzSession is one long-lived session per fuzzing process: state carried
// from one input to the next (warm decoder, timeline, and with zero latency
// a warm graph and encoder, warm.go) is part of what is being tested.
var (
	fuzzOnce sync.Once
	fuzzSess *Session
	fuzzErr  error
)

func fuzzSessionFor(t *testing.T) *Session {
	fuzzOnce.Do(func() {
		quietLibav()
		fuzzSess, fuzzErr = NewSession(Options{
			Renditions:  []RenditionSpec{{Name: "72p", Width: 128, Height: 72, Bitrate: 100_000, GOP: time.Second}},
			Preset:      "ultrafast",
			Threads:     1,
			ZeroLatency: true,
			Limits:      Limits{MaxInputBytes: 1 << 20, MaxDuration: 10 * time.Second, MaxPixels: 1920 * 1088},
		})
	})
	if fuzzErr != nil {
		t.Fatal(fuzzErr)
	}
	return fuzzSess
}

// FuzzSessionTS feeds mutated MPEG-TS segments through one session. It must
// never crash or hang, and every error must be a typed input error (or the
// context's): run with go test -run=^$ -fuzz=FuzzSessionTS ./ffmpeg.
func FuzzSessionTS(f *testing.F) {
	for _, spec := range []SyntheticSpec{
		{Width: 64, Height: 36, FPS: Rational{30, 1}, SegmentDuration: 200 * time.Millisecond, Segments: 2, Audio: true},
		{Width: 48, Height: 64, FPS: Rational{25, 1}, SegmentDuration: 120 * time.Millisecond, Segments: 1, Noise: true},
	} {
		for _, seg := range generate(f, spec) {
			f.Add(seg)
		}
	}
	for _, name := range []string{"missing-sei-and-pes.ts", "zero-frame.ts"} {
		if data, err := os.ReadFile(sharedMediaPath(name)); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := fuzzSessionFor(t)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		st := time.Now()
		res, err := s.Transcode(ctx, Input{Data: data, FormatHint: "mpegts"})
		if el := time.Since(st); el > 2*time.Second && os.Getenv("OPKIT_FUZZ_SLOW") != "" {
			_ = os.WriteFile(os.Getenv("OPKIT_FUZZ_SLOW")+"/"+strconv.Itoa(len(data))+".ts", data, 0o644)
		}
		if err != nil {
			if !IsInputError(err) && !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		if len(res.Renditions) != 1 || res.Renditions[0].Bytes == 0 || res.Renditions[0].Frames == 0 {
			t.Fatalf("success without output: %+v", res)
		}
	})
}
