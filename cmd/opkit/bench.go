package main

import (
	"errors"
	"fmt"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/ffmpeg"
	"github.com/opkit-dev/opkit/transcoder"
	"github.com/opkit-dev/opkit/transcoder/bench"
)

const (
	flagBenchIn           = "in"
	flagBenchSource       = "source"
	flagBenchSegs         = "segs"
	flagBenchSessions     = "sessions"
	flagBenchLive         = "live"
	flagBenchLadder       = "ladder"
	flagBenchLadderFile   = "ladder-file"
	flagBenchPreset       = "preset"
	flagBenchThreads      = "threads"
	flagBenchDirectScale  = "direct-scale"
	flagBenchNvidia       = "nvidia"
	flagBenchJSON         = "json"
	flagBenchCSV          = "csv"
	flagBenchDump         = "dump"
	flagBenchOutDir       = "out-dir"
	flagBenchFindCapacity = "find-capacity"
	flagBenchChart        = "chart"
	flagBenchMaxLoad      = "max-load"
	flagBenchMaxSessions  = "max-sessions"
	flagBenchCPUProfile   = "cpuprofile"
	flagBenchCold         = "cold"
	flagBenchCompareCold  = "compare-cold"
	flagBenchRounds       = "rounds"
)

// Bench defaults and bounds.
const (
	benchMaxSessions = 256
	benchMaxSegs     = 100000
	benchMaxGPUs     = 16
)

// benchConfig is what the bench command's flags fill.
type benchConfig struct {
	in, source   string
	segs         int
	sessions     int
	live         bool
	ladder       string
	ladderFile   string
	preset       string
	threads      int
	directScale  bool
	nvidia       string
	json         bool
	csv          string
	dump, outDir string
	findCapacity bool
	chart        string
	maxLoad      float64
	maxSessions  int
	cpuProfile   string
	zeroLatency  bool
	cold         bool
	compareCold  bool
	rounds       int
}

func (c *benchConfig) Validate() error {
	switch {
	case (c.in == "") == (c.source == ""):
		return fmt.Errorf("give exactly one of --%s FILE|PLAYLIST.m3u8 and --%s synthetic:WxH@FPS", flagBenchIn, flagBenchSource)
	case c.segs < 0 || c.segs > benchMaxSegs:
		return fmt.Errorf("--%s %d out of range [0, %d]", flagBenchSegs, c.segs, benchMaxSegs)
	case c.sessions < 1 || c.sessions > benchMaxSessions:
		return fmt.Errorf("--%s %d out of range [1, %d]", flagBenchSessions, c.sessions, benchMaxSessions)
	case c.ladder != "" && c.ladderFile != "":
		return fmt.Errorf("give at most one of --%s and --%s", flagBenchLadder, flagBenchLadderFile)
	case c.findCapacity && c.live:
		return fmt.Errorf("--%s runs batch trials: a paced run's load never exceeds about 1, so it cannot find the limit; drop --%s", flagBenchFindCapacity, flagBenchLive)
	case c.findCapacity && c.outDir != "":
		return fmt.Errorf("--%s writes one run's outputs; it does not go with --%s", flagBenchOutDir, flagBenchFindCapacity)
	case c.threads < 0 || c.threads > 64:
		return fmt.Errorf("--%s %d out of range [0, 64]", flagBenchThreads, c.threads)
	case c.maxLoad <= 0 || c.maxLoad > 10:
		return fmt.Errorf("--%s %v out of range (0, 10]", flagBenchMaxLoad, c.maxLoad)
	case c.maxSessions < 1 || c.maxSessions > benchMaxSessions:
		return fmt.Errorf("--%s %d out of range [1, %d]", flagBenchMaxSessions, c.maxSessions, benchMaxSessions)
	case c.findCapacity && c.chart == "":
		return fmt.Errorf("--%s needs a --%s file", flagBenchFindCapacity, flagBenchChart)
	case c.rounds < 1 || c.rounds > 20:
		return fmt.Errorf("--%s %d out of range [1, 20]", flagBenchRounds, c.rounds)
	case c.compareCold && (c.findCapacity || c.cold || c.outDir != "" || c.csv != ""):
		return fmt.Errorf("--%s runs cold and warm itself and reports medians; it does not go with --%s, --%s, --%s or --%s",
			flagBenchCompareCold, flagBenchFindCapacity, flagBenchCold, flagBenchOutDir, flagBenchCSV)
	}
	if c.source != "" {
		if _, err := bench.ParseSyntheticSource(c.source, 1); err != nil {
			return err
		}
	}
	return nil
}

func benchCommand() *cli.Command {
	env := func(name string) []string {
		return []string{"OPKIT_BENCH_" + strings.ReplaceAll(strings.ToUpper(name), "-", "_")}
	}
	return &cli.Command{
		Name:  "bench",
		Usage: "measure how many streams this machine transcodes in real time",
		Description: `Transcodes a source through the ladder on --sessions concurrent streams, each
with its own engine session, and reports per segment and in summary. The source
is read (or, for --source synthetic:1920x1080@30, generated as 2 s MPEG-TS
segments of moving test pattern with noise and AAC audio) into memory before
the timed run; nothing is read from disk while it runs.

Each session transcodes --segs segments (the source repeats if it has fewer)
one after another; sessions run concurrently. With --live each session
releases segment i at the sum of the durations of its earlier segments, as a
live source would, and a segment's latency counts from that release.

Definitions:
  real-time segment          a segment transcoded in less time than it lasts
  real-time segments ratio   real-time segments / all segments
  total source duration      sum of the durations of all segments transcoded,
                             over all sessions (stream duration x sessions)
  total transcode duration   sum of the per-segment transcode times
  wall time                  start of the run to the end of the last session
  real-time duration ratio   total source duration / wall time: seconds of
                             video transcoded per second; above 1 = faster
                             than real time in aggregate
  load                       sessions x wall time / total source duration
                             (= sessions / real-time duration ratio): the
                             share of real time each stream needed;
                             livepeer_bench calls this its real-time
                             duration ratio. Below 1 every stream keeps up.
  latency                    transcode end - segment release (p50/p95/max,
                             nearest rank); equal to the transcode time
                             without --live
  CPU use                    getrusage user+sys CPU time / wall time, cores
  peak RSS                   getrusage ru_maxrss (VmHWM) of the process

--find-capacity runs batch trials at 1, 2, 4, ... sessions until the load
exceeds --max-load (default 0.8, 20% headroom), bisects to the highest
session count that holds, and draws load against sessions to --chart.`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: flagBenchIn, Usage: "source: one media file or an HLS media playlist of local segments", EnvVars: env(flagBenchIn)},
			&cli.StringFlag{Name: flagBenchSource, Usage: "generated source, synthetic:WIDTHxHEIGHT@FPS (2 s segments)", EnvVars: env(flagBenchSource)},
			&cli.IntFlag{Name: flagBenchSegs, Usage: "segments per session; 0: every source segment (synthetic: 10)", EnvVars: env(flagBenchSegs)},
			&cli.IntFlag{Name: flagBenchSessions, Value: 1, Usage: "concurrent streams, each with its own session", EnvVars: env(flagBenchSessions)},
			&cli.BoolFlag{Name: flagBenchLive, Usage: "pace each session at real time and measure latency from each segment's release", EnvVars: env(flagBenchLive)},
			&cli.StringFlag{Name: flagBenchLadder, Usage: "comma-separated presets or ladder names (default: the reference \"bench\" ladder)", EnvVars: env(flagBenchLadder)},
			&cli.StringFlag{Name: flagBenchLadderFile, Usage: "JSON ladder file", EnvVars: env(flagBenchLadderFile)},
			&cli.StringFlag{Name: flagBenchPreset, Value: "veryfast", Usage: "x264/x265 speed preset", EnvVars: env(flagBenchPreset)},
			&cli.IntFlag{Name: flagBenchThreads, Usage: "threads per encoder; 0: the engine's choice", EnvVars: env(flagBenchThreads)},
			&cli.BoolFlag{Name: flagBenchDirectScale, Usage: "scale every rendition from the source, as the ffmpeg CLI does, instead of from a rendition at least 1.5 times as large", EnvVars: env(flagBenchDirectScale)},
			&cli.StringFlag{Name: flagBenchNvidia, Usage: "NVIDIA GPUs to use, 0,1 or all; sessions go round-robin (default: CPU)", EnvVars: env(flagBenchNvidia)},
			&cli.BoolFlag{Name: flagBenchJSON, Usage: "print the whole report as JSON instead of tables", EnvVars: env(flagBenchJSON)},
			&cli.StringFlag{Name: flagBenchCSV, Usage: "also write one CSV row per segment to this file", EnvVars: env(flagBenchCSV)},
			&cli.StringFlag{Name: flagBenchDump, Usage: "write the source segments and index.m3u8 to this directory before the run", EnvVars: env(flagBenchDump)},
			&cli.StringFlag{Name: flagBenchOutDir, Usage: "after the run, write session 0's renditions to DIR/<rendition>/seg-NNNNN.ts", EnvVars: env(flagBenchOutDir)},
			&cli.BoolFlag{Name: flagBenchFindCapacity, Usage: "search for the most concurrent sessions that keep load <= --max-load", EnvVars: env(flagBenchFindCapacity)},
			&cli.StringFlag{Name: flagBenchChart, Value: "bench-capacity.svg", Usage: "SVG chart of load against sessions (with --find-capacity)", EnvVars: env(flagBenchChart)},
			&cli.Float64Flag{Name: flagBenchMaxLoad, Value: bench.DefaultMaxLoad, Usage: "highest load a session count may show and still hold", EnvVars: env(flagBenchMaxLoad)},
			&cli.IntFlag{Name: flagBenchMaxSessions, Value: 64, Usage: "upper bound of the capacity search", EnvVars: env(flagBenchMaxSessions)},
			&cli.StringFlag{Name: flagBenchCPUProfile, Usage: "write a Go CPU profile of the timed runs to this file", EnvVars: env(flagBenchCPUProfile)},
			zeroLatencyFlag(env),
			&cli.BoolFlag{Name: flagBenchCold, Usage: "rebuild every filter graph and encoder for every segment instead of keeping what can stay warm", EnvVars: env(flagBenchCold)},
			&cli.BoolFlag{Name: flagBenchCompareCold, Usage: "run cold and warm --rounds times each, alternating, and report the CPU seconds per segment warm state saves", EnvVars: env(flagBenchCompareCold)},
			&cli.IntFlag{Name: flagBenchRounds, Value: bench.DefaultCompareRounds, Usage: "rounds of --compare-cold", EnvVars: env(flagBenchRounds)},
		},
		Action: runBench,
	}
}

func benchConfigFrom(c *cli.Context) benchConfig {
	return benchConfig{
		in: c.String(flagBenchIn), source: c.String(flagBenchSource), segs: c.Int(flagBenchSegs),
		sessions: c.Int(flagBenchSessions), live: c.Bool(flagBenchLive), ladder: c.String(flagBenchLadder),
		ladderFile: c.String(flagBenchLadderFile), preset: c.String(flagBenchPreset), threads: c.Int(flagBenchThreads), nvidia: c.String(flagBenchNvidia),
		directScale: c.Bool(flagBenchDirectScale),
		json:        c.Bool(flagBenchJSON), csv: c.String(flagBenchCSV), dump: c.String(flagBenchDump),
		outDir: c.String(flagBenchOutDir), findCapacity: c.Bool(flagBenchFindCapacity), chart: c.String(flagBenchChart),
		maxLoad: c.Float64(flagBenchMaxLoad), maxSessions: c.Int(flagBenchMaxSessions), cpuProfile: c.String(flagBenchCPUProfile),
		zeroLatency: c.Bool(flagZeroLatency), cold: c.Bool(flagBenchCold), compareCold: c.Bool(flagBenchCompareCold),
		rounds: c.Int(flagBenchRounds),
	}
}

func runBench(c *cli.Context) error {
	cfg := benchConfigFrom(c)
	if err := cfg.Validate(); err != nil {
		return withExitCode(2, err)
	}
	log := loggerFrom(c)
	ctx, cancel := signalContext(c.Context, log)
	defer cancel()
	pc, err := cfg.planConfig(log)
	if err != nil {
		return withExitCode(2, err)
	}
	// The options are checked once, before any source work.
	p, err := bench.NewPlan(pc)
	if err != nil {
		return withExitCode(2, err)
	}
	if err := p.Load(ctx); err != nil {
		return err
	}
	if cfg.cpuProfile != "" {
		stop, err := startCPUProfile(cfg.cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	if cfg.findCapacity {
		return p.FindCapacity(ctx, c.App.Writer)
	}
	if cfg.compareCold {
		return p.CompareCold(ctx, c.App.Writer)
	}
	return p.Run(ctx, c.App.Writer)
}

// planConfig resolves the ladder and the devices the flags name.
func (c *benchConfig) planConfig(log *zap.Logger) (bench.PlanConfig, error) {
	ladder, err := benchLadder(*c)
	if err != nil {
		return bench.PlanConfig{}, err
	}
	gpus, err := parseNvidia(c.nvidia, ladder)
	if err != nil {
		return bench.PlanConfig{}, err
	}
	return bench.PlanConfig{
		In: c.in, Source: c.source, Segs: c.segs, Sessions: c.sessions, Live: c.live,
		Ladder: ladder, Preset: c.preset, Threads: c.threads, DirectScale: c.directScale, GPUs: gpus,
		ZeroLatency: c.zeroLatency, Cold: c.cold, Rounds: c.rounds,
		JSON: c.json, CSV: c.csv, Dump: c.dump, OutDir: c.outDir,
		Chart: c.chart, MaxLoad: c.maxLoad, MaxSessions: c.maxSessions, Log: log,
	}, nil
}

func benchLadder(cfg benchConfig) (transcoder.Ladder, error) {
	switch {
	case cfg.ladderFile != "":
		return transcoder.ReadLadderFile(cfg.ladderFile)
	case cfg.ladder != "":
		return transcoder.ParseLadderSpec(cfg.ladder)
	}
	return transcoder.BenchLadder(), nil
}

// parseNvidia turns "0,1" or "all" into device indices; "" is the CPU.
// "all" opens a session on device 0, 1, ... until one is refused.
func parseNvidia(s string, ladder transcoder.Ladder) ([]int, error) {
	if s == "" {
		return nil, nil
	}
	if s == "all" {
		var gpus []int
		for i := range benchMaxGPUs {
			sess, err := ffmpeg.NewSession(ffmpeg.Options{Renditions: ladder.Specs(), UseGPU: true, GPUDevice: i})
			if err != nil {
				if errors.Is(err, ffmpeg.ErrNoGPU) {
					break
				}
				return nil, fmt.Errorf("--%s all: probing GPU %d: %w", flagBenchNvidia, i, err)
			}
			gpus = append(gpus, i)
			if err := sess.Close(); err != nil {
				return nil, err
			}
		}
		if len(gpus) == 0 {
			return nil, fmt.Errorf("--%s all: %w", flagBenchNvidia, ffmpeg.ErrNoGPU)
		}
		return gpus, nil
	}
	var gpus []int
	seen := map[int]bool{}
	for _, f := range strings.Split(s, ",") {
		i, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || i < 0 || i >= benchMaxGPUs || seen[i] {
			return nil, fmt.Errorf("--%s %q: want distinct device indices 0..%d separated by commas, or all", flagBenchNvidia, s, benchMaxGPUs-1)
		}
		seen[i] = true
		gpus = append(gpus, i)
	}
	return gpus, nil
}

func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("--%s: %w", flagBenchCPUProfile, err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		return nil, errors.Join(fmt.Errorf("--%s: %w", flagBenchCPUProfile, err), f.Close())
	}
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
	}, nil
}
