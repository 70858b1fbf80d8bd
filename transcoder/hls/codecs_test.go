package hls

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/opkit-dev/opkit/ffmpeg"
)

// profileIDC maps libavcodec's H.264 profile names to profile_idc in hex
// (H.264 Annex A).
var profileIDC = map[string]string{"Baseline": "42", "Constrained Baseline": "42", "Main": "4d", "High": "64"}

func TestTSCodecs(t *testing.T) {
	spec := ffmpeg.SyntheticSpec{Width: 320, Height: 180, FPS: ffmpeg.Rational{Num: 30, Den: 1},
		SegmentDuration: time.Second, Segments: 1, Noise: true, Audio: true, Seed: 7}
	data, err := ffmpeg.GenerateSegment(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	info, err := ffmpeg.Probe(ffmpeg.Input{Data: data})
	if err != nil {
		t.Fatal(err)
	}
	idc := profileIDC[info.Video.Profile]
	if got := TSCodecs(data); idc == "" || !strings.HasPrefix(got, "avc1."+idc) || !strings.HasSuffix(got, ",mp4a.40.2") || len(got) != len("avc1.640015,mp4a.40.2") {
		t.Errorf("TSCodecs = %q for a %s profile stream with AAC-LC", got, info.Video.Profile)
	}
	for name, bad := range map[string][]byte{"empty": nil, "text": []byte(strings.Repeat("x", 1000)), "truncated": data[:200]} {
		if got := TSCodecs(bad); got != "" {
			t.Errorf("%s: TSCodecs = %q, want empty", name, got)
		}
	}
}

func FuzzTSCodecs(f *testing.F) {
	pkt := make([]byte, 188)
	pkt[0] = 0x47
	f.Add(pkt)
	f.Add(append(append([]byte{}, pkt...), pkt...))
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = TSCodecs(data) // must not panic
	})
}
