package daemon_test

import (
	"context"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"gopkg.in/yaml.v3"

	"github.com/opkit-dev/opkit/staking/reward"
)

// TestMetricsEndpoint scrapes the daemon's /metrics over HTTP on loopback
// after three rewarded rounds and checks the values against the chain.
func TestMetricsEndpoint(t *testing.T) {
	w := newWorld(t, 3, testLogger(t))
	w.register()
	regRound := w.head() / roundLength
	cfg := w.daemonConfig()
	cfg.MetricsAddr = "127.0.0.1:0"
	d := w.startDaemon(cfg)
	// The registration round: not yet active. Let that finish first.
	for o := range w.outcomes {
		if o.round == regRound {
			if o.o != reward.OutcomeNotActive {
				t.Fatalf("registration round %d: %v, %v", regRound, o.o, o.err)
			}
			break
		}
	}
	startBal, err := w.direct.BalanceAt(context.Background(), w.acct, nil)
	if err != nil {
		t.Fatal(err)
	}
	last := regRound + 3
	for r := regRound + 1; r <= last; r++ {
		if o, ok := w.driveRound(r, 30*time.Second); !ok || o.o != reward.OutcomeRewarded {
			t.Fatalf("round %d: %v %v", r, o.o, o.err)
		}
	}
	fams := scrape(t, "http://"+d.d.MetricsAddr()+"/metrics")
	want := map[string]float64{
		"opkit_current_round":       float64(last),
		"opkit_last_reward_round":   float64(last),
		"opkit_missed_rounds_total": 0,
	}
	for name, v := range want {
		if got := gaugeOrCounter(t, fams, name, nil); got != v {
			t.Errorf("%s = %v, want %v", name, got, v)
		}
	}
	if got := gaugeOrCounter(t, fams, "opkit_reward_calls_total", map[string]string{"result": "success"}); got != 3 {
		t.Errorf("opkit_reward_calls_total{result=success} = %v, want 3", got)
	}
	if got := gaugeOrCounter(t, fams, "opkit_reward_calls_total", map[string]string{"result": "error"}); got != 0 {
		t.Errorf("opkit_reward_calls_total{result=error} = %v, want 0", got)
	}
	endBal, _ := w.direct.BalanceAt(context.Background(), w.acct, nil)
	bal := gaugeOrCounter(t, fams, "opkit_eth_balance_wei", nil)
	lo, _ := new(big.Float).SetInt(endBal).Float64()
	hi, _ := new(big.Float).SetInt(startBal).Float64()
	if bal < lo || bal > hi {
		t.Errorf("opkit_eth_balance_wei = %v, want between %v and %v", bal, lo, hi)
	}
	for _, name := range []string{"opkit_tx_pending", "opkit_gas_price_wei"} {
		if _, ok := fams[name]; !ok {
			t.Errorf("%s missing from the shared registry", name)
		}
	}
	if got := gaugeOrCounter(t, fams, "opkit_gas_price_wei", nil); got <= 0 {
		t.Errorf("opkit_gas_price_wei = %v", got)
	}
	checkAlertRules(t, fams)
}

// checkAlertRules loads scripts/prometheus/opkit-alerts.yml and checks that
// every opkit metric its rules use is one the daemon exports.
func checkAlertRules(t *testing.T, fams map[string]*dto.MetricFamily) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "scripts", "prometheus", "opkit-alerts.yml"))
	if err != nil {
		t.Fatalf("alert rules: %v", err)
	}
	var rules struct {
		Groups []struct {
			Rules []struct {
				Alert string `yaml:"alert"`
				Expr  string `yaml:"expr"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	if err := yaml.Unmarshal(raw, &rules); err != nil {
		t.Fatalf("alert rules: %v", err)
	}
	names := regexp.MustCompile(`opkit_[a-z_]+`)
	n := 0
	for _, g := range rules.Groups {
		for _, r := range g.Rules {
			n++
			if r.Alert == "" || r.Expr == "" {
				t.Errorf("rule %+v lacks alert or expr", r)
			}
			for _, m := range names.FindAllString(r.Expr, -1) {
				if _, ok := fams[m]; !ok {
					t.Errorf("alert %s uses %s, which the daemon does not export", r.Alert, m)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no alert rules")
	}
}

func scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("scrape: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("scrape: %s", resp.Status)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parse metrics: %v", err)
	}
	return fams
}

func gaugeOrCounter(t *testing.T, fams map[string]*dto.MetricFamily, name string, labels map[string]string) float64 {
	t.Helper()
	f, ok := fams[name]
	if !ok {
		t.Fatalf("metric %s missing", name)
	}
next:
	for _, m := range f.GetMetric() {
		for _, lp := range m.GetLabel() {
			if v, ok := labels[lp.GetName()]; ok && v != lp.GetValue() {
				continue next
			}
		}
		if m.GetGauge() != nil {
			return m.GetGauge().GetValue()
		}
		return m.GetCounter().GetValue()
	}
	t.Fatalf("metric %s%v missing", name, labels)
	return 0
}

// TestStopWithAnIdleMetricsConnection stops the daemon while a scraper holds
// a connection to /metrics it has sent nothing on. http.Server.Shutdown
// counts such a connection as active for five seconds; the daemon must still
// stop at once and without an error.
func TestStopWithAnIdleMetricsConnection(t *testing.T) {
	w := newWorld(t, 5, testLogger(t))
	cfg := w.daemonConfig()
	cfg.MetricsAddr = "127.0.0.1:0"
	d := w.startDaemon(cfg)
	conn, err := net.Dial("tcp", d.d.MetricsAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	time.Sleep(50 * time.Millisecond) // accepted
	start := time.Now()
	d.stop(t)
	if took := time.Since(start); took > 3*time.Second {
		t.Fatalf("daemon took %v to stop", took)
	}
}
