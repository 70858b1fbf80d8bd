package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/ffmpeg"
	"github.com/opkit-dev/opkit/staking/keys"
	"github.com/opkit-dev/opkit/transcoder"
	"github.com/opkit-dev/opkit/transcoder/node"
)

// Flag names of `opkit node` and `opkit transcoder`.
const (
	flagNodeListen       = "listen"
	flagNodeSecretFile   = "secret-file"
	flagNodeLadder       = "ladder"
	flagNodeMaxSessions  = "max-sessions"
	flagNodeMaxInflight  = "max-inflight"
	flagNodeMaxBytes     = "max-segment-bytes"
	flagNodeSessionIdle  = "session-idle"
	flagNodeDrainTimeout = "drain-timeout"
	flagNodeHeartbeat    = "heartbeat"
	flagNodeJobTimeout   = "job-timeout"
	flagNodeSegTimeout   = "segment-timeout"
	flagNodeRetryAfter   = "retry-after"
	flagNodeGPUEstimate  = "gpu-load-estimate"
	flagEnginePreset     = "preset"
	flagEngineFormat     = "format"
	flagEngineAudio      = "audio"
	flagEngineNvidia     = "nvidia"
	flagWorkerOrch       = "orchestrator"
	flagWorkerName       = "name"
	flagWorkerCapacity   = "capacity"
	flagWorkerBackoff    = "backoff"
)

// maxSecretFileBytes bounds the secret file read.
const maxSecretFileBytes = 4 << 10

// engineConfig is the engine part shared by node and transcoder.
type engineConfig struct {
	preset, format, audio, nvidia string
	zeroLatency                   bool
}

// validate runs the transcode command's checks of the engine flags the
// commands share (--in and --out are not engine flags).
func (e engineConfig) validate() error {
	return transcodeConfig{in: "-", out: "-", preset: e.preset, format: e.format, audio: e.audio, nvidia: e.nvidia}.Validate()
}

// options are the engine options; gpu is a device index, or -1 for the CPU.
func (e engineConfig) options(gpu int) ffmpeg.Options {
	return ffmpeg.Options{Preset: e.preset, Format: ffmpeg.OutputFormat(e.format), Audio: ffmpeg.AudioMode(e.audio),
		UseGPU: gpu >= 0, GPUDevice: max(gpu, 0), ZeroLatency: e.zeroLatency}
}

// nodeConfig is what `opkit node`'s flags fill.
type nodeConfig struct {
	listen, secretFile, ladder string
	maxSessions, maxInflight   int
	maxBytes                   int64
	sessionIdle, drainTimeout  time.Duration
	heartbeat, jobTimeout      time.Duration
	segmentTimeout             time.Duration
	retryAfter                 time.Duration
	gpuEstimate                int64
	engine                     engineConfig
	claims                     nodeClaimsConfig
	reward                     nodeRewardConfig
	security                   nodeSecurityConfig
	admin                      nodeAdminConfig
}

func defaultEngineConfig() engineConfig {
	return engineConfig{preset: defaultTranscodePreset, format: string(ffmpeg.FormatMPEGTS), audio: string(ffmpeg.AudioCopy)}
}

func defaultNodeConfig() nodeConfig {
	return nodeConfig{
		listen: "127.0.0.1:8935", ladder: defaultTranscodeLadder,
		maxSessions: 4, maxInflight: 8, maxBytes: 64 << 20,
		sessionIdle: time.Minute, drainTimeout: 30 * time.Second,
		heartbeat: 5 * time.Second, jobTimeout: time.Minute, retryAfter: 2 * time.Second, segmentTimeout: node.DefaultSegmentTimeout,
		engine: defaultEngineConfig(), claims: defaultNodeClaimsConfig(), reward: defaultNodeRewardConfig(),
	}
}

// Validate checks the flag values without touching files or the network.
func (c nodeConfig) Validate() error {
	if _, _, err := net.SplitHostPort(c.listen); err != nil {
		return fmt.Errorf("--%s %q: want host:port: %w", flagNodeListen, c.listen, err)
	}
	if c.secretFile == "" {
		return fmt.Errorf("--%s is required: a file holding the shared secret (at least %d bytes)", flagNodeSecretFile, node.MinSecretLen)
	}
	if c.maxSessions < 0 || c.maxInflight < 1 || c.maxBytes < 1 {
		return fmt.Errorf("--%s must be >= 0, --%s and --%s >= 1", flagNodeMaxSessions, flagNodeMaxInflight, flagNodeMaxBytes)
	}
	if c.gpuEstimate < 0 {
		return fmt.Errorf("--%s %d: want 0 or more", flagNodeGPUEstimate, c.gpuEstimate)
	}
	if c.retryAfter < time.Second {
		return fmt.Errorf("--%s %v: want at least 1s", flagNodeRetryAfter, c.retryAfter)
	}
	for name, d := range map[string]time.Duration{flagNodeSessionIdle: c.sessionIdle, flagNodeDrainTimeout: c.drainTimeout,
		flagNodeHeartbeat: c.heartbeat, flagNodeJobTimeout: c.jobTimeout, flagNodeSegTimeout: c.segmentTimeout} {
		if d <= 0 {
			return fmt.Errorf("--%s %v: want a positive duration", name, d)
		}
	}
	if _, err := transcoder.ParseLadderSpec(c.ladder); err != nil {
		return fmt.Errorf("--%s: %w", flagNodeLadder, err)
	}
	if err := c.security.validate(c.maxSessions); err != nil {
		return err
	}
	if c.security.verifierSecretFile != "" && c.claims.db == "" {
		return fmt.Errorf("--%s serves the segment store, which needs --%s", flagNodeVerifierSec, flagNodeClaimsDB)
	}
	return c.engine.validate()
}

// readSecretFile reads the shared secret; surrounding whitespace is
// dropped. The secret itself never appears in errors or logs.
func readSecretFile(path string, log *zap.Logger) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("secret file: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("secret file: %w", err)
	}
	if !st.Mode().IsRegular() || st.Size() > maxSecretFileBytes {
		return nil, fmt.Errorf("secret file %s: want a regular file of at most %d bytes", path, maxSecretFileBytes)
	}
	if st.Mode().Perm()&0o077 != 0 {
		log.Warn("secret file is readable by group or others; chmod 600 it", zap.String("path", path))
	}
	buf := make([]byte, st.Size())
	if _, err := f.ReadAt(buf, 0); err != nil && st.Size() > 0 {
		return nil, fmt.Errorf("secret file: %w", err)
	}
	secret := bytes.TrimSpace(buf)
	if len(secret) < node.MinSecretLen {
		return nil, fmt.Errorf("secret file %s: the secret must be at least %d bytes", path, node.MinSecretLen)
	}
	return secret, nil
}

func envFor(prefix string) func(string) []string {
	return func(name string) []string {
		return []string{prefix + strings.ReplaceAll(strings.ToUpper(name), "-", "_")}
	}
}

func engineFlags(d engineConfig, env func(string) []string) []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: flagEnginePreset, Value: d.preset, Usage: "x264/x265 speed preset: " + strings.Join(x264Presets, ", "), EnvVars: env(flagEnginePreset)},
		&cli.StringFlag{Name: flagEngineFormat, Value: d.format, Usage: "rendition container: mpegts or mp4 (fragmented)", EnvVars: env(flagEngineFormat)},
		&cli.StringFlag{Name: flagEngineAudio, Value: d.audio, Usage: "first audio stream: copy, aac (re-encode) or drop", EnvVars: env(flagEngineAudio)},
		&cli.StringFlag{Name: flagEngineNvidia, Value: d.nvidia, Usage: `NVIDIA GPUs: "all" or indexes "0,1"; each new stream goes to the least-loaded one (w×h×fps), skipping a GPU at its NVENC session limit; empty: CPU`, EnvVars: env(flagEngineNvidia)},
		zeroLatencyFlag(env),
	}
}

// zeroLatencyFlag is --zero-latency of transcode, node and transcoder.
func zeroLatencyFlag(env func(string) []string) cli.Flag {
	return &cli.BoolFlag{Name: flagZeroLatency, Usage: "encode with x264's and x265's zerolatency tune (no lookahead, no B-frames): a little less quality per bit, and encoders that stay warm across a stream's segments", EnvVars: env(flagZeroLatency)}
}

func nodeFlags(d nodeConfig) []cli.Flag {
	env := envFor("OPKIT_NODE_")
	return append([]cli.Flag{
		&cli.StringFlag{Name: flagNodeListen, Value: d.listen, Usage: "HTTP listen address (segment API, worker registration, /healthz, /metrics)", EnvVars: env(flagNodeListen)},
		&cli.StringFlag{Name: flagNodeSecretFile, Usage: "file holding the secret clients send as Authorization: Bearer (required; never on the command line; workers use --worker-secret-file)", EnvVars: env(flagNodeSecretFile)},
		&cli.StringFlag{Name: flagNodeLadder, Value: d.ladder, Usage: "default ladder for requests that name none: comma-separated presets (" + strings.Join(transcoder.PresetNames(), ", ") + ") or " + transcoder.BenchLadderName, EnvVars: env(flagNodeLadder)},
		&cli.IntFlag{Name: flagNodeMaxSessions, Aliases: []string{"local-sessions"}, Value: d.maxSessions, Usage: "streams transcoded on this machine at once, one warm session each; 0: a pure orchestrator that sends every stream to workers", EnvVars: env(flagNodeMaxSessions)},
		&cli.IntFlag{Name: flagNodeMaxInflight, Value: d.maxInflight, Usage: "segments in flight at once (local and remote); more get 429", EnvVars: env(flagNodeMaxInflight)},
		&cli.Int64Flag{Name: flagNodeMaxBytes, Value: d.maxBytes, Usage: "largest accepted segment body in bytes; larger gets 413", EnvVars: env(flagNodeMaxBytes)},
		&cli.DurationFlag{Name: flagNodeSessionIdle, Value: d.sessionIdle, Usage: "close a stream's session after this long without a segment", EnvVars: env(flagNodeSessionIdle)},
		&cli.DurationFlag{Name: flagNodeDrainTimeout, Value: d.drainTimeout, Usage: "on SIGINT/SIGTERM, how long segments in flight may take to finish", EnvVars: env(flagNodeDrainTimeout)},
		&cli.DurationFlag{Name: flagNodeHeartbeat, Value: d.heartbeat, Usage: "ping interval on worker streams; a worker silent for 3 is dropped", EnvVars: env(flagNodeHeartbeat)},
		&cli.DurationFlag{Name: flagNodeJobTimeout, Value: d.jobTimeout, Usage: "longest a remote worker may take for one segment", EnvVars: env(flagNodeJobTimeout)},
		&cli.DurationFlag{Name: flagNodeSegTimeout, Value: d.segmentTimeout, Usage: "wall-clock deadline of one segment, local or remote, from its upload to its answer; later gets 504", EnvVars: env(flagNodeSegTimeout)},
		&cli.DurationFlag{Name: flagNodeRetryAfter, Value: d.retryAfter, Usage: "Retry-After sent with 429 and 503", EnvVars: env(flagNodeRetryAfter)},
		&cli.Int64Flag{Name: flagNodeGPUEstimate, Usage: "with --nvidia: a new stream's load (width×height×fps) until its first segment is probed; 0: the ladder's largest rung", EnvVars: env(flagNodeGPUEstimate)},
	}, append(append(append(append(engineFlags(d.engine, env), nodeClaimsFlags(d.claims, env)...), nodeRewardFlags(env)...), nodeSecurityFlags(env)...), nodeAdminFlags(env)...)...)
}

func engineConfigFrom(c *cli.Context) engineConfig {
	return engineConfig{preset: c.String(flagEnginePreset), format: c.String(flagEngineFormat), audio: c.String(flagEngineAudio), nvidia: c.String(flagEngineNvidia),
		zeroLatency: c.Bool(flagZeroLatency)}
}

func nodeCommand() *cli.Command {
	return &cli.Command{
		Name:      "node",
		Usage:     "serve segment transcoding over HTTP; hand streams to remote `opkit transcoder` workers",
		UsageText: "opkit node --secret-file F [--listen 127.0.0.1:8935] [--ladder P720p30fps16x9,P360p30fps16x9] [--max-sessions 4]",
		Description: `POST /v1/streams/{stream}/segments/{seq} with a segment (Content-Type video/mp2t,
video/mp4 or video/x-flv; ?ladder= or the Opkit-Ladder header picks the ladder)
answers multipart/mixed: one part per rendition, then a JSON result. Each stream
keeps one warm engine session, here or on one registered worker. 401 without
the bearer secret, 413 above --max-segment-bytes, 422 for a bad segment (the
typed error in the body), 429 with Retry-After at capacity, 503 with
Retry-After when a worker was lost or the node is shutting down, 504 past
--segment-timeout.

GET /healthz and GET /metrics (Prometheus) need no secret. The first SIGINT or
SIGTERM stops accepting, lets segments in flight finish (--drain-timeout) and
closes every session.`,
		Flags:  append(nodeFlags(defaultNodeConfig()), chainFlags()...),
		Action: runNode,
	}
}

func nodeConfigFrom(c *cli.Context) nodeConfig {
	return nodeConfig{
		listen: c.String(flagNodeListen), secretFile: c.String(flagNodeSecretFile), ladder: c.String(flagNodeLadder),
		maxSessions: c.Int(flagNodeMaxSessions), maxInflight: c.Int(flagNodeMaxInflight), maxBytes: c.Int64(flagNodeMaxBytes),
		sessionIdle: c.Duration(flagNodeSessionIdle), drainTimeout: c.Duration(flagNodeDrainTimeout),
		heartbeat: c.Duration(flagNodeHeartbeat), jobTimeout: c.Duration(flagNodeJobTimeout), segmentTimeout: c.Duration(flagNodeSegTimeout),
		retryAfter: c.Duration(flagNodeRetryAfter), gpuEstimate: c.Int64(flagNodeGPUEstimate), engine: engineConfigFrom(c), claims: nodeClaimsConfigFrom(c),
		reward: nodeRewardConfigFrom(c), security: nodeSecurityConfigFrom(c), admin: nodeAdminConfigFrom(c),
	}
}

func runNode(c *cli.Context) error {
	log := loggerFrom(c)
	cfg, chainCfg := nodeConfigFrom(c), chainConfigFrom(c)
	if err := cfg.Validate(); err != nil {
		return withExitCode(2, err)
	}
	if err := cfg.reward.validate(chainCfg); err != nil {
		return withExitCode(2, err)
	}
	if err := cfg.claims.validate(chainCfg); err != nil {
		return withExitCode(2, err)
	}
	secret, err := readSecretFile(cfg.secretFile, log)
	if err != nil {
		return withExitCode(2, err)
	}
	ctx, cancel := signalContext(c.Context, log)
	defer cancel()
	gpu, gpus, err := nodeGPUs(ctx, cfg.engine.nvidia, log)
	if err != nil {
		return err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metrics, err := node.NewPromMetrics(reg)
	if err != nil {
		return err
	}
	receipts, err := openNodeReceipts(ctx, cfg.claims, cfg.reward, chainCfg, keys.StdPrompter(), reg, log)
	if err != nil {
		return err
	}
	ncfg := node.Config{
		Secret: secret, DefaultLadder: cfg.ladder, Engine: cfg.engine.options(gpu),
		LocalSessions: cfg.maxSessions, MaxInflight: cfg.maxInflight, MaxBytes: cfg.maxBytes,
		SessionIdle: cfg.sessionIdle, DrainTimeout: cfg.drainTimeout, Heartbeat: cfg.heartbeat,
		JobTimeout: cfg.jobTimeout, SegmentTimeout: cfg.segmentTimeout, RetryAfter: cfg.retryAfter, Log: log, Metrics: metrics,
		GPUs: gpus, GPUEstimate: cfg.gpuEstimate,
	}
	ncfg.Engine.Limits.MaxInputBytes = cfg.maxBytes
	// As much as the node takes back from a remote worker for one segment.
	ncfg.Engine.Limits.MaxOutputBytes = 8 * cfg.maxBytes
	if err := cfg.security.apply(&ncfg, log); err != nil {
		return withExitCode(2, err)
	}
	admin, err := newNodeAdmin(cfg.admin, &ncfg, receipts, log)
	if err != nil {
		if receipts != nil {
			err = errors.Join(err, receipts.stop())
		}
		return withExitCode(2, err)
	}
	if receipts == nil {
		return serveNode(ctx, ncfg, cfg, admin, reg, log)
	}
	ncfg.Receipts, ncfg.Broadcasters, ncfg.Archive = receipts.store, receipts.broadcasters(), receipts.archive
	// Shutdown order: the HTTP side drains first (segments in flight still
	// store their receipts), then the claims and reward loops end (sent
	// transactions seen through), then the chain connection and the store
	// close.
	nodeCtx, failNode := context.WithCancelCause(ctx)
	defer failNode(nil)
	receipts.start(failNode, log)
	runErr := serveNode(nodeCtx, ncfg, cfg, admin, reg, log)
	if cause := context.Cause(nodeCtx); ctx.Err() == nil && cause != nil && !errors.Is(cause, context.Canceled) {
		runErr = errors.Join(runErr, cause)
	}
	return errors.Join(runErr, receipts.stop())
}

// serveNode builds the node and serves until ctx ends; admin changes it
// on SIGHUP and over /admin/config meanwhile.
func serveNode(ctx context.Context, ncfg node.Config, cfg nodeConfig, admin *nodeAdmin, reg *prometheus.Registry, log *zap.Logger) error {
	n, err := node.New(ncfg)
	if err != nil {
		return withExitCode(2, err)
	}
	admin.attach(n)
	stopWatch := admin.watch(ctx) // before listening: a SIGHUP then never kills the node
	defer stopWatch()
	ln, err := net.Listen("tcp", cfg.listen)
	if err != nil {
		return err
	}
	log.Info("node listening", zap.String("addr", ln.Addr().String()), zap.String("ladder", cfg.ladder),
		zap.Int("max_sessions", ncfg.LocalSessions), zap.Int("max_inflight", ncfg.MaxInflight), zap.Bool("admin", ncfg.Admin != nil),
		zap.Bool("tls", ncfg.TLS != nil), zap.Bool("workers", len(ncfg.WorkerSecret) > 0), zap.Bool("receipts", ncfg.Receipts != nil), zap.Bool("claims", ncfg.Broadcasters != nil), zap.Bool("reward", cfg.reward.enabled))
	return n.Run(ctx, ln, promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
}

// nodeGPUs probes the GPUs --nvidia names and returns a least-loaded
// scheduler over them, each capped at its probed NVENC session limit (so a
// single GPU gets the cap too), and the first as the engine's default.
// Empty --nvidia: the CPU (-1, nil).
func nodeGPUs(ctx context.Context, nvidia string, log *zap.Logger) (int, *node.GPUScheduler, error) {
	if nvidia == "" {
		return -1, nil, nil
	}
	devs, err := ffmpeg.ProbeDevices(ctx)
	if err != nil {
		return -1, nil, err
	}
	list, err := ffmpeg.ParseGPUList(nvidia, len(devs))
	if err != nil {
		return -1, nil, withExitCode(2, err)
	}
	picked := make([]ffmpeg.Device, len(list))
	for i, idx := range list {
		picked[i] = devs[idx]
		log.Info("using GPU", zap.Int("gpu", picked[i].Index), zap.String("name", picked[i].Name),
			zap.Bool("nvenc", picked[i].NVENC), zap.Int("nvenc_sessions", picked[i].MaxEncodeSessions))
	}
	sched, err := node.NewGPUScheduler(node.GPUDevicesFromProbe(picked))
	if err != nil {
		return -1, nil, err
	}
	return picked[0].Index, sched, nil
}
