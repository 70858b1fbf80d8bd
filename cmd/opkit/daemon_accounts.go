package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"
	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/staking/daemon"
	"github.com/opkit-dev/opkit/staking/keys"
	"github.com/opkit-dev/opkit/staking/metricsserver"
	"github.com/opkit-dev/opkit/staking/txmgr"
)

// Several orchestrator accounts in one `opkit daemon`: --account repeats
// (or takes a comma-separated list), and each account runs its own reward
// duty as a lone daemon would: its own chain connection, account lock,
// transaction manager and journal, and protection DB. Their metrics share
// --metrics-addr, each series labelled with its account. An account that
// cannot start, or whose duty stops with an error, does not stop the
// others.

// accountLabel is the label that tells the accounts' series apart.
const accountLabel = "account"

// errNoAccountRunning: none of the accounts' duties could start.
var errNoAccountRunning = errors.New("no account's reward duty could start")

// daemonFlags are `opkit daemon`'s flags: the duty and chain flags, with
// --account repeatable.
func daemonFlags() []cli.Flag {
	flags := withChainFlags(dutyFlags(true)...)
	for i, f := range flags {
		if f.Names()[0] == flagChainAccount {
			flags[i] = &cli.StringSliceFlag{Name: flagChainAccount,
				Usage:   "account: keystore `INDEX` or ADDRESS (default: the first key); repeat it, or give a comma-separated list, to run the reward duty of several accounts in this process (same --keystore and --password-file)",
				EnvVars: []string{envVar(flagChainAccount)}}
		}
	}
	return flags
}

// splitAccounts splits --account's values; empty parts are dropped.
func splitAccounts(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// accountDBPath is one account's protection DB when the daemon runs
// several: the --db name with the account before its extension
// (protection.db → protection-0xabc….db), in the same directory.
func accountDBPath(db string, addr common.Address) string {
	ext := filepath.Ext(db)
	return strings.TrimSuffix(db, ext) + "-" + strings.ToLower(addr.Hex()) + ext
}

// resolveAccounts checks every selector and finds its address before
// anything is connected or locked: a bad value, an account without a key,
// or one account given twice is refused.
func resolveAccounts(cc ChainConfig, sels []string) ([]common.Address, error) {
	seen := map[common.Address]string{}
	out := make([]common.Address, 0, len(sels))
	for _, sel := range sels {
		cc.Account = sel
		if err := cc.Validate(); err != nil {
			return nil, err
		}
		t, err := resolveTarget(cc)
		if err != nil {
			return nil, fmt.Errorf("--%s %s: %w", flagChainAccount, sel, err)
		}
		if t.key == (keys.KeyFile{}) {
			return nil, fmt.Errorf("--%s %s: %w", flagChainAccount, sel, errReadOnly)
		}
		addr := t.key.Address
		if prev, dup := seen[addr]; dup {
			return nil, fmt.Errorf("%w: --%s %s and %s are both %s", errChainConfig, flagChainAccount, prev, sel, addr)
		}
		seen[addr] = sel
		out = append(out, addr)
	}
	return out, nil
}

// accountDuty is one account's reward duty in a daemon of several.
type accountDuty struct {
	sel  string
	addr common.Address
	log  *zap.Logger
	reg  *prometheus.Registry
	env  *chainEnv
	d    *daemon.Daemon
	err  error // why it could not start, or why it stopped
}

// runDaemonAccounts runs the reward duty of every account in sels until
// ctx ends, then stops them all. It returns the accounts' failures, joined;
// errNoAccountRunning at once when none could start.
func runDaemonAccounts(ctx context.Context, cc ChainConfig, duty dutyConfig, sels []string, log *zap.Logger) error {
	addrs, err := resolveAccounts(cc, sels)
	if err != nil {
		return err
	}
	ln, err := listenMetrics(duty.MetricsAddr) // first: a taken port refuses before any lock is taken
	if err != nil {
		return err
	}
	top := prometheus.NewRegistry()
	up := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "opkit_daemon_account_up",
		Help: "1 while the account's reward duty runs; 0 when it could not start or stopped with an error."}, []string{accountLabel})
	top.MustRegister(up)
	gatherers := prometheus.Gatherers{top}
	duties := make([]*accountDuty, len(sels))
	running := 0
	for i, sel := range sels {
		a := &accountDuty{sel: sel, addr: addrs[i], log: log.With(zap.Stringer(accountLabel, addrs[i])), reg: prometheus.NewRegistry()}
		duties[i] = a
		up.WithLabelValues(a.addr.Hex()).Set(0)
		if a.err = a.build(ctx, cc, duty); a.err != nil {
			a.log.Error("this account's reward duty cannot start; the other accounts go on", zap.Error(a.err))
			continue
		}
		gatherers = append(gatherers, accountGatherer{g: a.reg, account: a.addr.Hex()})
		running++
	}
	if running == 0 {
		if ln != nil {
			_ = ln.Close()
		}
		return errors.Join(append([]error{errNoAccountRunning}, dutyErrors(duties)...)...)
	}
	stopHTTP := serveMetrics(ln, gatherers, log)
	var wg sync.WaitGroup
	for _, a := range duties {
		if a.d == nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			up.WithLabelValues(a.addr.Hex()).Set(1)
			a.run(ctx)
			if a.err != nil {
				up.WithLabelValues(a.addr.Hex()).Set(0)
			}
		}()
	}
	log.Info("reward duties started", zap.Int("accounts", running), zap.Int("given", len(sels)))
	wg.Wait()
	return errors.Join(append(dutyErrors(duties), stopHTTP())...)
}

// build connects the account (taking its lock, opening its journal) and
// builds its daemon with the account's own protection DB and registry.
func (a *accountDuty) build(ctx context.Context, cc ChainConfig, duty dutyConfig) error {
	cc.Account, cc.registry = a.sel, a.reg
	env, err := connectChainWith(ctx, cc, keys.StdPrompter(), txmgr.NewPromMetrics(a.reg), a.log)
	if err != nil {
		return err
	}
	duty.DB, duty.MetricsAddr = accountDBPath(duty.DB, env.From), "" // the metrics are served together
	d, err := newDutyDaemon(ctx, env, duty, a.reg, a.log)
	if err != nil {
		env.Close()
		return err
	}
	a.env, a.d = env, d
	return nil
}

// run runs the account's duty until ctx ends, then closes its connection
// (a transaction already sent is seen through first). An error before
// that is logged and kept; the other accounts go on.
func (a *accountDuty) run(ctx context.Context) {
	err := a.d.Run(ctx)
	a.env.Close()
	if err != nil && !errors.Is(err, context.Canceled) {
		a.err = err
		if ctx.Err() == nil {
			a.log.Error("this account's reward duty stopped; the other accounts go on", zap.Error(err))
		}
	}
}

func dutyErrors(duties []*accountDuty) []error {
	var errs []error
	for _, a := range duties {
		if a.err != nil {
			errs = append(errs, fmt.Errorf("account %s: %w", a.addr, a.err))
		}
	}
	return errs
}

// listenMetrics listens on a --metrics address; a nil listener (and no
// error) for an empty one, which turns the metrics server off.
func listenMetrics(addr string) (net.Listener, error) {
	if addr == "" {
		return nil, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen for metrics on %s: %w", addr, err)
	}
	return ln, nil
}

// serveMetrics serves /metrics from g on ln until stop; nothing
// without a listener.
func serveMetrics(ln net.Listener, g prometheus.Gatherer, log *zap.Logger) (stop func() error) {
	if ln == nil {
		return func() error { return nil }
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(g, promhttp.HandlerOpts{}))
	return metricsserver.Start(ln, mux, log).Stop
}

// accountGatherer gathers an account's registry with the account label
// added to every series, so that the accounts' registries, which hold the
// same metric names, can be served together.
type accountGatherer struct {
	g       prometheus.Gatherer
	account string
}

func (a accountGatherer) Gather() ([]*dto.MetricFamily, error) {
	mfs, err := a.g.Gather()
	name, value := accountLabel, a.account
	for _, mf := range mfs {
		for _, m := range mf.Metric {
			m.Label = append(m.Label, &dto.LabelPair{Name: &name, Value: &value})
			sort.Slice(m.Label, func(i, j int) bool { return m.Label[i].GetName() < m.Label[j].GetName() })
		}
	}
	return mfs, err
}
