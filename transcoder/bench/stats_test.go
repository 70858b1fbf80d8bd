package bench

import (
	"math"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/opkit-dev/opkit/ffmpeg"
)

func TestPercentileNearestRank(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	tests := []struct {
		name string
		vals []time.Duration
		p    float64
		want time.Duration
	}{
		{"empty", nil, 50, 0},
		{"single p50", ms(7), 50, 7 * time.Millisecond},
		{"single p95", ms(7), 95, 7 * time.Millisecond},
		{"even count p50 takes lower middle", ms(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{"odd count p50 is median", ms(1, 2, 3, 4, 5), 50, 3 * time.Millisecond},
		// ceil(0.95*20) = 19: the 19th smallest value.
		{"twenty p95", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20), 95, 19 * time.Millisecond},
		// ceil(0.95*10) = 10: the maximum.
		{"ten p95 is max", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 95, 10 * time.Millisecond},
		{"p100 is max", ms(3, 9, 12), 100, 12 * time.Millisecond},
		{"tiny p is min", ms(3, 9, 12), 0.1, 3 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Percentile(tt.vals, tt.p); got != tt.want {
				t.Fatalf("Percentile(%v, %v) = %v, want %v", tt.vals, tt.p, got, tt.want)
			}
		})
	}
}

func rec(session, seg int, src, transcode, latency time.Duration, frames int64, err string) SegmentRecord {
	r := SegmentRecord{
		Session: session, Segment: seg, SourceDuration: src, Transcode: transcode, Latency: latency,
		DecodedFrames: frames, Err: err,
	}
	if err == "" {
		r.Renditions = []RenditionRecord{{Name: "a", Frames: frames}, {Name: "b", Frames: frames / 2}}
	}
	return r
}

// warmed is r with rendition a's graph and both encoders warm.
func warmed(r SegmentRecord) SegmentRecord {
	r.Renditions[0].WarmGraph = true
	for i := range r.Renditions {
		r.Renditions[i].WarmEncoder = true
	}
	return r
}

// fellBack is r decoded on the CPU by a GPU session, for reason.
func fellBack(r SegmentRecord, reason ffmpeg.HWFallbackReason) SegmentRecord {
	r.HWFallback = reason
	return r
}

func TestSummarize(t *testing.T) {
	s2 := 2 * time.Second
	tests := []struct {
		name    string
		records []SegmentRecord
		sess    int
		wall    time.Duration
		usage   Usage
		want    Summary
	}{
		{
			name: "one session all real time",
			records: []SegmentRecord{
				rec(0, 0, s2, time.Second, time.Second, 60, ""),
				rec(0, 1, s2, 500*time.Millisecond, 500*time.Millisecond, 60, ""),
			},
			sess: 1, wall: 1500 * time.Millisecond, usage: Usage{CPU: 3 * time.Second, PeakRSS: 1 << 20},
			want: Summary{
				Sessions: 1, Segments: 2, RealTimeSegments: 2, RealTimeSegmentsRatio: 1,
				SourceDuration: 4 * time.Second, TranscodeDuration: 1500 * time.Millisecond, Wall: 1500 * time.Millisecond,
				RealTimeDurationRatio: 4 / 1.5, Load: 1.5 / 4,
				LatencyP50: 500 * time.Millisecond, LatencyP95: time.Second, LatencyMax: time.Second,
				CPUUse: 2, PeakRSS: 1 << 20, DecodedFrames: 120, EncodedFrames: 180,
				CPUPerSegment: 1.5, RenditionSegments: 4,
			},
		},
		{
			name: "two sessions, one slow segment, one failure",
			records: []SegmentRecord{
				rec(0, 0, s2, 3*time.Second, 3*time.Second, 60, ""),
				warmed(rec(0, 1, s2, time.Second, 4*time.Second, 60, "")),
				rec(1, 0, s2, time.Second, time.Second, 60, ""),
				rec(1, 1, s2, 100*time.Millisecond, 100*time.Millisecond, 0, "corrupt"),
			},
			sess: 2, wall: 4 * time.Second, usage: Usage{CPU: 6 * time.Second},
			want: Summary{
				Sessions: 2, Segments: 3, Failed: 1, RealTimeSegments: 2, RealTimeSegmentsRatio: 0.5,
				SourceDuration: 6 * time.Second, TranscodeDuration: 5 * time.Second, Wall: 4 * time.Second,
				RealTimeDurationRatio: 1.5, Load: 2 * 4.0 / 6,
				LatencyP50: 3 * time.Second, LatencyP95: 4 * time.Second, LatencyMax: 4 * time.Second,
				CPUUse: 1.5, DecodedFrames: 180, EncodedFrames: 270,
				CPUPerSegment: 1.5, RenditionSegments: 6, WarmGraphs: 1, WarmEncoders: 2,
			},
		},
		{
			name: "GPU decode fell back for some segments",
			records: []SegmentRecord{
				fellBack(rec(0, 0, s2, time.Second, time.Second, 60, ""), ffmpeg.HWFallbackSurfaces),
				fellBack(rec(0, 1, s2, time.Second, time.Second, 60, ""), ffmpeg.HWFallbackSurfaces),
				fellBack(rec(1, 0, s2, time.Second, time.Second, 60, ""), ffmpeg.HWFallbackPixelFormat),
				rec(1, 1, s2, time.Second, time.Second, 60, ""),
				// A failed segment has no result, so no fallback to count.
				fellBack(rec(1, 2, s2, time.Second, time.Second, 0, "corrupt"), ffmpeg.HWFallbackCodec),
			},
			sess: 2, wall: 2 * time.Second,
			want: Summary{
				Sessions: 2, Segments: 4, Failed: 1, RealTimeSegments: 4, RealTimeSegmentsRatio: 0.8,
				SourceDuration: 8 * time.Second, TranscodeDuration: 4 * time.Second, Wall: 2 * time.Second,
				RealTimeDurationRatio: 4, Load: 0.5,
				LatencyP50: time.Second, LatencyP95: time.Second, LatencyMax: time.Second,
				DecodedFrames: 240, EncodedFrames: 360, RenditionSegments: 8,
				HWFallbackSegments: 3,
				HWFallbacks:        map[ffmpeg.HWFallbackReason]int{ffmpeg.HWFallbackSurfaces: 2, ffmpeg.HWFallbackPixelFormat: 1},
			},
		},
		{
			name: "transcode equal to duration is not real time",
			records: []SegmentRecord{
				rec(0, 0, s2, s2, s2, 60, ""),
			},
			sess: 1, wall: s2,
			want: Summary{
				Sessions: 1, Segments: 1, SourceDuration: s2, TranscodeDuration: s2, Wall: s2,
				RealTimeDurationRatio: 1, Load: 1, LatencyP50: s2, LatencyP95: s2, LatencyMax: s2,
				DecodedFrames: 60, EncodedFrames: 90, RenditionSegments: 2,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Summarize(tt.records, tt.sess, false, tt.wall, tt.usage)
			for _, f := range []struct {
				name      string
				got, want float64
			}{
				{"RealTimeSegmentsRatio", got.RealTimeSegmentsRatio, tt.want.RealTimeSegmentsRatio},
				{"RealTimeDurationRatio", got.RealTimeDurationRatio, tt.want.RealTimeDurationRatio},
				{"Load", got.Load, tt.want.Load},
				{"CPUUse", got.CPUUse, tt.want.CPUUse},
				{"CPUPerSegment", got.CPUPerSegment, tt.want.CPUPerSegment},
			} {
				if math.Abs(f.got-f.want) > 1e-9 {
					t.Errorf("%s = %v, want %v", f.name, f.got, f.want)
				}
			}
			got.RealTimeSegmentsRatio, got.RealTimeDurationRatio, got.Load, got.CPUUse, got.CPUPerSegment = 0, 0, 0, 0, 0
			tt.want.RealTimeSegmentsRatio, tt.want.RealTimeDurationRatio, tt.want.Load, tt.want.CPUUse, tt.want.CPUPerSegment = 0, 0, 0, 0, 0
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Summarize:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestSummarizeNothingTranscoded(t *testing.T) {
	s := Summarize([]SegmentRecord{rec(0, 0, time.Second, time.Second, time.Second, 0, "no video")}, 1, false, time.Second, Usage{})
	if !math.IsInf(s.Load, 1) || s.RealTimeDurationRatio != 0 || s.Failed != 1 {
		t.Fatalf("summary of a failed run: %+v", s)
	}
	if got := toJSONSummary(s).Load; got != -1 {
		t.Fatalf("JSON load of a failed run = %v, want -1", got)
	}
}

func TestPercentileOfUnsortedInputIsCallerError(t *testing.T) {
	// Summarize sorts; check it gives the same answer whatever the order.
	a := []SegmentRecord{
		rec(0, 0, time.Second, 0, 3*time.Millisecond, 1, ""),
		rec(0, 1, time.Second, 0, 1*time.Millisecond, 1, ""),
		rec(0, 2, time.Second, 0, 2*time.Millisecond, 1, ""),
	}
	b := slices.Clone(a)
	slices.Reverse(b)
	sa := Summarize(a, 1, false, time.Second, Usage{})
	sb := Summarize(b, 1, false, time.Second, Usage{})
	if sa.LatencyP50 != 2*time.Millisecond || !reflect.DeepEqual(sa, sb) {
		t.Fatalf("order-dependent summary: %+v vs %+v", sa, sb)
	}
}
