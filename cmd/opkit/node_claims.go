package main

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/claims"
	"github.com/opkit-dev/opkit/claims/archive"
	"github.com/opkit-dev/opkit/contracts/bindings"
	"github.com/opkit-dev/opkit/staking/chain"
	"github.com/opkit-dev/opkit/staking/daemon"
	"github.com/opkit-dev/opkit/staking/keys"
	"github.com/opkit-dev/opkit/staking/txmgr"
	"github.com/opkit-dev/opkit/transcoder/node"
)

// Flags of `opkit node` for receipts and the in-process claims loop.
const (
	flagNodeClaimsDB          = "claims-db"
	flagNodeClaimsMaxSegments = "claims-max-segments"
	flagNodeClaimsIdle        = "claims-idle"
	flagNodeClaimsEndMargin   = "claims-end-margin"
	flagNodeClaimsPoll        = "claims-poll-interval"
	flagNodeSegmentStore      = "segment-store"
	flagNodeSegmentRetain     = "segment-store-retain"
)

// defaultSegmentRetain is how long the node keeps a paid segment's source
// and renditions for a verifier: far longer than a claim's verification
// window on any chain opkit is run against.
const defaultSegmentRetain = 72 * time.Hour

// nodeClaimsConfig is the receipt part of `opkit node`: the store, and the
// claims loop's settings used when chain flags are given too.
type nodeClaimsConfig struct {
	db        string // empty: no receipts
	loop      claimsConfig
	segStore  string // empty: "segments" next to db
	segRetain time.Duration
}

func defaultNodeClaimsConfig() nodeClaimsConfig {
	return nodeClaimsConfig{loop: defaultClaimsConfig, segRetain: defaultSegmentRetain}
}

// segmentStore is the archive directory: --segment-store, or "segments"
// next to the receipt store.
func (c nodeClaimsConfig) segmentStore() string {
	if c.segStore != "" {
		return c.segStore
	}
	return filepath.Join(filepath.Dir(c.db), "segments")
}

func nodeClaimsFlags(d nodeClaimsConfig, env func(string) []string) []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: flagNodeClaimsDB, Usage: "receipt store `FILE`: keep a receipt of every segment sent with Opkit-Job-Id and Opkit-Broadcaster-Sig, and claim them when chain flags (--devnet or --eth-url ...) are given too; empty: no receipts", EnvVars: env(flagNodeClaimsDB)},
		&cli.IntFlag{Name: flagNodeClaimsMaxSegments, Value: d.loop.MaxSegments, Usage: "most segments in one claim", EnvVars: env(flagNodeClaimsMaxSegments)},
		&cli.DurationFlag{Name: flagNodeClaimsIdle, Value: d.loop.ClaimIdle, Usage: "claim a shorter run once its newest receipt is this old", EnvVars: env(flagNodeClaimsIdle)},
		&cli.Uint64Flag{Name: flagNodeClaimsEndMargin, Value: d.loop.EndMargin, Usage: "claim every run once the job ends within this many `BLOCKS`", EnvVars: env(flagNodeClaimsEndMargin)},
		&cli.DurationFlag{Name: flagNodeClaimsPoll, Value: d.loop.PollInterval, Usage: "how often the claims loop polls the chain head", EnvVars: env(flagNodeClaimsPoll)},
		&cli.StringFlag{Name: flagNodeSegmentStore, Usage: "`DIR` that keeps the source and renditions of every paid segment for `opkit verifier` (default: segments/ next to --" + flagNodeClaimsDB + ")", EnvVars: env(flagNodeSegmentStore)},
		&cli.DurationFlag{Name: flagNodeSegmentRetain, Value: d.segRetain, Usage: "remove kept segments after this long (checked hourly); longer than any claim's verification window", EnvVars: env(flagNodeSegmentRetain)},
	}
}

func nodeClaimsConfigFrom(c *cli.Context) nodeClaimsConfig {
	return nodeClaimsConfig{db: c.String(flagNodeClaimsDB), loop: claimsConfig{
		MaxSegments: c.Int(flagNodeClaimsMaxSegments), ClaimIdle: c.Duration(flagNodeClaimsIdle),
		EndMargin: c.Uint64(flagNodeClaimsEndMargin), PollInterval: c.Duration(flagNodeClaimsPoll),
	}, segStore: c.String(flagNodeSegmentStore), segRetain: c.Duration(flagNodeSegmentRetain)}
}

// wantsChain says whether chain flags were given: they turn on the claims loop.
func wantsChain(cc ChainConfig) bool { return cc.DevnetFile != "" || cc.EthURL != "" }

// validate checks the claims flags against the chain flags.
func (c nodeClaimsConfig) validate(cc ChainConfig) error {
	if c.db == "" {
		if wantsChain(cc) {
			return fmt.Errorf("chain flags given without --%s: the node claims only the receipts it keeps there", flagNodeClaimsDB)
		}
		return nil
	}
	l := c.loop
	switch {
	case l.MaxSegments <= 0 || l.MaxSegments > 100_000:
		return fmt.Errorf("--%s %d: want 1 to 100000", flagNodeClaimsMaxSegments, l.MaxSegments)
	case l.ClaimIdle <= 0 || l.PollInterval <= 0:
		return fmt.Errorf("--%s and --%s must be positive", flagNodeClaimsIdle, flagNodeClaimsPoll)
	case l.EndMargin == 0:
		return fmt.Errorf("--%s must be at least 1 block", flagNodeClaimsEndMargin)
	case c.segRetain < time.Hour:
		return fmt.Errorf("--%s %v: want at least 1h (a verifier fetches segments until their claim's window ends)", flagNodeSegmentRetain, c.segRetain)
	}
	if wantsChain(cc) {
		return cc.Validate()
	}
	return nil
}

// nodeReceipts is the receipt side of a running node: the store, the chain
// connection and the claims loop, when configured. Stop it after the HTTP
// side has drained.
type nodeReceipts struct {
	store   *claims.Store
	archive *archive.Archive
	retain  time.Duration
	env     *chainEnv
	svc     *claims.Service
	jobs    node.JobBroadcasters
	rewards *daemon.Daemon // nil without --reward

	loops []*nodeLoop
	once  sync.Once
	err   error
}

// openNodeReceipts opens the store and, with chain flags, connects and
// builds the claims service and, with --reward, the staking daemon: both
// send through the one connection's one transaction manager, so the
// account's nonces have one owner. nil when --claims-db is empty.
func openNodeReceipts(ctx context.Context, cfg nodeClaimsConfig, rw nodeRewardConfig, cc ChainConfig, prompt keys.Prompter, reg *prometheus.Registry, log *zap.Logger) (_ *nodeReceipts, err error) {
	if cfg.db == "" {
		return nil, nil
	}
	if err := os.MkdirAll(filepath.Dir(cfg.db), 0o700); err != nil {
		return nil, fmt.Errorf("create directory for --%s: %w", flagNodeClaimsDB, err)
	}
	r := &nodeReceipts{retain: cfg.segRetain}
	if r.archive, err = archive.Open(cfg.segmentStore()); err != nil {
		return nil, fmt.Errorf("--%s: %w", flagNodeSegmentStore, err)
	}
	if r.store, err = claims.OpenStore(cfg.db, claims.StoreOptions{}); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, r.closeChain())
		}
	}()
	if !wantsChain(cc) {
		log.Warn("receipts are kept but not claimed: give chain flags, or run `opkit claims run` once the node is stopped",
			zap.String("db", cfg.db))
		return r, nil
	}
	cc.registry = reg
	if r.env, err = connectChainWith(ctx, cc, prompt, txmgr.NewPromMetrics(reg), log); err != nil {
		return r, err
	}
	switch {
	case r.env.Txm == nil:
		return r, errReadOnly
	case !r.env.Client.HasJobsManager():
		return r, chain.ErrNoJobsManager
	}
	metrics, err := claims.NewPromMetrics(reg)
	if err != nil {
		return r, fmt.Errorf("register claims metrics: %w", err)
	}
	r.svc, err = claims.New(claims.Config{
		Store: r.store, Backend: r.env.RPC, Sender: r.env.Txm, Account: r.env.From,
		JobsManager: r.env.Client.Addresses().JobsManager, ChainID: r.env.ChainID.Uint64(),
		MaxSegments: cfg.loop.MaxSegments, ClaimIdle: cfg.loop.ClaimIdle, EndMargin: cfg.loop.EndMargin,
		PollInterval: cfg.loop.PollInterval, Metrics: metrics, Logger: log.Named("claims"),
		VerifyMaxGasPrice: r.env.cfg.maxGasPriceVerifyWei(),
	})
	if err != nil {
		return r, err
	}
	jm, err := bindings.NewJobsManagerCaller(r.env.Client.Addresses().JobsManager, r.env.RPC)
	if err != nil {
		return r, fmt.Errorf("bind JobsManager: %w", err)
	}
	r.jobs = &jobBroadcasters{jm: jm, account: r.env.From, head: r.env.RPC.BlockNumber}
	if rw.enabled {
		// Last: the daemon holds its protection DB until its Run returns.
		r.rewards, err = newDutyDaemon(ctx, r.env, rw.duty, reg, log.Named("reward"))
	}
	return r, err
}

// broadcasters is the JobsManager lookup the node refuses foreign
// signatures with; nil without a chain.
func (r *nodeReceipts) broadcasters() node.JobBroadcasters { return r.jobs }

// start runs the claims loop and, with --reward, the staking daemon's duty
// loop, each in its own goroutine until stop. A loop that fails calls fail
// (which stops the node).
func (r *nodeReceipts) start(fail func(error), log *zap.Logger) {
	r.loops = append(r.loops, startNodeLoop("segment-prune", r.pruneLoop(log), fail, log))
	if r.svc != nil {
		r.loops = append(r.loops, startNodeLoop("claims", r.svc.Run, fail, log))
	}
	if r.rewards != nil {
		r.loops = append(r.loops, startNodeLoop("reward", r.rewards.Run, fail, log))
	}
}

// pruneInterval is how often kept segments older than --segment-store-retain
// are removed.
const pruneInterval = time.Hour

// pruneLoop removes expired segments from the archive at start and then
// hourly; a failed prune is logged and tried again next time.
func (r *nodeReceipts) pruneLoop(log *zap.Logger) func(context.Context) error {
	return func(ctx context.Context) error {
		t := time.NewTicker(pruneInterval)
		defer t.Stop()
		for {
			n, err := r.archive.Prune(time.Now().Add(-r.retain))
			if err != nil {
				log.Warn("segment store prune failed", zap.String("dir", r.archive.Root()), zap.Error(err))
			} else if n > 0 {
				log.Info("segment store pruned", zap.Int("segments", n), zap.Duration("retain", r.retain))
			}
			select {
			case <-ctx.Done():
				return nil
			case <-t.C:
			}
		}
	}
}

// stop cancels the loops together and waits for both (a transaction already
// sent is seen through; the daemon releases its protection DB), then closes
// the chain connection (and with it the account lock) and the store.
func (r *nodeReceipts) stop() error {
	r.once.Do(func() {
		for _, l := range r.loops {
			l.cancel()
		}
		var errs []error
		for _, l := range r.loops {
			errs = append(errs, l.wait())
		}
		r.err = errors.Join(append(errs, r.closeChain())...)
	})
	return r.err
}

func (r *nodeReceipts) closeChain() error {
	if r.env != nil {
		r.env.Close()
	}
	return r.store.Close()
}

// jobBroadcasters reads a job from the JobsManager: the segment must be
// for a live job of this transcoder and of the segment's stream. A job
// whose end block the head has reached is refused with ErrJobEnded:
// claimWork would revert.
type jobBroadcasters struct {
	jm      *bindings.JobsManagerCaller
	account common.Address
	head    func(context.Context) (uint64, error)

	mu   sync.Mutex
	jobs map[uint64]cachedJob // a job's fields but NumClaims never change
}

type cachedJob struct {
	job bindings.JobsManagerJob
	at  time.Time
}

// jobCacheTTL bounds how stale a cached job may be; EndBlock is re-checked
// by the claims loop anyway.
const jobCacheTTL = time.Minute

func (b *jobBroadcasters) Broadcaster(ctx context.Context, job uint64, stream string, profiles []string) (common.Address, error) {
	j, err := b.job(ctx, job)
	if err != nil {
		return common.Address{}, err
	}
	switch {
	case j.Broadcaster == (common.Address{}):
		return common.Address{}, fmt.Errorf("%w: no such job", node.ErrJobRefused)
	case j.Transcoder != b.account:
		return common.Address{}, fmt.Errorf("%w: the job's transcoder is %s, not %s", node.ErrJobRefused, j.Transcoder, b.account)
	case j.StreamId != stream:
		return common.Address{}, fmt.Errorf("%w: the job is stream %q, not %q", node.ErrJobRefused, j.StreamId, stream)
	case j.TranscodingOptions != claims.TranscodingOptions(profiles...):
		return common.Address{}, fmt.Errorf("%w: the job's transcoding options %q are not the ladder %v (%q)", node.ErrJobRefused,
			j.TranscodingOptions, profiles, claims.TranscodingOptions(profiles...))
	}
	head, err := b.head(ctx)
	if err != nil {
		return common.Address{}, fmt.Errorf("read the head: %w", err)
	}
	if head >= j.EndBlock {
		return common.Address{}, fmt.Errorf("%w: it ended at block %d; the head is %d", node.ErrJobEnded, j.EndBlock, head)
	}
	return j.Broadcaster, nil
}

func (b *jobBroadcasters) job(ctx context.Context, job uint64) (bindings.JobsManagerJob, error) {
	b.mu.Lock()
	c, ok := b.jobs[job]
	b.mu.Unlock()
	if ok && time.Since(c.at) < jobCacheTTL {
		return c.job, nil
	}
	opts := &bind.CallOpts{Context: ctx}
	n, err := b.jm.NumJobs(opts)
	if err != nil {
		return bindings.JobsManagerJob{}, fmt.Errorf("read the job count: %w", err)
	}
	if new(big.Int).SetUint64(job).Cmp(n) >= 0 {
		return bindings.JobsManagerJob{}, nil // no such job: getJob would revert
	}
	j, err := b.jm.GetJob(opts, new(big.Int).SetUint64(job))
	if err != nil {
		return j, fmt.Errorf("read job %d: %w", job, err)
	}
	if j.Broadcaster != (common.Address{}) {
		b.mu.Lock()
		if b.jobs == nil || len(b.jobs) > 1024 {
			b.jobs = map[uint64]cachedJob{}
		}
		b.jobs[job] = cachedJob{job: j, at: time.Now()}
		b.mu.Unlock()
	}
	return j, nil
}
