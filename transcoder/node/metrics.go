package node

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/opkit-dev/opkit/ffmpeg"
)

// Results of one segment request: the bounded values of the result label
// of opkit_node_segments_total.
const (
	ResultOK         = "ok"          // renditions returned
	ResultBadInput   = "bad_input"   // 422: the segment's content is bad
	ResultWorkerLost = "worker_lost" // 503: the remote worker went away
	ResultTimeout    = "timeout"     // 504: past the segment deadline
	ResultError      = "error"       // 500, or the client went away
)

// Reasons a segment request was refused before any work: the bounded values
// of the reason label of opkit_node_rejected_total.
const (
	RejectAuth       = "auth"        // 401
	RejectTooLarge   = "too_large"   // 413
	RejectBadRequest = "bad_request" // 400, 404, 409, 415
	RejectSessions   = "sessions"    // 429: no room for another stream
	RejectInflight   = "inflight"    // 429: too many segments in flight
	RejectDevices    = "devices"     // 429: every GPU at its encoder cap
	RejectDraining   = "draining"    // 503: shutting down
)

// Outcomes of a paid segment's receipt: the bounded values of the result
// label of opkit_node_receipts_total.
const (
	ReceiptStored   = "stored"   // the receipt is in the store (or already was)
	ReceiptConflict = "conflict" // 409: the store holds another receipt for the segment
	ReceiptRefused  = "refused"  // 400: bad headers, signature or job
	ReceiptError    = "error"    // 503: the store or the chain failed
)

// The values of the stage label of opkit_node_warm_renditions_total.
const (
	warmStageGraph   = "graph"
	warmStageEncoder = "encoder"
)

// hwFallbackReasons are the bounded values of the reason label of
// opkit_node_hw_fallback_segments_total: ffmpeg's fixed set.
var hwFallbackReasons = []ffmpeg.HWFallbackReason{
	ffmpeg.HWFallbackSurfaces, ffmpeg.HWFallbackPixelFormat, ffmpeg.HWFallbackCodec,
	ffmpeg.HWFallbackDevice, ffmpeg.HWFallbackDecoderInit,
}

// hwFallbackLabel is r as a label of the fixed set. A reason outside it (a
// remote worker of another version) counts as decoder_init, as
// ffmpeg.HWFallbackOf counts an error it does not know.
func hwFallbackLabel(r ffmpeg.HWFallbackReason) string {
	if r.Err() == nil {
		return string(ffmpeg.HWFallbackDecoderInit)
	}
	return string(r)
}

// Metrics receives a node's measurements.
type Metrics interface {
	Segment(result string, wall time.Duration)
	// HWFallback counts a segment answered with renditions that a GPU
	// session decoded on the CPU, by reason (never HWFallbackNone).
	HWFallback(reason ffmpeg.HWFallbackReason)
	// Renditions counts the renditions of an answered segment, and those
	// whose filter graph and encoder came warm from the stream's previous
	// segment (ffmpeg's warm state).
	Renditions(total, warmGraphs, warmEncoders int)
	Receipt(result string)
	Rejected(reason string)
	SetSessions(n int)
	SetInflight(n int)
	SetWorkers(n int)
	// SetLimits reports the limits in force, at start and on each change.
	SetLimits(l Limits)
}

// NoopMetrics discards everything.
type NoopMetrics struct{}

var _ Metrics = NoopMetrics{}

func (NoopMetrics) Segment(string, time.Duration)      {}
func (NoopMetrics) HWFallback(ffmpeg.HWFallbackReason) {}
func (NoopMetrics) Renditions(int, int, int)           {}
func (NoopMetrics) Rejected(string)                    {}
func (NoopMetrics) Receipt(string)                     {}
func (NoopMetrics) SetSessions(int)                    {}
func (NoopMetrics) SetInflight(int)                    {}
func (NoopMetrics) SetWorkers(int)                     {}
func (NoopMetrics) SetLimits(Limits)                   {}

// segmentOK records a segment answered with renditions, locally or by a
// remote worker (whose report names its own fallback).
func segmentOK(m Metrics, res *Result, wall time.Duration) {
	m.Segment(ResultOK, wall)
	if r := res.Segment.HWFallback; r != ffmpeg.HWFallbackNone {
		m.HWFallback(r)
	}
	var graphs, encoders int
	for _, r := range res.Segment.Renditions {
		if r.WarmGraph {
			graphs++
		}
		if r.WarmEncoder {
			encoders++
		}
	}
	m.Renditions(len(res.Segment.Renditions), graphs, encoders)
}

// PromMetrics exports a node's measurements to Prometheus.
type PromMetrics struct {
	segments *prometheus.CounterVec
	seconds  prometheus.Histogram
	fallback *prometheus.CounterVec
	rends    prometheus.Counter
	warm     *prometheus.CounterVec
	rejected *prometheus.CounterVec
	receipts *prometheus.CounterVec
	sessions prometheus.Gauge
	inflight prometheus.Gauge
	workers  prometheus.Gauge
	// The limits in force (--max-sessions, --max-inflight, as changed at
	// run time).
	maxSessions prometheus.Gauge
	maxInflight prometheus.Gauge
}

var _ Metrics = (*PromMetrics)(nil)

// NewPromMetrics registers the node metrics with reg.
func NewPromMetrics(reg prometheus.Registerer) (*PromMetrics, error) {
	m := &PromMetrics{
		segments: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "opkit_node_segments_total", Help: "Segment requests by result (ok, bad_input, worker_lost, error).",
		}, []string{"result"}),
		seconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "opkit_node_segment_seconds", Help: "Wall time of a segment request that reached a transcoder.",
			Buckets: []float64{0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32},
		}),
		fallback: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "opkit_node_hw_fallback_segments_total", Help: "Segments of GPU sessions decoded on the CPU, by reason (surfaces, pixel_format, codec, device_unavailable, decoder_init).",
		}, []string{"reason"}),
		rends: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "opkit_node_renditions_total", Help: "Renditions of answered segments.",
		}),
		warm: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "opkit_node_warm_renditions_total", Help: "Renditions of answered segments whose filter graph or encoder (stage) came warm from the stream's previous segment.",
		}, []string{"stage"}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "opkit_node_rejected_total", Help: "Segment requests refused before any work, by reason (auth, too_large, bad_request, sessions, inflight, devices, draining).",
		}, []string{"reason"}),
		receipts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "opkit_node_receipts_total", Help: "Segments sent with a job id and broadcaster signature, by receipt outcome (stored, conflict, refused, error).",
		}, []string{"result"}),
		sessions:    prometheus.NewGauge(prometheus.GaugeOpts{Name: "opkit_node_sessions", Help: "Streams with a local engine session."}),
		inflight:    prometheus.NewGauge(prometheus.GaugeOpts{Name: "opkit_node_inflight", Help: "Segments being transcoded, locally or on a worker."}),
		workers:     prometheus.NewGauge(prometheus.GaugeOpts{Name: "opkit_node_workers", Help: "Remote transcoders registered with this node."}),
		maxSessions: prometheus.NewGauge(prometheus.GaugeOpts{Name: "opkit_node_max_sessions", Help: "Streams this machine takes at once (local sessions), as now in force."}),
		maxInflight: prometheus.NewGauge(prometheus.GaugeOpts{Name: "opkit_node_max_inflight", Help: "Segments in flight at once, local and remote, as now in force."}),
	}
	for _, c := range []prometheus.Collector{m.segments, m.seconds, m.fallback, m.rends, m.warm, m.rejected, m.receipts, m.sessions, m.inflight, m.workers, m.maxSessions, m.maxInflight} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	for _, r := range []string{ResultOK, ResultBadInput, ResultWorkerLost, ResultError} {
		m.segments.WithLabelValues(r)
	}
	for _, r := range hwFallbackReasons {
		m.fallback.WithLabelValues(string(r))
	}
	m.warm.WithLabelValues(warmStageGraph)
	m.warm.WithLabelValues(warmStageEncoder)
	for _, r := range []string{ReceiptStored, ReceiptConflict, ReceiptRefused, ReceiptError} {
		m.receipts.WithLabelValues(r)
	}
	for _, r := range []string{RejectAuth, RejectTooLarge, RejectBadRequest, RejectSessions, RejectInflight, RejectDevices, RejectDraining} {
		m.rejected.WithLabelValues(r)
	}
	return m, nil
}

func (m *PromMetrics) Segment(result string, wall time.Duration) {
	m.segments.WithLabelValues(result).Inc()
	m.seconds.Observe(wall.Seconds())
}
func (m *PromMetrics) HWFallback(r ffmpeg.HWFallbackReason) {
	m.fallback.WithLabelValues(hwFallbackLabel(r)).Inc()
}
func (m *PromMetrics) Renditions(total, warmGraphs, warmEncoders int) {
	m.rends.Add(float64(total))
	m.warm.WithLabelValues(warmStageGraph).Add(float64(warmGraphs))
	m.warm.WithLabelValues(warmStageEncoder).Add(float64(warmEncoders))
}
func (m *PromMetrics) Rejected(reason string) { m.rejected.WithLabelValues(reason).Inc() }
func (m *PromMetrics) Receipt(result string)  { m.receipts.WithLabelValues(result).Inc() }
func (m *PromMetrics) SetSessions(n int)      { m.sessions.Set(float64(n)) }
func (m *PromMetrics) SetInflight(n int)      { m.inflight.Set(float64(n)) }
func (m *PromMetrics) SetWorkers(n int)       { m.workers.Set(float64(n)) }
func (m *PromMetrics) SetLimits(l Limits) {
	m.maxSessions.Set(float64(l.LocalSessions))
	m.maxInflight.Set(float64(l.MaxInflight))
}
