package claims

import (
	"math/big"

	"github.com/prometheus/client_golang/prometheus"
)

// Bounded values of the result label of opkit_claims_submitted_total.
const (
	ClaimResultClaimed   = "claimed"   // claimWork mined
	ClaimResultRecovered = "recovered" // a claim sent before a restart was found on chain
	ClaimResultReverted  = "reverted"  // claimWork was mined and reverted; its receipts are claimed again
	ClaimResultError     = "error"     // refused or not confirmed; retried on a later block
)

// Bounded values of the result label of opkit_verifications_total.
const (
	VerifyResultSubmitted = "submitted" // verify() mined
	VerifyResultAlready   = "already"   // the segment was submitted before (found on chain)
	VerifyResultReverted  = "reverted"  // verify() was mined and reverted
	VerifyResultMissed    = "missed"    // the verification period ended first
	VerifyResultError     = "error"     // refused or not confirmed; retried on a later block
)

// Metrics receives the claims service's measurements.
type Metrics interface {
	SetPendingReceipts(n int)
	ClaimSubmitted(result string)
	Verification(result string)
	FeesDistributed(wei *big.Int)
}

// NoopMetrics discards everything.
type NoopMetrics struct{}

var _ Metrics = NoopMetrics{}

func (NoopMetrics) SetPendingReceipts(int)   {}
func (NoopMetrics) ClaimSubmitted(string)    {}
func (NoopMetrics) Verification(string)      {}
func (NoopMetrics) FeesDistributed(*big.Int) {}

// PromMetrics exports the measurements to Prometheus.
type PromMetrics struct {
	pending  prometheus.Gauge
	claims   *prometheus.CounterVec
	verifies *prometheus.CounterVec
	fees     prometheus.Counter
}

var _ Metrics = (*PromMetrics)(nil)

// NewPromMetrics registers the claims metrics in reg.
func NewPromMetrics(reg prometheus.Registerer) (*PromMetrics, error) {
	m := &PromMetrics{
		pending: prometheus.NewGauge(prometheus.GaugeOpts{Name: "opkit_claims_pending_receipts",
			Help: "Receipts in the store that are in no claim yet (rejected ones excluded)."}),
		claims: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "opkit_claims_submitted_total",
			Help: "claimWork outcomes by result."}, []string{"result"}),
		verifies: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "opkit_verifications_total",
			Help: "Challenged segment outcomes by result."}, []string{"result"}),
		fees: prometheus.NewCounter(prometheus.CounterOpts{Name: "opkit_fees_distributed_wei_total",
			Help: "Fees credited to the transcoder by distributeFees, in wei."}),
	}
	for _, r := range []string{ClaimResultClaimed, ClaimResultRecovered, ClaimResultReverted, ClaimResultError} {
		m.claims.WithLabelValues(r)
	}
	for _, r := range []string{VerifyResultSubmitted, VerifyResultAlready, VerifyResultReverted, VerifyResultMissed, VerifyResultError} {
		m.verifies.WithLabelValues(r)
	}
	for _, c := range []prometheus.Collector{m.pending, m.claims, m.verifies, m.fees} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *PromMetrics) SetPendingReceipts(n int)     { m.pending.Set(float64(n)) }
func (m *PromMetrics) ClaimSubmitted(result string) { m.claims.WithLabelValues(result).Inc() }
func (m *PromMetrics) Verification(result string)   { m.verifies.WithLabelValues(result).Inc() }

// FeesDistributed adds wei (as a float: exact below 2^53 wei, close enough above).
func (m *PromMetrics) FeesDistributed(wei *big.Int) {
	f, _ := new(big.Float).SetInt(wei).Float64()
	m.fees.Add(f)
}
