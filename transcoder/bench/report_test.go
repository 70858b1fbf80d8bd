package bench

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/opkit-dev/opkit/ffmpeg"
)

const fallbackLinePrefix = "GPU decode fell back to CPU for "

// TestReportsSayGPUDecodeFellBack checks that the tables end with the one
// fallback line when a GPU session decoded segments on the CPU, and only
// then, and that the JSON report counts them.
func TestReportsSayGPUDecodeFellBack(t *testing.T) {
	s2 := 2 * time.Second
	onGPU := []SegmentRecord{rec(0, 0, s2, time.Second, time.Second, 60, ""), rec(0, 1, s2, time.Second, time.Second, 60, "")}
	oneReason := []SegmentRecord{
		fellBack(rec(0, 0, s2, time.Second, time.Second, 60, ""), ffmpeg.HWFallbackSurfaces),
		fellBack(rec(0, 1, s2, time.Second, time.Second, 60, ""), ffmpeg.HWFallbackSurfaces),
	}
	twoReasons := append([]SegmentRecord{
		fellBack(rec(1, 0, s2, time.Second, time.Second, 60, ""), ffmpeg.HWFallbackPixelFormat),
	}, oneReason...)
	tests := []struct {
		name     string
		records  []SegmentRecord
		wantLine string // "" for none
	}{
		{"decoded on the GPU", onGPU, ""},
		{"one reason", oneReason, "GPU decode fell back to CPU for 2 segments: surfaces"},
		{"two reasons", twoReasons, "GPU decode fell back to CPU for 3 segments: surfaces (2), pixel_format (1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Summarize(tt.records, 2, false, 2*time.Second, Usage{})
			var table bytes.Buffer
			if err := WriteSummaryTable(&table, Info{Device: "nvidia:0"}, s); err != nil {
				t.Fatal(err)
			}
			checkFallbackLine(t, "summary table", table.String(), tt.wantLine)

			var capTable bytes.Buffer
			res := CapacityResult{Capacity: 2, MaxLoad: 0.8, Trials: []CapacityTrial{{Sessions: 2, Holds: true, Summary: s}}}
			if err := WriteCapacityTable(&capTable, res); err != nil {
				t.Fatal(err)
			}
			checkFallbackLine(t, "capacity table", capTable.String(), tt.wantLine)

			var js bytes.Buffer
			if err := (Report{Result: &Result{Summary: s, Records: tt.records}}).WriteJSON(&js); err != nil {
				t.Fatal(err)
			}
			var got struct {
				Summary struct {
					Segments int            `json:"hw_fallback_segments"`
					Reasons  map[string]int `json:"hw_fallback_reasons"`
				} `json:"summary"`
				Segments []struct {
					HWFallback string `json:"hw_fallback"`
				} `json:"segments"`
			}
			if err := json.Unmarshal(js.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			if got.Summary.Segments != s.HWFallbackSegments || len(got.Summary.Reasons) != len(s.HWFallbacks) {
				t.Errorf("json summary %+v, want %d segments by %v", got.Summary, s.HWFallbackSegments, s.HWFallbacks)
			}
			for r, n := range s.HWFallbacks {
				if got.Summary.Reasons[string(r)] != n {
					t.Errorf("json hw_fallback_reasons[%s] = %d, want %d", r, got.Summary.Reasons[string(r)], n)
				}
			}
			for i, seg := range got.Segments {
				if seg.HWFallback != string(tt.records[i].HWFallback) {
					t.Errorf("json segment %d hw_fallback %q, want %q", i, seg.HWFallback, tt.records[i].HWFallback)
				}
			}
		})
	}
}

func checkFallbackLine(t *testing.T, what, out, want string) {
	t.Helper()
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, fallbackLinePrefix) {
			lines = append(lines, l)
		}
	}
	switch {
	case want == "" && len(lines) != 0:
		t.Errorf("%s says %q for a run decoded on the GPU", what, lines)
	case want != "" && (len(lines) != 1 || lines[0] != want):
		t.Errorf("%s fallback lines %q, want one %q\n%s", what, lines, want, out)
	}
}
