package daemon

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/staking/alert"
	"github.com/opkit-dev/opkit/staking/chain"
	"github.com/opkit-dev/opkit/staking/metricsserver"
	"github.com/opkit-dev/opkit/staking/protection"
	"github.com/opkit-dev/opkit/staking/reward"
	"github.com/opkit-dev/opkit/staking/rounds"
	"github.com/opkit-dev/opkit/staking/txmgr"
)

// Config is everything the daemon needs; the CLI fills it from flags and
// the chain connection. The caller owns Node, Chain and Txm and closes them
// after Run or Once returns.
type Config struct {
	Node    Node
	Chain   *chain.Client
	Txm     *txmgr.Manager
	Account common.Address
	// DBPath is the protection database file.
	DBPath          string
	InitializeRound bool
	InitDelayMax    time.Duration
	// PollInterval paces head polling and duty retries (default 2s).
	PollInterval time.Duration
	// BlockTime, when known, ends each round's work at the estimated start
	// of the next round as well as when the watcher sees it.
	BlockTime  time.Duration
	MinBalance *big.Int
	// MetricsAddr serves /metrics there; empty: no endpoint.
	MetricsAddr string
	// AlertWebhook receives JSON alerts; empty: none.
	AlertWebhook string
	// AlertTelegramToken and AlertTelegramChat send alerts to a Telegram
	// chat through a bot; AlertDiscordURL to a Discord channel webhook.
	AlertTelegramToken, AlertTelegramChat string
	// AlertTelegramAPI replaces the Bot API's base URL (tests).
	AlertTelegramAPI string
	AlertDiscordURL  string
	// DeadManURL is pinged (healthchecks style) after every round duty:
	// the URL on success, URL/fail on failure.
	DeadManURL string
	// AlertRedact, when set, hides known secrets (the RPC key) in each
	// alert's message; URLs are cut to scheme://host anyway.
	AlertRedact func(string) string
	// Tick replaces the watcher's poll ticker (tests).
	Tick <-chan time.Time
	// Registry collects the metrics (give the one the transaction manager's
	// metrics are in, so /metrics shows both); nil: a new one.
	Registry  *prometheus.Registry
	OnOutcome func(round uint64, o reward.Outcome, err error)
	Logger    *zap.Logger
}

// ErrInvalidConfig is returned for an unusable Config.
var ErrInvalidConfig = errors.New("daemon: invalid config")

// Validate checks the Config.
func (c *Config) Validate() error {
	switch {
	case c.Node == nil || c.Chain == nil:
		return fmt.Errorf("%w: no chain connection", ErrInvalidConfig)
	case c.Txm == nil || c.Account == (common.Address{}):
		return fmt.Errorf("%w: no unlocked account", ErrInvalidConfig)
	case c.DBPath == "":
		return fmt.Errorf("%w: no protection database path", ErrInvalidConfig)
	case c.PollInterval < 0 || c.InitDelayMax < 0 || c.BlockTime < 0:
		return fmt.Errorf("%w: negative duration", ErrInvalidConfig)
	case c.MinBalance != nil && c.MinBalance.Sign() < 0:
		return fmt.Errorf("%w: negative minimum balance", ErrInvalidConfig)
	}
	return nil
}

// Daemon is a built, not yet running staking daemon.
type Daemon struct {
	cfg      Config
	log      *zap.Logger
	chainID  uint64
	db       *protection.DB
	svc      *reward.Service
	registry *prometheus.Registry
	webhooks []*alert.Webhook
	deadman  *alert.DeadMan
	listener net.Listener
}

// New builds the daemon: it takes the protection DB's lock first (a second
// process with the same DB fails here with protection.ErrLocked) and binds
// the metrics listener. On error everything built so far is torn down.
func New(ctx context.Context, cfg Config) (_ *Daemon, err error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 2 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
	}
	d := &Daemon{cfg: cfg, log: cfg.Logger, registry: cfg.Registry}
	defer func() {
		if err != nil {
			err = errors.Join(err, d.close())
		}
	}()
	if d.db, err = protection.Open(cfg.DBPath, protection.Options{}); err != nil {
		return nil, err
	}
	chainID, err := cfg.Node.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("read chain id: %w", err)
	}
	d.chainID = chainID.Uint64()
	rewardCall, initCall, err := dutyCalls(cfg.Chain)
	if err != nil {
		return nil, err
	}
	alerts, err := d.buildAlerts()
	if err != nil {
		return nil, err
	}
	metrics, err := reward.NewPromMetrics(d.registry)
	if err != nil {
		return nil, fmt.Errorf("register reward metrics: %w", err)
	}
	d.svc, err = reward.New(reward.Config{
		ChainID: chainID.Uint64(), Controller: cfg.Chain.Addresses().Controller, Account: cfg.Account,
		Chain: NewReader(cfg.Node, cfg.Chain), Sender: Sender{M: cfg.Txm}, DB: d.db,
		Reward: rewardCall, Initialize: initCall, RewardHint: hintedReward(cfg.Chain, cfg.Account),
		InitializeRound: cfg.InitializeRound, InitDelayMax: cfg.InitDelayMax,
		RetryInterval: cfg.PollInterval, BlockTime: cfg.BlockTime, MinBalance: cfg.MinBalance,
		Metrics: metrics, Alerts: alerts, Logger: cfg.Logger, OnOutcome: d.onOutcome,
	})
	if err != nil {
		return nil, err
	}
	if cfg.MetricsAddr != "" {
		if d.listener, err = net.Listen("tcp", cfg.MetricsAddr); err != nil {
			return nil, fmt.Errorf("listen for metrics on %s: %w", cfg.MetricsAddr, err)
		}
	}
	return d, nil
}

// MetricsAddr is the address /metrics is served on ("" when off).
func (d *Daemon) MetricsAddr() string {
	if d.listener == nil {
		return ""
	}
	return d.listener.Addr().String()
}

// Registry is the registry the daemon's metrics are in.
func (d *Daemon) Registry() *prometheus.Registry { return d.registry }

// Run runs the watcher, the duty loop, the metrics endpoint and the alert
// sender until ctx ends, then shuts them down and releases the DB. The
// webhook alerts are flushed within their timeout. A reward
// transaction still unconfirmed at shutdown stays recorded in the protection
// DB; the next start waits for it instead of sending another.
func (d *Daemon) Run(ctx context.Context) error {
	w, err := rounds.New(rounds.Config{Chain: NewReader(d.cfg.Node, d.cfg.Chain), PollInterval: d.cfg.PollInterval, Tick: d.cfg.Tick, Logger: d.log})
	if err != nil {
		return errors.Join(err, d.close())
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	run := func(f func()) { wg.Add(1); go func() { defer wg.Done(); f() }() }
	run(func() { _ = w.Run(ctx) })
	for _, wh := range d.webhooks {
		run(func() { wh.Run(ctx) })
	}
	if d.deadman != nil {
		run(func() { d.deadman.Run(ctx) })
	}
	var srv *metricsserver.Server
	if d.listener != nil {
		mux := http.NewServeMux()
		mux.Handle("/metrics", promhttp.HandlerFor(d.registry, promhttp.HandlerOpts{}))
		srv = metricsserver.Start(d.listener, mux, d.log)
	}
	d.log.Info("staking daemon started", zap.Stringer("account", d.cfg.Account), zap.String("db", d.db.Path()))
	err = d.svc.Run(ctx, w.Events())
	cancel()
	d.logOpenIntents()
	var shutErr error
	if srv != nil {
		shutErr = srv.Stop()
		d.listener = nil // closed by Stop
	}
	wg.Wait()
	return errors.Join(err, shutErr, d.close())
}

// Once runs one check-and-call and releases the DB.
func (d *Daemon) Once(ctx context.Context) (reward.Outcome, error) {
	o, err := d.svc.RunOnce(ctx)
	return o, errors.Join(err, d.close())
}

// logOpenIntents reports duty transactions sent but not seen mined at
// shutdown: the next start waits for them rather than sending others.
func (d *Daemon) logOpenIntents() {
	for _, duty := range []protection.Duty{protection.DutyInitialize, protection.DutyReward} {
		rec, err := d.db.Latest(protection.Key{ChainID: d.chainID, Controller: d.cfg.Chain.Addresses().Controller,
			Account: d.cfg.Account, Duty: duty})
		if err != nil {
			d.log.Warn("read protection DB at shutdown", zap.Error(err))
			return
		}
		if rec != nil && rec.State == protection.StateIntent {
			d.log.Warn("shutting down with a duty transaction not seen mined; it stays recorded and the next start awaits it",
				zap.Stringer("duty", duty), zap.Uint64("round", rec.Key.Round), zap.Uint64("nonce", rec.Nonce))
		}
	}
}

// close tears down what New built.
func (d *Daemon) close() error {
	var errs []error
	if d.listener != nil {
		errs = append(errs, d.listener.Close())
		d.listener = nil
	}
	if d.db != nil {
		errs = append(errs, d.db.Close())
		d.db = nil
	}
	return errors.Join(errs...)
}
