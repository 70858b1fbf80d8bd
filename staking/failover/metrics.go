package failover

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
)

// PromMetrics exports opkit_rpc_active_endpoint and opkit_rpc_failovers_total.
type PromMetrics struct {
	active    prometheus.Gauge
	failovers *prometheus.CounterVec
}

var _ Metrics = (*PromMetrics)(nil)

// NewPromMetrics registers the failover metrics with reg.
func NewPromMetrics(reg prometheus.Registerer) *PromMetrics {
	m := &PromMetrics{
		active: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "opkit_rpc_active_endpoint", Help: "Index (0-based, in --eth-url order) of the JSON-RPC endpoint in use.",
		}),
		failovers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "opkit_rpc_failovers_total", Help: "Switches away from a JSON-RPC endpoint that failed to answer, by its index.",
		}, []string{"from"}),
	}
	reg.MustRegister(m.active, m.failovers)
	return m
}

func (m *PromMetrics) SetActive(i int) { m.active.Set(float64(i)) }
func (m *PromMetrics) Failover(from int) {
	m.failovers.WithLabelValues(strconv.Itoa(from)).Inc()
}
