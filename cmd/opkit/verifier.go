package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/claims"
	"github.com/opkit-dev/opkit/claims/archive"
	"github.com/opkit-dev/opkit/claims/solver"
	"github.com/opkit-dev/opkit/contracts/bindings"
	"github.com/opkit-dev/opkit/ffmpeg"
	"github.com/opkit-dev/opkit/transcoder"
	"github.com/opkit-dev/opkit/transcoder/node"
)

// Flags of `opkit verifier`; their env vars carry a VERIFIER_ prefix.
const (
	flagVerDB       = "db"
	flagVerSegments = "segment-store"
	flagVerNode     = "node"
	flagVerNodeSec  = "node-secret-file"
	flagVerNodeCA   = "node-tls-ca"
	flagVerLadder   = "ladder"
	flagVerMinPSNR  = "min-psnr"
	flagVerGiveUp   = "give-up-after"
	flagVerCheckTO  = "check-timeout"
	flagVerConfirm  = "confirmations"
	flagVerPoll     = "poll-interval"
	flagVerFrom     = "from-block"
	flagVerPreset   = "preset"
	flagVerMetrics  = "metrics-addr"
	flagVerJSON     = "json"
)

func verifierEnv(flag string) []string { return []string{envVar("verifier-" + flag)} }

// verifierConfig is what the verifier flags fill.
type verifierConfig struct {
	db, segments, ladder, preset, metricsAddr string
	node, nodeSecret, nodeCA                  string
	minPSNR                                   float64
	giveUp, poll, checkTimeout                time.Duration
	confirmations, fromBlock                  uint64
}

var defaultVerifierConfig = verifierConfig{
	minPSNR: solver.DefaultMinPSNR, giveUp: solver.DefaultGiveUpAfter, poll: solver.DefaultPollInterval, checkTimeout: solver.DefaultCheckTimeout,
	confirmations: solver.DefaultConfirmations, preset: "veryfast", metricsAddr: "127.0.0.1:7937",
}

var errVerifierConfig = errors.New("invalid verifier flags")

// Validate checks the values.
func (c verifierConfig) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{errVerifierConfig}, a...)...)
	}
	switch {
	case (c.segments == "") == (c.node == ""):
		return bad("give one of --%s (the transcoder's segment store as a directory) and --%s (its node, with --%s)", flagVerSegments, flagVerNode, flagVerNodeSec)
	case c.node != "" && c.nodeSecret == "":
		return bad("--%s needs --%s: the node's --verifier-secret-file", flagVerNode, flagVerNodeSec)
	case c.nodeCA != "" && !strings.HasPrefix(c.node, "https://"):
		return bad("--%s needs an https:// --%s", flagVerNodeCA, flagVerNode)
	case c.minPSNR < 20 || c.minPSNR > ffmpeg.MaxPSNR:
		return bad("--%s %.1f: want 20 to %.0f dB", flagVerMinPSNR, c.minPSNR, ffmpeg.MaxPSNR)
	case c.giveUp <= 0 || c.poll <= 0 || c.checkTimeout <= 0:
		return bad("--%s, --%s and --%s must be positive", flagVerGiveUp, flagVerPoll, flagVerCheckTO)
	}
	if _, err := c.profiles(); err != nil {
		return bad("--%s: %v", flagVerLadder, err)
	}
	return nil
}

// profiles maps profile ids to renditions: every built-in preset, and the
// renditions of --ladder.
func (c verifierConfig) profiles() (func(string) (ffmpeg.RenditionSpec, bool), error) {
	byID := map[string]ffmpeg.RenditionSpec{}
	for _, name := range transcoder.PresetNames() {
		s, _ := transcoder.Preset(name)
		byID[claims.ProfileID(name)] = s
	}
	if c.ladder != "" {
		l, err := transcoder.ParseLadderSpec(c.ladder)
		if err != nil {
			return nil, err
		}
		for _, s := range l.Specs() {
			byID[claims.ProfileID(s.Name)] = s
		}
	}
	return func(id string) (ffmpeg.RenditionSpec, bool) { s, ok := byID[id]; return s, ok }, nil
}

func verifierDBFlag() cli.Flag {
	return &cli.StringFlag{Name: flagVerDB, Usage: "the verifier's request `FILE` (default: verifier.db in the chain state directory); one process per file", EnvVars: verifierEnv(flagVerDB)}
}

func verifierFlags() []cli.Flag {
	d := defaultVerifierConfig
	return []cli.Flag{
		verifierDBFlag(),
		&cli.StringFlag{Name: flagVerSegments, Usage: "the transcoder's segment store `DIR` (opkit node --segment-store): challenged segments and renditions are read there", EnvVars: verifierEnv(flagVerSegments)},
		&cli.StringFlag{Name: flagVerNode, Usage: "`URL` of the transcoder's opkit node: fetch kept segments over its /v1/archive/ API (instead of --" + flagVerSegments + ")", EnvVars: verifierEnv(flagVerNode)},
		&cli.StringFlag{Name: flagVerNodeSec, Usage: "`FILE` holding the node's verifier secret (its --verifier-secret-file)", EnvVars: verifierEnv(flagVerNodeSec)},
		&cli.StringFlag{Name: flagVerNodeCA, Usage: "PEM `FILE` of the CA(s) trusted for an https:// --node instead of the system's", EnvVars: verifierEnv(flagVerNodeCA)},
		&cli.StringFlag{Name: flagVerLadder, Usage: "renditions to recognise in jobs' transcoding options besides the built-in presets (a ladder spec)", EnvVars: verifierEnv(flagVerLadder)},
		&cli.Float64Flag{Name: flagVerMinPSNR, Value: d.minPSNR, Usage: "lowest luma PSNR, in `dB`, of a rendition against the verifier's re-encode that passes", EnvVars: verifierEnv(flagVerMinPSNR)},
		&cli.DurationFlag{Name: flagVerGiveUp, Value: d.giveUp, Usage: "fail a request whose segment data stays unavailable this long", EnvVars: verifierEnv(flagVerGiveUp)},
		&cli.DurationFlag{Name: flagVerCheckTO, Value: d.checkTimeout, Usage: "longest one check may take; a longer one counts as data unavailable", EnvVars: verifierEnv(flagVerCheckTO)},
		&cli.Uint64Flag{Name: flagVerConfirm, Value: d.confirmations, Usage: "read a request once this many `BLOCKS` are on top of it", EnvVars: verifierEnv(flagVerConfirm)},
		&cli.DurationFlag{Name: flagVerPoll, Value: d.poll, Usage: "how often to poll the chain", EnvVars: verifierEnv(flagVerPoll)},
		&cli.Uint64Flag{Name: flagVerFrom, Usage: "first `BLOCK` to scan on the first start (later starts resume where the last stopped)", EnvVars: verifierEnv(flagVerFrom)},
		&cli.StringFlag{Name: flagVerPreset, Value: d.preset, Usage: "x264 preset of the verifier's re-encode", EnvVars: verifierEnv(flagVerPreset)},
		&cli.StringFlag{Name: flagVerMetrics, Value: d.metricsAddr, Usage: "serve Prometheus /metrics on this `HOST:PORT` (empty: off)", EnvVars: verifierEnv(flagVerMetrics)},
	}
}

func verifierConfigFrom(c *cli.Context) verifierConfig {
	return verifierConfig{
		db: c.String(flagVerDB), segments: c.String(flagVerSegments), ladder: c.String(flagVerLadder),
		node: c.String(flagVerNode), nodeSecret: c.String(flagVerNodeSec), nodeCA: c.String(flagVerNodeCA),
		preset: c.String(flagVerPreset), metricsAddr: c.String(flagVerMetrics), minPSNR: c.Float64(flagVerMinPSNR),
		giveUp: c.Duration(flagVerGiveUp), poll: c.Duration(flagVerPoll), checkTimeout: c.Duration(flagVerCheckTO),
		confirmations: c.Uint64(flagVerConfirm), fromBlock: c.Uint64(flagVerFrom),
	}
}

func verifierCommand() *cli.Command {
	return &cli.Command{
		Name:  "verifier",
		Usage: "answer the Verifier contract's verification requests as a trusted solver",
		Description: `Follows VerificationRequested events and, for each challenged segment, reads
the source and the renditions the transcoder committed to from its segment
store (--segment-store), checks that they hash to the request's dataHash and
transcodedDataHash, re-encodes the source with the job's profiles and compares
each rendition with its own encode: same size, same frame count, luma PSNR at
least --min-psnr. It answers with submitResult from the account (a solver the
Controller owner trusted; on the devnet, the last dev account). Each verdict is
recorded in --db before it is sent, so a restart never answers twice.
SIGINT or SIGTERM stops it cleanly.`,
		Flags:  withChainFlags(verifierFlags()...),
		Action: runVerifier,
		Subcommands: []*cli.Command{{
			Name:  "status",
			Usage: "print the requests in a verifier DB",
			Flags: []cli.Flag{
				verifierDBFlag(),
				&cli.BoolFlag{Name: flagVerJSON, Usage: "print JSON", EnvVars: verifierEnv(flagVerJSON)},
				&cli.StringFlag{Name: flagChainStateDir, Usage: "chain state `DIR` (where the default --db is)", EnvVars: []string{envVar(flagChainStateDir)}},
			},
			Action: verifierStatus,
		}},
	}
}

// errNotSolver: the account is not one the Verifier trusts; every answer
// it sent would revert.
var errNotSolver = errors.New("not a trusted solver")

// checkSolver refuses to start for an account the Verifier does not trust.
func checkSolver(ctx context.Context, env *chainEnv, verifier common.Address) error {
	if verifier == (common.Address{}) {
		return fmt.Errorf("the Controller at %s has no Verifier", env.Client.Addresses().Controller)
	}
	v, err := bindings.NewVerifierCaller(verifier, env.RPC)
	if err != nil {
		return fmt.Errorf("bind the Verifier: %w", err)
	}
	ok, err := v.IsSolver(&bind.CallOpts{Context: ctx}, env.From)
	if err != nil {
		return fmt.Errorf("read the Verifier's solvers: %w", err)
	}
	if !ok {
		return withExitCode(2, fmt.Errorf("account %s: %w of the Verifier %s (the Controller's owner trusts one with setSolver; on the devnet it is the last dev account)", env.From, errNotSolver, verifier))
	}
	return nil
}

// segmentSource is where challenged segments are read: the store as a
// directory, or the node's archive API; where names it for the log.
func (c verifierConfig) segmentSource(log *zap.Logger) (_ solver.Segments, where string, _ error) {
	if c.segments != "" {
		a, err := archive.Open(c.segments)
		if err != nil {
			return nil, "", fmt.Errorf("--%s: %w", flagVerSegments, err)
		}
		return a, a.Root(), nil
	}
	secret, err := readSecretFile(c.nodeSecret, log)
	if err != nil {
		return nil, "", fmt.Errorf("--%s: %w", flagVerNodeSec, err)
	}
	roots, err := loadTLSRoots(flagVerNodeCA, c.nodeCA)
	if err != nil {
		return nil, "", err
	}
	client, err := node.NewArchiveClient(c.node, secret, roots)
	if err != nil {
		return nil, "", fmt.Errorf("--%s: %w", flagVerNode, err)
	}
	return client, c.node, nil
}

// verifierDB is --db, or verifier.db in the chain state directory.
func verifierDB(db string, cc ChainConfig) (string, error) {
	if db != "" {
		return db, nil
	}
	dir, err := cc.stateDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "verifier.db"), nil
}

func runVerifier(c *cli.Context) error {
	cfg := verifierConfigFrom(c)
	if err := cfg.Validate(); err != nil {
		return withExitCode(2, err)
	}
	log := loggerFrom(c).Named("verifier")
	ctx, cancel := signalContext(c.Context, log)
	defer cancel()
	cc := chainConfigFrom(c)
	dbPath, err := verifierDB(cfg.db, cc)
	if err != nil {
		return err
	}
	segs, where, err := cfg.segmentSource(log)
	if err != nil {
		return err
	}
	env, reg, err := connectSender(ctx, cc, log)
	if err != nil {
		return err
	}
	defer env.Close()
	verifier := env.Client.Addresses().Verifier
	if err := checkSolver(ctx, env, verifier); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o700); err != nil {
		return fmt.Errorf("create directory for --%s: %w", flagVerDB, err)
	}
	store, err := solver.OpenStore(dbPath)
	if err != nil {
		return err
	}
	defer func() { _ = store.Close() }()
	metrics, err := solver.NewPromMetrics(reg)
	if err != nil {
		return err
	}
	profiles, _ := cfg.profiles()
	svc, err := solver.New(solver.Config{
		Backend: env.RPC, Verifier: verifier, Sender: env.Txm, Store: store,
		Checker:   &solver.TranscodeChecker{Segments: segs, Profiles: profiles, MinPSNR: cfg.minPSNR, Preset: cfg.preset},
		FromBlock: cfg.fromBlock, Confirmations: cfg.confirmations, PollInterval: cfg.poll, GiveUpAfter: cfg.giveUp,
		CheckTimeout: cfg.checkTimeout,
		Metrics:      metrics, Logger: log,
	})
	if err != nil {
		return err
	}
	ln, err := listenMetrics(cfg.metricsAddr)
	if err != nil {
		return err
	}
	stopHTTP := serveMetrics(ln, reg, log)
	log.Info("verifier started", zap.Stringer("account", env.From), zap.Stringer("verifier", verifier),
		zap.String("segments", where), zap.String("db", dbPath))
	runErr := svc.Run(ctx)
	if errors.Is(runErr, context.Canceled) {
		runErr = nil
	}
	return errors.Join(runErr, stopHTTP())
}

func verifierStatus(c *cli.Context) error {
	path, err := verifierDB(c.String(flagVerDB), ChainConfig{StateDir: c.String(flagChainStateDir)})
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("verifier DB %s: %w", path, err)
	}
	store, err := solver.OpenStore(path)
	if err != nil {
		return err
	}
	defer func() { _ = store.Close() }()
	recs, err := store.Records(false)
	if err != nil {
		return err
	}
	if c.Bool(flagVerJSON) {
		enc := json.NewEncoder(c.App.Writer)
		enc.SetIndent("", "  ")
		return enc.Encode(recs)
	}
	tw := tabwriter.NewWriter(c.App.Writer, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "REQUEST\tJOB\tCLAIM\tSEG\tSTATE\tPASS\tREASON")
	for _, r := range recs {
		pass, reason := "-", r.LastError
		if r.Verdict != nil {
			pass, reason = fmt.Sprint(r.Verdict.Pass), r.Verdict.Reason
		}
		fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%s\t%s\t%s\n", r.ID, r.Job, r.Claim, r.Seg, r.State, pass, reason)
	}
	return tw.Flush()
}
