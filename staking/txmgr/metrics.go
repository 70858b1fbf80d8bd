package txmgr

import (
	"math/big"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Labels of transactions: the bounded values of the label label of
// opkit_tx_sent_total. A Candidate with any other label is counted as
// LabelOther.
const (
	LabelReward          = "reward"
	LabelInitializeRound = "initialize_round"
	LabelBond            = "bond"
	LabelUnbond          = "unbond"
	LabelRebond          = "rebond"
	LabelWithdrawStake   = "withdraw_stake"
	LabelWithdrawFees    = "withdraw_fees"
	LabelClaimEarnings   = "claim_earnings"
	LabelTranscoder      = "transcoder"
	LabelApprove         = "approve"
	LabelSetPrice        = "set_price"
	LabelClaimWork       = "claim_work"
	LabelVerify          = "verify"
	LabelDistributeFees  = "distribute_fees"
	LabelTransfer        = "transfer"
	LabelSubmitResult    = "submit_result"
	LabelOther           = "other"
)

var knownLabels = map[string]bool{
	LabelReward: true, LabelInitializeRound: true, LabelBond: true, LabelUnbond: true,
	LabelRebond: true, LabelWithdrawStake: true, LabelWithdrawFees: true,
	LabelClaimEarnings: true, LabelTranscoder: true, LabelApprove: true,
	LabelSetPrice: true, LabelClaimWork: true, LabelVerify: true,
	LabelDistributeFees: true, LabelTransfer: true, LabelSubmitResult: true, LabelNonceGap: true, LabelOther: true,
}

// metricLabel returns l if it is a known label and LabelOther otherwise, so
// that metric cardinality stays bounded whatever callers pass.
func metricLabel(l string) string {
	if knownLabels[l] {
		return l
	}
	return LabelOther
}

// Metrics receives the transaction manager's measurements.
type Metrics interface {
	// SetPending reports how many Sends are queued or in flight.
	SetPending(n int)
	// SetGasPrice reports the fee per gas the manager last needed (base fee
	// plus tip), in wei.
	SetGasPrice(wei *big.Int)
	// TxSent counts one SendTransaction call by what the node answered.
	TxSent(label, result string)
	// TxReplaced counts a fee-bumped replacement.
	TxReplaced()
	// TxGasCapped counts a send or replacement held back by MaxGasPrice.
	TxGasCapped()
	// TxTakenOver counts a pending transaction of an earlier run taken
	// over from the journal.
	TxTakenOver()
	// TxGapFilled counts a nonce gap filled with a zero-value transfer.
	TxGapFilled()
	// TxConfirmed observes the time from first publication to confirmation.
	TxConfirmed(d time.Duration)
}

// NoopMetrics discards everything.
type NoopMetrics struct{}

var _ Metrics = NoopMetrics{}

func (NoopMetrics) SetPending(int)            {}
func (NoopMetrics) SetGasPrice(*big.Int)      {}
func (NoopMetrics) TxSent(string, string)     {}
func (NoopMetrics) TxReplaced()               {}
func (NoopMetrics) TxGasCapped()              {}
func (NoopMetrics) TxTakenOver()              {}
func (NoopMetrics) TxGapFilled()              {}
func (NoopMetrics) TxConfirmed(time.Duration) {}

// PromMetrics exports the measurements to Prometheus.
type PromMetrics struct {
	pending   prometheus.Gauge
	gasPrice  prometheus.Gauge
	sent      *prometheus.CounterVec
	replaced  prometheus.Counter
	capped    prometheus.Counter
	takenOver prometheus.Counter
	gapFilled prometheus.Counter
	confirmed prometheus.Histogram
}

var _ Metrics = (*PromMetrics)(nil)

// NewPromMetrics creates the opkit_tx_* metrics and registers them with reg.
func NewPromMetrics(reg prometheus.Registerer) *PromMetrics {
	m := &PromMetrics{
		pending: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "opkit_tx_pending", Help: "Transactions queued or waiting for confirmation.",
		}),
		gasPrice: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "opkit_gas_price_wei", Help: "Fee per gas last needed (base fee plus tip), in wei.",
		}),
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "opkit_tx_sent_total", Help: "SendTransaction calls by transaction label and node answer.",
		}, []string{"label", "result"}),
		replaced: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "opkit_tx_replaced_total", Help: "Fee-bumped replacement transactions sent.",
		}),
		capped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "opkit_tx_gas_capped_total", Help: "Sends or replacements held back by the max gas price.",
		}),
		takenOver: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "opkit_tx_taken_over_total", Help: "Pending transactions of an earlier run taken over from the journal at start.",
		}),
		gapFilled: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "opkit_tx_nonce_gaps_filled_total", Help: "Nonces left empty (lost by the node or dropped by a reorganisation) filled with a zero-value self-transfer.",
		}),
		confirmed: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "opkit_tx_confirm_seconds",
			Help:    "Time from first publication to confirmation.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 12),
		}),
	}
	reg.MustRegister(m.pending, m.gasPrice, m.sent, m.replaced, m.capped, m.takenOver, m.gapFilled, m.confirmed)
	return m
}

func (m *PromMetrics) SetPending(n int) { m.pending.Set(float64(n)) }

func (m *PromMetrics) SetGasPrice(wei *big.Int) {
	f, _ := new(big.Float).SetInt(wei).Float64()
	m.gasPrice.Set(f)
}

func (m *PromMetrics) TxSent(label, result string) {
	m.sent.WithLabelValues(metricLabel(label), result).Inc()
}

func (m *PromMetrics) TxReplaced()  { m.replaced.Inc() }
func (m *PromMetrics) TxGasCapped() { m.capped.Inc() }
func (m *PromMetrics) TxTakenOver() { m.takenOver.Inc() }
func (m *PromMetrics) TxGapFilled() { m.gapFilled.Inc() }

func (m *PromMetrics) TxConfirmed(d time.Duration) { m.confirmed.Observe(d.Seconds()) }
