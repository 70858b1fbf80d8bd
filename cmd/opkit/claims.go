package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/claims"
	"github.com/opkit-dev/opkit/staking/metricsserver"
)

// Flags of `opkit claims`. Their env vars carry a CLAIMS_ prefix so that they never pick up
// the staking daemon's OPKIT_DB or OPKIT_METRICS_ADDR.
const (
	flagClaimsDB          = "db"
	flagClaimsMaxSegments = "max-segments"
	flagClaimsIdle        = "claim-idle"
	flagClaimsEndMargin   = "end-margin"
	flagClaimsPoll        = "poll-interval"
	flagClaimsMetrics     = "metrics-addr"
	flagClaimsJSON        = "json"
)

func claimsEnv(flag string) string { return envVar("claims-" + flag) }

// claimsConfig is what the claims flags fill.
type claimsConfig struct {
	DB           string
	MaxSegments  int
	ClaimIdle    time.Duration
	EndMargin    uint64
	PollInterval time.Duration
	MetricsAddr  string
}

var defaultClaimsConfig = claimsConfig{
	MaxSegments:  claims.DefaultMaxSegments,
	ClaimIdle:    claims.DefaultClaimIdle,
	EndMargin:    claims.DefaultEndMargin,
	PollInterval: claims.DefaultPollInterval,
	MetricsAddr:  "127.0.0.1:7936",
}

var errClaimsConfig = errors.New("invalid claims flags")

// Validate checks the values and fills the default store path.
func (c *claimsConfig) Validate() error {
	switch {
	case c.MaxSegments <= 0 || c.MaxSegments > 100_000:
		return fmt.Errorf("%w: --%s %d: want 1 to 100000", errClaimsConfig, flagClaimsMaxSegments, c.MaxSegments)
	case c.ClaimIdle <= 0:
		return fmt.Errorf("%w: --%s must be positive", errClaimsConfig, flagClaimsIdle)
	case c.EndMargin == 0:
		return fmt.Errorf("%w: --%s must be at least 1 block", errClaimsConfig, flagClaimsEndMargin)
	case c.PollInterval <= 0:
		return fmt.Errorf("%w: --%s must be positive", errClaimsConfig, flagClaimsPoll)
	}
	return defaultClaimsDB(&c.DB)
}

func defaultClaimsDB(path *string) error {
	if *path != "" {
		return nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return fmt.Errorf("%w: no --%s and no home directory: %v", errClaimsConfig, flagClaimsDB, err)
	}
	*path = filepath.Join(home, ".opkit", "claims.db")
	return nil
}

func claimsDBFlag() cli.Flag {
	return &cli.StringFlag{Name: flagClaimsDB, Usage: "receipt store `FILE` (default: $HOME/.opkit/claims.db); one process per file", EnvVars: []string{claimsEnv(flagClaimsDB)}}
}

func claimsRunFlags() []cli.Flag {
	d := defaultClaimsConfig
	return []cli.Flag{
		claimsDBFlag(),
		&cli.IntFlag{Name: flagClaimsMaxSegments, Value: d.MaxSegments, Usage: "most segments in one claim", EnvVars: []string{claimsEnv(flagClaimsMaxSegments)}},
		&cli.DurationFlag{Name: flagClaimsIdle, Value: d.ClaimIdle, Usage: "claim a shorter run once its newest receipt is this old", EnvVars: []string{claimsEnv(flagClaimsIdle)}},
		&cli.Uint64Flag{Name: flagClaimsEndMargin, Value: d.EndMargin, Usage: "claim every run once the job ends within this many `BLOCKS`", EnvVars: []string{claimsEnv(flagClaimsEndMargin)}},
		&cli.DurationFlag{Name: flagClaimsPoll, Value: d.PollInterval, Usage: "how often to poll the chain head", EnvVars: []string{claimsEnv(flagClaimsPoll)}},
		&cli.StringFlag{Name: flagClaimsMetrics, Value: d.MetricsAddr, Usage: "serve Prometheus /metrics and the store's /claims JSON on this `HOST:PORT` (empty: off)", EnvVars: []string{claimsEnv(flagClaimsMetrics)}},
	}
}

func claimsConfigFrom(c *cli.Context) claimsConfig {
	return claimsConfig{
		DB:           c.String(flagClaimsDB),
		MaxSegments:  c.Int(flagClaimsMaxSegments),
		ClaimIdle:    c.Duration(flagClaimsIdle),
		EndMargin:    c.Uint64(flagClaimsEndMargin),
		PollInterval: c.Duration(flagClaimsPoll),
		MetricsAddr:  c.String(flagClaimsMetrics),
	}
}

func claimsCommand() *cli.Command {
	return &cli.Command{
		Name:  "claims",
		Usage: "get paid for transcoding: claim work, verify challenged segments, distribute fees",
		Subcommands: []*cli.Command{
			{
				Name:  "run",
				Usage: "run the claims loop for the transcoder account over a receipt store",
				Description: `Polls the chain head and, for the receipts in --db: claims runs of consecutive
segments of a job (claimWork; at most --max-segments, a shorter run once it is
--claim-idle old or the job ends within --end-margin blocks), verifies every
segment the challenge rule picks before the verification period ends, and calls
distributeFees after the slashing window. Each step is recorded in the store
before and after its transaction, so a restart never claims a segment twice.
Metrics and the store's state (/claims) are served on --metrics-addr.
SIGINT or SIGTERM stops it cleanly.`,
				Flags:  withChainFlags(claimsRunFlags()...),
				Action: runClaims,
			},
			{
				Name:  "status",
				Usage: "print the receipts and claims in a receipt store",
				Flags: []cli.Flag{
					claimsDBFlag(),
					&cli.BoolFlag{Name: flagClaimsJSON, Usage: "print JSON", EnvVars: []string{claimsEnv(flagClaimsJSON)}},
				},
				Action: claimsStatus,
			},
		},
	}
}

func runClaims(c *cli.Context) error {
	cfg := claimsConfigFrom(c)
	if err := cfg.Validate(); err != nil {
		return err
	}
	log := loggerFrom(c).Named("claims")
	ctx, cancel := signalContext(c.Context, log)
	defer cancel()
	if err := os.MkdirAll(filepath.Dir(cfg.DB), 0o700); err != nil {
		return fmt.Errorf("create directory for --%s: %w", flagClaimsDB, err)
	}
	store, err := claims.OpenStore(cfg.DB, claims.StoreOptions{})
	if err != nil {
		return err
	}
	defer func() { _ = store.Close() }()
	env, reg, err := connectSender(ctx, chainConfigFrom(c), log)
	if err != nil {
		return err
	}
	defer env.Close()
	metrics, err := claims.NewPromMetrics(reg)
	if err != nil {
		return fmt.Errorf("register claims metrics: %w", err)
	}
	svc, err := claims.New(claims.Config{
		Store: store, Backend: env.RPC, Sender: env.Txm, Account: env.From,
		JobsManager: env.Client.Addresses().JobsManager, ChainID: env.ChainID.Uint64(),
		MaxSegments: cfg.MaxSegments, ClaimIdle: cfg.ClaimIdle, EndMargin: cfg.EndMargin,
		PollInterval: cfg.PollInterval, Metrics: metrics, Logger: log,
		VerifyMaxGasPrice: env.cfg.maxGasPriceVerifyWei(),
	})
	if err != nil {
		return err
	}
	stopHTTP, err := serveClaimsHTTP(cfg.MetricsAddr, reg, store, log)
	if err != nil {
		return err
	}
	runErr := svc.Run(ctx)
	return errors.Join(runErr, stopHTTP())
}

// serveClaimsHTTP serves /metrics and /claims on addr until the returned stop is called.
func serveClaimsHTTP(addr string, reg *prometheus.Registry, store *claims.Store, log *zap.Logger) (stop func() error, _ error) {
	ln, err := listenMetrics(addr)
	if err != nil {
		return nil, err
	}
	if ln == nil {
		return func() error { return nil }, nil
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/claims", func(w http.ResponseWriter, _ *http.Request) {
		st, err := store.Status()
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(st)
	})
	return metricsserver.Start(ln, mux, log).Stop, nil
}

func claimsStatus(c *cli.Context) error {
	path := c.String(flagClaimsDB)
	if err := defaultClaimsDB(&path); err != nil {
		return err
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("receipt store %s: %w", path, err)
	}
	store, err := claims.OpenStore(path, claims.StoreOptions{ReadOnly: true})
	if errors.Is(err, claims.ErrStoreLocked) {
		return fmt.Errorf("%w (while `opkit claims run` holds it, read its --%s /claims instead)", err, flagClaimsMetrics)
	}
	if err != nil {
		return err
	}
	defer func() { _ = store.Close() }()
	st, err := store.Status()
	if err != nil {
		return err
	}
	if c.Bool(flagClaimsJSON) {
		enc := json.NewEncoder(c.App.Writer)
		enc.SetIndent("", "  ")
		return enc.Encode(st)
	}
	return printClaimsStatus(c.App.Writer, st)
}

func printClaimsStatus(out io.Writer, st claims.Status) error {
	if b := st.Binding; b != nil {
		fmt.Fprintf(out, "chain %d, JobsManager %s, transcoder %s\n", b.ChainID, b.JobsManager, b.Account)
	} else {
		fmt.Fprintln(out, "not yet used by `opkit claims run`")
	}
	fmt.Fprintf(out, "%d receipts in no claim\n\n", st.Unclaimed)
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "JOB\tSTREAM\tSEGMENTS\tRECEIPTS\tUNCLAIMED\tREJECTED")
	for _, j := range st.Jobs {
		fmt.Fprintf(tw, "%d\t%s\t%d-%d\t%d\t%d\t%d\n", j.Job, j.Stream, j.FirstSeg, j.LastSeg, j.Receipts, j.Unclaimed, j.Rejected)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(st.Claims) == 0 {
		return nil
	}
	fmt.Fprintln(out)
	tw = tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "JOB\tCLAIM\tSEGMENTS\tSTATE\tCLAIM BLOCK\tVERIFY BEFORE\tFEES AFTER\tCHALLENGED\tFEES (WEI)")
	for _, cl := range st.Claims {
		id := "-"
		if cl.State != claims.ClaimIntent && cl.State != claims.ClaimFailed {
			id = fmt.Sprint(cl.ClaimID)
		}
		fmt.Fprintf(tw, "%d\t%s\t%d-%d\t%s\t%d\t%d\t%d\t%s\t%s\n", cl.Job, id, cl.Start, cl.End, cl.State,
			cl.ClaimBlock, cl.EndVerify, cl.EndSlashing, challengedSummary(cl), orDash(cl.Fees))
	}
	return tw.Flush()
}

// challengedSummary is "-" before the seed block, else "n: seg=outcome ...".
func challengedSummary(cl claims.ClaimRecord) string {
	if cl.ChallengeSeed == ([32]byte{}) {
		return "-"
	}
	parts := make([]string, 0, len(cl.Challenged))
	for _, s := range cl.Challenged {
		o := cl.Verified[s]
		if o == "" {
			o = "pending"
		}
		parts = append(parts, fmt.Sprintf("%d=%s", s, o))
	}
	if len(parts) == 0 {
		return "0"
	}
	return fmt.Sprintf("%d: %s", len(parts), strings.Join(parts, " "))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
