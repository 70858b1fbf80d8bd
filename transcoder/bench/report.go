package bench

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/opkit-dev/opkit/ffmpeg"
)

// Info describes what was benchmarked, for the report header.
type Info struct {
	Source   string   `json:"source"`
	Ladder   []string `json:"ladder"`
	Preset   string   `json:"preset"`
	Device   string   `json:"device"`
	Segments int      `json:"segments_per_session"`
	// Encoders says how the sessions keep their encoders: "warm" (what
	// can stay warm across segments does), "cold" (--cold: rebuilt for
	// every segment), with ", zero latency" for --zero-latency.
	Encoders string `json:"encoders"`
}

// WriteSegmentTable writes one line per segment.
func WriteSegmentTable(w io.Writer, recs []SegmentRecord) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "time\tsession\tsegment\tsource s\ttranscode s\tlatency s\tdecoded\tencoded frames\t")
	for _, r := range recs {
		enc := make([]string, 0, len(r.Renditions))
		for _, rr := range r.Renditions {
			enc = append(enc, fmt.Sprintf("%s:%d", rr.Name, rr.Frames))
		}
		status := strings.Join(enc, " ")
		if r.Err != "" {
			status = "error: " + r.Err
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.3f\t%.3f\t%.3f\t%d\t%s\t\n",
			r.Time.UTC().Format("15:04:05.000"), r.Session, r.Segment, r.SourceDuration.Seconds(),
			r.Transcode.Seconds(), r.Latency.Seconds(), r.DecodedFrames, status)
	}
	return tw.Flush()
}

// WriteSummaryTable writes the run's description and summary as a
// two-column table.
func WriteSummaryTable(w io.Writer, info Info, s Summary) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	rows := [][2]string{
		{"Source", info.Source},
		{"Ladder", strings.Join(info.Ladder, ", ")},
		{"Preset", info.Preset},
		{"Device", info.Device},
		{"Encoders", info.Encoders},
		{"Concurrent sessions", strconv.Itoa(s.Sessions)},
		{"Live pacing", strconv.FormatBool(s.Live)},
		{"Segments per session", strconv.Itoa(info.Segments)},
		{"Total segments transcoded", strconv.Itoa(s.Segments)},
		{"Failed segments", strconv.Itoa(s.Failed)},
		{"Real-time segments", strconv.Itoa(s.RealTimeSegments)},
		{"* Real-time segments ratio *", fmt.Sprintf("%.4f", s.RealTimeSegmentsRatio)},
		{"Total source duration", secs(s.SourceDuration)},
		{"Total transcode duration (sum)", secs(s.TranscodeDuration)},
		{"Wall time", secs(s.Wall)},
		{"* Real-time duration ratio *", fmt.Sprintf("%.4f", s.RealTimeDurationRatio)},
		{"Load per stream", fmt.Sprintf("%.4f", s.Load)},
		{"Segment latency p50", secs(s.LatencyP50)},
		{"Segment latency p95", secs(s.LatencyP95)},
		{"Segment latency max", secs(s.LatencyMax)},
		{"CPU use (cores)", fmt.Sprintf("%.2f", s.CPUUse)},
		{"CPU per segment", fmt.Sprintf("%.3fs", s.CPUPerSegment)},
		{"Warm filter graphs (rendition segments)", fmt.Sprintf("%d/%d", s.WarmGraphs, s.RenditionSegments)},
		{"Warm encoders (rendition segments)", fmt.Sprintf("%d/%d", s.WarmEncoders, s.RenditionSegments)},
		{"Peak RSS", peakRSS(s)},
		{"Decoded frames", strconv.FormatInt(s.DecodedFrames, 10)},
		{"Encoded frames (all renditions)", strconv.FormatInt(s.EncodedFrames, 10)},
	}
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\n", r[0], r[1])
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return writeHWFallbackLine(w, s.HWFallbackSegments, s.HWFallbacks)
}

// writeHWFallbackLine writes, when a GPU session decoded any segment on the
// CPU, the one line that says so: the run did not measure the GPU path.
func writeHWFallbackLine(w io.Writer, n int, reasons map[ffmpeg.HWFallbackReason]int) error {
	if n == 0 {
		return nil
	}
	_, err := fmt.Fprintf(w, "GPU decode fell back to CPU for %d segments: %s\n", n, hwFallbackReasons(reasons))
	return err
}

// hwFallbackReasons lists the reasons, most segments first: "surfaces" for
// one, "surfaces (3), pixel_format (1)" for several.
func hwFallbackReasons(m map[ffmpeg.HWFallbackReason]int) string {
	rs := make([]ffmpeg.HWFallbackReason, 0, len(m))
	for r := range m {
		rs = append(rs, r)
	}
	slices.SortFunc(rs, func(a, b ffmpeg.HWFallbackReason) int {
		if m[a] != m[b] {
			return m[b] - m[a]
		}
		return strings.Compare(string(a), string(b))
	})
	if len(rs) == 1 {
		return string(rs[0])
	}
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = fmt.Sprintf("%s (%d)", r, m[r])
	}
	return strings.Join(parts, ", ")
}

// WriteCapacityTable writes one line per capacity trial and the result.
func WriteCapacityTable(w io.Writer, res CapacityResult) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "sessions\tload\trt duration ratio\trt segments ratio\tp50 latency s\tp95 latency s\tcpu\tholds\t")
	for _, t := range res.Trials {
		s := t.Summary
		fmt.Fprintf(tw, "%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.2f\t%v\t\n", t.Sessions, s.Load, s.RealTimeDurationRatio,
			s.RealTimeSegmentsRatio, s.LatencyP50.Seconds(), s.LatencyP95.Seconds(), s.CPUUse, t.Holds)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var fellBack int
	var reasons map[ffmpeg.HWFallbackReason]int
	for _, t := range res.Trials {
		fellBack += t.Summary.HWFallbackSegments
		for r, n := range t.Summary.HWFallbacks {
			if reasons == nil {
				reasons = map[ffmpeg.HWFallbackReason]int{}
			}
			reasons[r] += n
		}
	}
	if err := writeHWFallbackLine(w, fellBack, reasons); err != nil {
		return err
	}
	limited := ""
	if res.Limited {
		limited = " (the search limit; more may hold)"
	}
	_, err := fmt.Fprintf(w, "Capacity: %d concurrent sessions at load <= %.2f%s\n", res.Capacity, res.MaxLoad, limited)
	return err
}

func peakRSS(s Summary) string {
	scope := "during the run"
	if !s.PeakRSSOfRun {
		scope = "process lifetime"
	}
	return fmt.Sprintf("%.1f MiB (%s)", float64(s.PeakRSS)/(1<<20), scope)
}

func secs(d time.Duration) string { return fmt.Sprintf("%.3fs", d.Seconds()) }

// segmentCSVHeader names the columns of WriteSegmentCSV. Rendition columns
// follow as <name>_frames, <name>_bytes for each rendition of the first row.
var segmentCSVHeader = []string{
	"time", "session", "segment", "source", "source_duration_s", "arrival_s", "submitted_s", "done_s",
	"transcode_s", "latency_s", "realtime", "decoded_frames", "error",
}

// WriteSegmentCSV writes one row per segment.
func WriteSegmentCSV(w io.Writer, recs []SegmentRecord) error {
	cw := csv.NewWriter(w)
	var names []string
	for _, r := range recs {
		if len(r.Renditions) > 0 {
			for _, rr := range r.Renditions {
				names = append(names, rr.Name)
			}
			break
		}
	}
	header := append([]string{}, segmentCSVHeader...)
	for _, n := range names {
		header = append(header, n+"_frames", n+"_bytes")
	}
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("writing csv: %w", err)
	}
	for _, r := range recs {
		row := []string{
			r.Time.UTC().Format(time.RFC3339Nano), strconv.Itoa(r.Session), strconv.Itoa(r.Segment), r.Source,
			fsec(r.SourceDuration), fsec(r.Arrival), fsec(r.Submitted), fsec(r.Done),
			fsec(r.Transcode), fsec(r.Latency), strconv.FormatBool(r.RealTime()),
			strconv.FormatInt(r.DecodedFrames, 10), r.Err,
		}
		for i := range names {
			if i < len(r.Renditions) {
				row = append(row, strconv.FormatInt(r.Renditions[i].Frames, 10), strconv.FormatInt(r.Renditions[i].Bytes, 10))
			} else {
				row = append(row, "", "")
			}
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("writing csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("writing csv: %w", err)
	}
	return nil
}

func fsec(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 6, 64) }

// JSON forms: durations in seconds.

type benchJSONRendition struct {
	Name      string  `json:"name"`
	Width     int     `json:"width"`
	Height    int     `json:"height"`
	Frames    int64   `json:"frames"`
	Bytes     int64   `json:"bytes"`
	DurationS float64 `json:"duration_s"`
	// The filter graph and the encoder came warm from the previous segment.
	WarmGraph   bool `json:"warm_graph"`
	WarmEncoder bool `json:"warm_encoder"`
}

type benchJSONSegment struct {
	Time            time.Time            `json:"time"`
	Session         int                  `json:"session"`
	Segment         int                  `json:"segment"`
	Source          string               `json:"source"`
	SourceDurationS float64              `json:"source_duration_s"`
	ArrivalS        float64              `json:"arrival_s"`
	SubmittedS      float64              `json:"submitted_s"`
	DoneS           float64              `json:"done_s"`
	TranscodeS      float64              `json:"transcode_s"`
	LatencyS        float64              `json:"latency_s"`
	RealTime        bool                 `json:"realtime"`
	DecodedFrames   int64                `json:"decoded_frames"`
	HWFallback      string               `json:"hw_fallback,omitempty"`
	Renditions      []benchJSONRendition `json:"renditions"`
	Error           string               `json:"error,omitempty"`
}

type benchJSONSummary struct {
	Sessions              int     `json:"sessions"`
	Live                  bool    `json:"live"`
	Segments              int     `json:"segments"`
	Failed                int     `json:"failed"`
	RealTimeSegments      int     `json:"realtime_segments"`
	RealTimeSegmentsRatio float64 `json:"realtime_segments_ratio"`
	SourceDurationS       float64 `json:"source_duration_s"`
	TranscodeDurationS    float64 `json:"transcode_duration_s"`
	WallS                 float64 `json:"wall_s"`
	RealTimeDurationRatio float64 `json:"realtime_duration_ratio"`
	Load                  float64 `json:"load"`
	LatencyP50S           float64 `json:"latency_p50_s"`
	LatencyP95S           float64 `json:"latency_p95_s"`
	LatencyMaxS           float64 `json:"latency_max_s"`
	CPUUse                float64 `json:"cpu_use_cores"`
	PeakRSSBytes          int64   `json:"peak_rss_bytes"`
	PeakRSSOfRun          bool    `json:"peak_rss_of_run"`
	DecodedFrames         int64   `json:"decoded_frames"`
	EncodedFrames         int64   `json:"encoded_frames"`
	// Segments a GPU session decoded on the CPU, and by reason.
	HWFallbackSegments int            `json:"hw_fallback_segments"`
	HWFallbacks        map[string]int `json:"hw_fallback_reasons,omitempty"`
	CPUPerSegmentS     float64        `json:"cpu_per_segment_s"`
	// Renditions over successful segments, and those whose filter graph
	// and encoder came warm from the previous segment.
	RenditionSegments int `json:"rendition_segments"`
	WarmGraphs        int `json:"warm_graphs"`
	WarmEncoders      int `json:"warm_encoders"`
}

type benchJSONTrial struct {
	Sessions int              `json:"sessions"`
	Holds    bool             `json:"holds"`
	Summary  benchJSONSummary `json:"summary"`
}

type benchJSONCapacity struct {
	Capacity int              `json:"capacity"`
	MaxLoad  float64          `json:"max_load"`
	Limited  bool             `json:"limited"`
	Trials   []benchJSONTrial `json:"trials"`
}

// Report is the whole machine-readable report of `opkit bench --json`.
type Report struct {
	Info     Info
	Result   *Result         // nil for a capacity search
	Capacity *CapacityResult // nil for a single run
}

// WriteJSON writes the report as one indented JSON document.
func (r Report) WriteJSON(w io.Writer) error {
	out := struct {
		Info     Info               `json:"info"`
		Summary  *benchJSONSummary  `json:"summary,omitempty"`
		Segments []benchJSONSegment `json:"segments,omitempty"`
		Capacity *benchJSONCapacity `json:"capacity,omitempty"`
	}{Info: r.Info}
	if r.Result != nil {
		s := toJSONSummary(r.Result.Summary)
		out.Summary = &s
		out.Segments = make([]benchJSONSegment, 0, len(r.Result.Records))
		for _, rec := range r.Result.Records {
			out.Segments = append(out.Segments, toJSONSegment(rec))
		}
	}
	if c := r.Capacity; c != nil {
		jc := &benchJSONCapacity{Capacity: c.Capacity, MaxLoad: c.MaxLoad, Limited: c.Limited, Trials: []benchJSONTrial{}}
		for _, t := range c.Trials {
			jc.Trials = append(jc.Trials, benchJSONTrial{Sessions: t.Sessions, Holds: t.Holds, Summary: toJSONSummary(t.Summary)})
		}
		out.Capacity = jc
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("writing json: %w", err)
	}
	return nil
}

func toJSONSummary(s Summary) benchJSONSummary {
	js := benchJSONSummary{
		Sessions: s.Sessions, Live: s.Live, Segments: s.Segments, Failed: s.Failed,
		RealTimeSegments: s.RealTimeSegments, RealTimeSegmentsRatio: s.RealTimeSegmentsRatio,
		SourceDurationS: s.SourceDuration.Seconds(), TranscodeDurationS: s.TranscodeDuration.Seconds(),
		WallS: s.Wall.Seconds(), RealTimeDurationRatio: s.RealTimeDurationRatio, Load: finiteOr(s.Load, -1),
		LatencyP50S: s.LatencyP50.Seconds(), LatencyP95S: s.LatencyP95.Seconds(), LatencyMaxS: s.LatencyMax.Seconds(),
		CPUUse: s.CPUUse, PeakRSSBytes: s.PeakRSS, PeakRSSOfRun: s.PeakRSSOfRun, DecodedFrames: s.DecodedFrames, EncodedFrames: s.EncodedFrames,
		HWFallbackSegments: s.HWFallbackSegments, CPUPerSegmentS: s.CPUPerSegment,
		RenditionSegments: s.RenditionSegments, WarmGraphs: s.WarmGraphs, WarmEncoders: s.WarmEncoders,
	}
	for r, n := range s.HWFallbacks {
		if js.HWFallbacks == nil {
			js.HWFallbacks = map[string]int{}
		}
		js.HWFallbacks[string(r)] = n
	}
	return js
}

func toJSONSegment(r SegmentRecord) benchJSONSegment {
	js := benchJSONSegment{
		Time: r.Time.UTC(), Session: r.Session, Segment: r.Segment, Source: r.Source,
		SourceDurationS: r.SourceDuration.Seconds(), ArrivalS: r.Arrival.Seconds(), SubmittedS: r.Submitted.Seconds(),
		DoneS: r.Done.Seconds(), TranscodeS: r.Transcode.Seconds(), LatencyS: r.Latency.Seconds(),
		RealTime: r.RealTime(), DecodedFrames: r.DecodedFrames, HWFallback: string(r.HWFallback),
		Renditions: []benchJSONRendition{}, Error: r.Err,
	}
	for _, rr := range r.Renditions {
		js.Renditions = append(js.Renditions, benchJSONRendition{
			Name: rr.Name, Width: rr.Width, Height: rr.Height, Frames: rr.Frames, Bytes: rr.Bytes, DurationS: rr.Duration.Seconds(),
			WarmGraph: rr.WarmGraph, WarmEncoder: rr.WarmEncoder,
		})
	}
	return js
}

// finiteOr returns v, or alt where v is NaN or infinite (JSON has neither).
func finiteOr(v, alt float64) float64 {
	if !finite(v) {
		return alt
	}
	return v
}
