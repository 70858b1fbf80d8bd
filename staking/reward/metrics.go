package reward

import (
	"math/big"

	"github.com/prometheus/client_golang/prometheus"
)

// Results of a reward call: the bounded values of the result label of
// opkit_reward_calls_total.
const (
	ResultSuccess  = "success"  // reward() mined and succeeded
	ResultReverted = "reverted" // reward() mined and reverted
	ResultError    = "error"    // the send failed; retried within the round
	ResultRefused  = "refused"  // the protection DB could not be used: nothing sent
)

// Metrics receives the reward service's measurements.
type Metrics interface {
	SetCurrentRound(round uint64)
	SetLastRewardRound(round uint64)
	RewardCall(result string)
	MissedRound()
	SetBalance(wei *big.Int)
}

// NoopMetrics discards everything.
type NoopMetrics struct{}

var _ Metrics = NoopMetrics{}

func (NoopMetrics) SetCurrentRound(uint64)    {}
func (NoopMetrics) SetLastRewardRound(uint64) {}
func (NoopMetrics) RewardCall(string)         {}
func (NoopMetrics) MissedRound()              {}
func (NoopMetrics) SetBalance(*big.Int)       {}

// PromMetrics exports the measurements to Prometheus.
type PromMetrics struct {
	currentRound    prometheus.Gauge
	lastRewardRound prometheus.Gauge
	calls           *prometheus.CounterVec
	missed          prometheus.Counter
	balance         prometheus.Gauge
}

var _ Metrics = (*PromMetrics)(nil)

// NewPromMetrics registers the reward metrics with reg.
func NewPromMetrics(reg prometheus.Registerer) (*PromMetrics, error) {
	m := &PromMetrics{
		currentRound: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "opkit_current_round", Help: "The round the chain is in, as last read.",
		}),
		lastRewardRound: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "opkit_last_reward_round", Help: "The last round for which the transcoder's reward is on chain.",
		}),
		calls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "opkit_reward_calls_total", Help: "reward() calls by result (success, reverted, error, refused).",
		}, []string{"result"}),
		missed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "opkit_missed_rounds_total", Help: "Rounds that ended without this transcoder's reward.",
		}),
		balance: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "opkit_eth_balance_wei", Help: "ETH balance of the operator account, in wei.",
		}),
	}
	for _, c := range []prometheus.Collector{m.currentRound, m.lastRewardRound, m.calls, m.missed, m.balance} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	for _, r := range []string{ResultSuccess, ResultReverted, ResultError, ResultRefused} {
		m.calls.WithLabelValues(r) // export zeros so rate() and alerts see the series
	}
	return m, nil
}

func (m *PromMetrics) SetCurrentRound(r uint64)    { m.currentRound.Set(float64(r)) }
func (m *PromMetrics) SetLastRewardRound(r uint64) { m.lastRewardRound.Set(float64(r)) }
func (m *PromMetrics) RewardCall(result string)    { m.calls.WithLabelValues(boundedResult(result)).Inc() }
func (m *PromMetrics) MissedRound()                { m.missed.Inc() }

// SetBalance exports the balance as a float: exact up to 2^53 wei, close
// enough beyond for alerting.
func (m *PromMetrics) SetBalance(wei *big.Int) {
	f, _ := new(big.Float).SetInt(wei).Float64()
	m.balance.Set(f)
}

func boundedResult(r string) string {
	switch r {
	case ResultSuccess, ResultReverted, ResultError, ResultRefused:
		return r
	default:
		return ResultError
	}
}
