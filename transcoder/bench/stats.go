package bench

import (
	"math"
	"slices"
	"time"

	"github.com/opkit-dev/opkit/ffmpeg"
)

// RenditionRecord is what the benchmark records for one rendition of one
// segment, as the engine reported it.
type RenditionRecord struct {
	Name     string
	Width    int
	Height   int
	Frames   int64
	Bytes    int64
	Duration time.Duration
	// WarmGraph and WarmEncoder: the filter graph and the encoder came
	// warm from the session's previous segment.
	WarmGraph, WarmEncoder bool
}

// SegmentRecord is one row of the benchmark: one segment of one session.
// Offsets (Arrival, Submitted, Done) count from the start of the timed run.
type SegmentRecord struct {
	Time           time.Time // wall clock when the transcode returned
	Session        int
	Segment        int
	Source         string
	SourceDuration time.Duration
	// Arrival is when the segment was due: in live mode the sum of the
	// durations of the session's earlier segments, otherwise the moment the
	// session was ready for it (equal to Submitted).
	Arrival   time.Duration
	Submitted time.Duration
	Done      time.Duration
	// Transcode is Done-Submitted: the time the engine took.
	Transcode time.Duration
	// Latency is Done-Arrival: Transcode plus any wait behind earlier
	// segments of the same session (live mode).
	Latency       time.Duration
	DecodedFrames int64
	// HWFallback is, on a GPU session, why the engine decoded the segment
	// on the CPU (ffmpeg.SegmentResult.HWFallback); empty otherwise.
	HWFallback ffmpeg.HWFallbackReason
	Renditions []RenditionRecord
	Err        string
}

// RealTime reports whether the segment was transcoded successfully in less
// time than it lasts.
func (r SegmentRecord) RealTime() bool {
	return r.Err == "" && r.Transcode < r.SourceDuration
}

// Usage is the process's resource use over the timed run.
type Usage struct {
	// CPU is user+system CPU time consumed by the process during the run.
	CPU time.Duration
	// PeakRSS is the process's peak resident set size in bytes: VmHWM, reset
	// at the start of the run where Linux allows (PeakRSSOfRun), otherwise
	// the peak over the process's whole life (getrusage ru_maxrss), source
	// generation included.
	PeakRSS      int64
	PeakRSSOfRun bool
}

// Summary is the benchmark's result over all sessions. Every ratio is
// defined in the field comment; percentiles use the nearest-rank method.
type Summary struct {
	Sessions int
	Live     bool
	// Segments counts segments transcoded without error, over all sessions;
	// Failed counts the others.
	Segments int
	Failed   int
	// RealTimeSegments counts segments whose transcode time was below their
	// source duration; RealTimeSegmentsRatio is RealTimeSegments/(Segments+Failed).
	RealTimeSegments      int
	RealTimeSegmentsRatio float64
	// SourceDuration is the sum of the source durations of all segments
	// transcoded without error, over all sessions (a stream's duration ×
	// sessions when every segment succeeds).
	SourceDuration time.Duration
	// TranscodeDuration is the sum of every segment's transcode time. With
	// several sessions they overlap, so it can exceed Wall.
	TranscodeDuration time.Duration
	// Wall is the elapsed time from the start of the run until the last
	// session finished.
	Wall time.Duration
	// RealTimeDurationRatio is SourceDuration/Wall: seconds of video the
	// machine transcoded per second, over all sessions. Above 1 the
	// machine is faster than real time in aggregate.
	RealTimeDurationRatio float64
	// Load is Sessions×Wall/SourceDuration = Sessions/RealTimeDurationRatio:
	// the share of real time each stream needed (livepeer_bench's "real-time
	// duration ratio"). Below 1 every stream keeps up; the capacity search
	// keeps it at or below 0.8 for headroom.
	Load float64
	// Latency percentiles over successful segments (SegmentRecord.Latency).
	LatencyP50 time.Duration
	LatencyP95 time.Duration
	LatencyMax time.Duration
	// CPUUse is CPU time / Wall, in cores (2.0 = two cores busy).
	CPUUse       float64
	PeakRSS      int64
	PeakRSSOfRun bool // PeakRSS is the run's own peak, not the process's
	// DecodedFrames and EncodedFrames are totals over all segments
	// (EncodedFrames summed over renditions).
	DecodedFrames int64
	EncodedFrames int64
	// HWFallbackSegments counts successful segments that a GPU session
	// decoded on the CPU; HWFallbacks splits them by reason (nil when none).
	HWFallbackSegments int
	HWFallbacks        map[ffmpeg.HWFallbackReason]int
	// CPUPerSegment is CPU time / segments (successful or not): the cost
	// of one segment of the ladder, in CPU seconds.
	CPUPerSegment float64
	// RenditionSegments counts renditions over successful segments;
	// WarmGraphs and WarmEncoders those whose filter graph and encoder
	// came warm from the previous segment (ffmpeg.RenditionResult).
	RenditionSegments        int
	WarmGraphs, WarmEncoders int
}

// Summarize computes the summary of a run of the given sessions that took
// wall time and used u.
func Summarize(records []SegmentRecord, sessions int, live bool, wall time.Duration, u Usage) Summary {
	s := Summary{Sessions: sessions, Live: live, Wall: wall, PeakRSS: u.PeakRSS, PeakRSSOfRun: u.PeakRSSOfRun}
	lat := make([]time.Duration, 0, len(records))
	for _, r := range records {
		if r.Err != "" {
			s.Failed++
			continue
		}
		s.Segments++
		if r.RealTime() {
			s.RealTimeSegments++
		}
		s.SourceDuration += r.SourceDuration
		s.TranscodeDuration += r.Transcode
		s.DecodedFrames += r.DecodedFrames
		for _, rr := range r.Renditions {
			s.EncodedFrames += rr.Frames
			s.RenditionSegments++
			if rr.WarmGraph {
				s.WarmGraphs++
			}
			if rr.WarmEncoder {
				s.WarmEncoders++
			}
		}
		if r.HWFallback != ffmpeg.HWFallbackNone {
			s.HWFallbackSegments++
			if s.HWFallbacks == nil {
				s.HWFallbacks = map[ffmpeg.HWFallbackReason]int{}
			}
			s.HWFallbacks[r.HWFallback]++
		}
		lat = append(lat, r.Latency)
	}
	s.RealTimeSegmentsRatio = ratio(float64(s.RealTimeSegments), float64(s.Segments+s.Failed))
	s.RealTimeDurationRatio = ratio(s.SourceDuration.Seconds(), wall.Seconds())
	s.Load = ratio(float64(sessions)*wall.Seconds(), s.SourceDuration.Seconds())
	if s.SourceDuration == 0 && wall > 0 {
		s.Load = math.Inf(1) // nothing transcoded: no capacity at all
	}
	s.CPUUse = ratio(u.CPU.Seconds(), wall.Seconds())
	s.CPUPerSegment = ratio(u.CPU.Seconds(), float64(s.Segments+s.Failed))
	slices.Sort(lat)
	s.LatencyP50 = Percentile(lat, 50)
	s.LatencyP95 = Percentile(lat, 95)
	if n := len(lat); n > 0 {
		s.LatencyMax = lat[n-1]
	}
	return s
}

// Percentile returns the p-th percentile (0 < p <= 100) of sorted by the
// nearest-rank method: the smallest value with at least p% of the values at
// or below it. It returns 0 for an empty slice.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(n)))
	rank = min(max(rank, 1), n)
	return sorted[rank-1]
}

// ratio is num/den, or 0 when den is not positive.
func ratio(num, den float64) float64 {
	if den <= 0 {
		return 0
	}
	return num / den
}
