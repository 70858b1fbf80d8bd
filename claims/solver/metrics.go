package solver

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Results of a request, as counted in opkit_verifier_requests_total.
const (
	ResultPassed      = "passed"
	ResultFailed      = "failed"
	ResultUnjudgeable = "unjudgeable"
)

// Metrics is what the service reports.
type Metrics interface {
	Result(result string)
	Open(n int)
	CheckDuration(d time.Duration)
	StepError()
}

// NopMetrics reports nothing.
type NopMetrics struct{}

func (NopMetrics) Result(string)               {}
func (NopMetrics) Open(int)                    {}
func (NopMetrics) CheckDuration(time.Duration) {}
func (NopMetrics) StepError()                  {}

// PromMetrics are the solver's Prometheus metrics.
type PromMetrics struct {
	results *prometheus.CounterVec
	open    prometheus.Gauge
	check   prometheus.Histogram
	errs    prometheus.Counter
}

// NewPromMetrics registers the solver's metrics on reg.
func NewPromMetrics(reg prometheus.Registerer) (*PromMetrics, error) {
	m := &PromMetrics{
		results: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "opkit_verifier_requests_total",
			Help: "Verification requests answered (passed, failed) or left unanswered (unjudgeable)."}, []string{"result"}),
		open: prometheus.NewGauge(prometheus.GaugeOpts{Name: "opkit_verifier_open_requests",
			Help: "Verification requests seen and not yet answered on chain."}),
		check: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "opkit_verifier_check_seconds",
			Help: "Time to fetch, re-encode and compare one challenged segment.", Buckets: prometheus.ExponentialBuckets(0.05, 2, 12)}),
		errs: prometheus.NewCounter(prometheus.CounterOpts{Name: "opkit_verifier_step_errors_total",
			Help: "Verifier steps that failed and were retried (chain or storage errors)."}),
	}
	for _, c := range []prometheus.Collector{m.results, m.open, m.check, m.errs} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	for _, r := range []string{ResultPassed, ResultFailed, ResultUnjudgeable} {
		m.results.WithLabelValues(r)
	}
	return m, nil
}

func (m *PromMetrics) Result(r string)               { m.results.WithLabelValues(r).Inc() }
func (m *PromMetrics) Open(n int)                    { m.open.Set(float64(n)) }
func (m *PromMetrics) CheckDuration(d time.Duration) { m.check.Observe(d.Seconds()) }
func (m *PromMetrics) StepError()                    { m.errs.Inc() }
