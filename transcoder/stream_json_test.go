package transcoder

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/opkit-dev/opkit/ffmpeg"
)

// TestSegmentReportNamesWhereStagesRan checks that the report carries the
// decoder, its hardware, the fallback reason and each rendition's filters
// and encoder, under their JSON names, and leaves the GPU-only fields out
// of a CPU segment.
func TestSegmentReportNamesWhereStagesRan(t *testing.T) {
	tests := []struct {
		name string
		res  ffmpeg.SegmentResult
		want map[string]any // segment fields; absent ones must be absent
		rend map[string]any // the rendition's fields
	}{
		{
			name: "cpu",
			res: ffmpeg.SegmentResult{Decoder: "h264", Renditions: []ffmpeg.RenditionResult{
				{Name: "240p", Filters: "scale=w=426:h=240", Encoder: "libx264"}}},
			want: map[string]any{"decoder": "h264"},
			rend: map[string]any{"filters": "scale=w=426:h=240", "encoder": "libx264"},
		},
		{
			name: "gpu",
			res: ffmpeg.SegmentResult{Decoder: "h264", DecoderHW: "cuda", Renditions: []ffmpeg.RenditionResult{
				{Name: "240p", Filters: "scale_cuda=w=426:h=240:format=nv12", Encoder: "h264_nvenc"}}},
			want: map[string]any{"decoder": "h264", "decoder_hw": "cuda"},
			rend: map[string]any{"filters": "scale_cuda=w=426:h=240:format=nv12", "encoder": "h264_nvenc"},
		},
		{
			name: "gpu session fell back",
			res: ffmpeg.SegmentResult{Decoder: "h264", HWFallback: ffmpeg.HWFallbackSurfaces, Renditions: []ffmpeg.RenditionResult{
				{Name: "240p", Filters: "scale=w=426:h=240", Encoder: "h264_nvenc"}}},
			want: map[string]any{"decoder": "h264", "hw_fallback": "surfaces"},
			rend: map[string]any{"filters": "scale=w=426:h=240", "encoder": "h264_nvenc"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.res.Wall = time.Second
			r := NewSegmentReport(StreamSegment{Index: 3, Name: "3.ts"}, &tt.res, nil)
			if r.Decoder != tt.res.Decoder || r.DecoderHW != tt.res.DecoderHW || r.HWFallback != tt.res.HWFallback {
				t.Errorf("report %+v does not copy decoder %q/%q, fallback %q", r, tt.res.Decoder, tt.res.DecoderHW, tt.res.HWFallback)
			}
			var buf bytes.Buffer
			if err := (StreamReport{Segments: []SegmentReport{r}}).WriteJSON(&buf); err != nil {
				t.Fatal(err)
			}
			var got struct {
				Segments []map[string]any `json:"segments"`
			}
			if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			seg := got.Segments[0]
			for _, k := range []string{"decoder", "decoder_hw", "hw_fallback"} {
				want, ok := tt.want[k]
				if v, has := seg[k]; has != ok || v != want {
					t.Errorf("segment %q = %v (present %v), want %v (present %v)\n%s", k, v, has, want, ok, buf.String())
				}
			}
			rends, _ := seg["renditions"].([]any)
			if len(rends) != 1 {
				t.Fatalf("renditions %v", seg["renditions"])
			}
			rend := rends[0].(map[string]any)
			for k, want := range tt.rend {
				if rend[k] != want {
					t.Errorf("rendition %q = %v, want %v", k, rend[k], want)
				}
			}
		})
	}
}

// TestRenditionReportKeepsEncoderWhenEmpty checks that "encoder" is always
// present, so that a reader can tell an old report from a new one, and that
// an empty filter graph is left out.
func TestRenditionReportKeepsEncoderWhenEmpty(t *testing.T) {
	b, err := json.Marshal(RenditionReport{Name: "x"})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if _, ok := m["encoder"]; !ok {
		t.Errorf("%s: no encoder key", b)
	}
	if _, ok := m["filters"]; ok {
		t.Errorf("%s: empty filters present", b)
	}
}
