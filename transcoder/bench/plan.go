package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/ffmpeg"
	"github.com/opkit-dev/opkit/transcoder"
)

// DefaultSyntheticSegments is the number of segments a synthetic source
// generates when PlanConfig.Segs is 0.
const DefaultSyntheticSegments = 10

// PlanConfig is one `opkit bench` invocation with its flags read and
// checked.
type PlanConfig struct {
	// In is a media file or an HLS media playlist of local segments;
	// Source a synthetic:WxH@FPS description. One of them is set.
	In, Source string
	// Segs is the number of segments per session; 0: every source segment
	// (synthetic: DefaultSyntheticSegments).
	Segs     int
	Sessions int
	Live     bool
	Ladder   transcoder.Ladder
	Preset   string
	Threads  int
	// DirectScale scales every rendition from the source.
	DirectScale bool
	// ZeroLatency and Cold are the engine options of the same names.
	ZeroLatency, Cold bool
	// Rounds is how many cold and warm runs CompareCold alternates.
	Rounds int
	// GPUs are the NVIDIA devices the sessions go to, round-robin; empty:
	// the CPU.
	GPUs []int
	// JSON prints the whole report as JSON instead of tables.
	JSON bool
	// CSV, when set, also gets one row per segment.
	CSV string
	// Dump, when set, gets the source segments and index.m3u8 before the
	// run; OutDir, when set, session 0's renditions after it.
	Dump, OutDir string
	// Chart is the SVG file FindCapacity draws.
	Chart string
	// MaxLoad and MaxSessions bound FindCapacity.
	MaxLoad     float64
	MaxSessions int
	Log         *zap.Logger
}

// Plan is a benchmark ready to run: the engine options checked, then
// (Load) the source in memory.
type Plan struct {
	cfg    PlanConfig
	log    *zap.Logger
	source []Segment
	opts   ffmpeg.Options
	info   Info
}

// NewPlan checks the engine options by opening and closing one session,
// before any source work.
func NewPlan(cfg PlanConfig) (*Plan, error) {
	log := cfg.Log
	if log == nil {
		log = zap.NewNop()
	}
	p := &Plan{cfg: cfg, log: log, opts: ffmpeg.Options{
		Renditions: cfg.Ladder.Specs(), Preset: cfg.Preset, Threads: cfg.Threads, Audio: ffmpeg.AudioCopy,
		DirectScale: cfg.DirectScale, ZeroLatency: cfg.ZeroLatency, Cold: cfg.Cold,
	}}
	if cfg.Ladder.NeedsMP4() {
		p.opts.Format = ffmpeg.FormatMP4
	}
	if err := p.checkOptions(); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *Plan) checkOptions() error {
	o := p.opts
	if len(p.cfg.GPUs) > 0 {
		o.UseGPU, o.GPUDevice = true, p.cfg.GPUs[0]
	}
	s, err := ffmpeg.NewSession(o)
	if err != nil {
		return err
	}
	return s.Close()
}

// Load reads or generates the source into memory and writes it to Dump
// when that is set.
func (p *Plan) Load(ctx context.Context) error {
	cfg := p.cfg
	p.log.Info("preparing source", zap.String("in", cfg.In), zap.String("source", cfg.Source))
	var err error
	if p.source, err = loadSource(ctx, cfg); err != nil {
		return err
	}
	if cfg.Dump != "" {
		if err := DumpSegments(cfg.Dump, p.source); err != nil {
			return err
		}
		p.log.Info("source segments written", zap.String("dir", cfg.Dump), zap.Int("segments", len(p.source)))
	}
	segs := cfg.Segs
	if segs == 0 {
		segs = len(p.source)
	}
	p.info = Info{
		Source: cfg.In + cfg.Source, Ladder: cfg.Ladder.Names(), Preset: cfg.Preset, Device: deviceName(cfg.GPUs), Segments: segs,
		Encoders: encodersName(warmState(p.opts), p.opts.ZeroLatency),
	}
	p.cfg.Segs = segs
	return nil
}

func loadSource(ctx context.Context, cfg PlanConfig) ([]Segment, error) {
	if cfg.Source != "" {
		n := cfg.Segs
		if n == 0 {
			n = DefaultSyntheticSegments
		}
		spec, err := ParseSyntheticSource(cfg.Source, n)
		if err != nil {
			return nil, err
		}
		return SyntheticSegments(ctx, spec)
	}
	if strings.EqualFold(filepath.Ext(cfg.In), ".m3u8") {
		return LoadPlaylist(ctx, cfg.In, cfg.Segs)
	}
	return LoadSegmentFiles(ctx, []string{cfg.In})
}

// warmState is "cold" for a --cold run, "warm" otherwise.
func warmState(o ffmpeg.Options) string {
	if o.Cold {
		return "cold"
	}
	return "warm"
}

// encodersName is Info.Encoders: state ("warm", "cold", "cold and warm"),
// then ", zero latency" with the zerolatency tune.
func encodersName(state string, zeroLatency bool) string {
	if zeroLatency {
		return state + ", zero latency"
	}
	return state
}

func deviceName(gpus []int) string {
	if len(gpus) == 0 {
		return "CPU"
	}
	ids := make([]string, len(gpus))
	for i, g := range gpus {
		ids[i] = strconv.Itoa(g)
	}
	return "NVIDIA GPU " + strings.Join(ids, ",")
}

// open opens the session for stream i: round-robin over the GPUs.
func (p *Plan) open(i int) (SegmentTranscoder, error) {
	o := p.opts
	if len(p.cfg.GPUs) > 0 {
		o.UseGPU, o.GPUDevice = true, p.cfg.GPUs[i%len(p.cfg.GPUs)]
	}
	return ffmpeg.NewSession(o)
}

func (p *Plan) config(sessions int) Config {
	return Config{
		Source: p.source, Count: p.cfg.Segs, Sessions: sessions, Live: p.cfg.Live, Open: p.open,
	}
}

// Run measures Sessions concurrent sessions once and writes the report to
// w (tables, or JSON), the CSV rows and session 0's renditions.
func (p *Plan) Run(ctx context.Context, w io.Writer) error {
	cfg := p.config(p.cfg.Sessions)
	var outs *renditionStore
	if p.cfg.OutDir != "" {
		outs = &renditionStore{}
		cfg.OnSegment = outs.keep
	}
	p.log.Info("bench run", zap.Int("sessions", cfg.Sessions), zap.Int("segs", cfg.Count), zap.Bool("live", cfg.Live))
	res, err := Run(ctx, cfg)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if outs != nil {
		if err := outs.write(p.cfg.OutDir); err != nil {
			return err
		}
	}
	if p.cfg.CSV != "" {
		if err := writeFile(p.cfg.CSV, func(f io.Writer) error { return WriteSegmentCSV(f, res.Records) }); err != nil {
			return err
		}
	}
	if p.cfg.JSON {
		return Report{Info: p.info, Result: res}.WriteJSON(w)
	}
	if err := WriteSegmentTable(w, res.Records); err != nil {
		return err
	}
	fmt.Fprintln(w)
	return WriteSummaryTable(w, p.info, res.Summary)
}

// FindCapacity searches for the most sessions that hold MaxLoad, draws the
// trials to Chart and writes the report to w.
func (p *Plan) FindCapacity(ctx context.Context, w io.Writer) error {
	trial := func(ctx context.Context, k int) (Summary, error) {
		res, err := Run(ctx, p.config(k))
		if err != nil {
			return Summary{}, err
		}
		s := res.Summary
		p.log.Info("capacity trial", zap.Int("sessions", k), zap.Float64("load", s.Load),
			zap.Float64("realtime_duration_ratio", s.RealTimeDurationRatio), zap.Int("failed", s.Failed))
		return s, nil
	}
	res, err := FindCapacity(ctx, p.cfg.MaxLoad, p.cfg.MaxSessions, trial)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	title := fmt.Sprintf("%s, %s ladder, preset %s, %s", p.info.Source, strings.Join(p.info.Ladder, "/"), p.info.Preset, p.info.Device)
	if err := writeFile(p.cfg.Chart, CapacityChart(res, title).WriteSVG); err != nil {
		return err
	}
	if p.cfg.JSON {
		return Report{Info: p.info, Capacity: &res}.WriteJSON(w)
	}
	fmt.Fprintf(w, "%s\n\n", title)
	if err := WriteCapacityTable(w, res); err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "Chart: %s\n", p.cfg.Chart)
	return err
}

// renditionStore keeps session 0's renditions for OutDir. OnSegment calls
// come from session 0's goroutine only, in order.
type renditionStore struct {
	segs [][]ffmpeg.RenditionResult
}

func (s *renditionStore) keep(rec SegmentRecord, res *ffmpeg.SegmentResult) {
	if rec.Session != 0 {
		return
	}
	var r []ffmpeg.RenditionResult
	if res != nil {
		r = res.Renditions
	}
	s.segs = append(s.segs, r)
}

// write writes the kept renditions to dir/<rendition>/seg-NNNNN.ts; its
// errors name the flag that gave dir.
func (s *renditionStore) write(dir string) error {
	for i, seg := range s.segs {
		for _, r := range seg {
			d := filepath.Join(dir, r.Name)
			if err := os.MkdirAll(d, 0o755); err != nil {
				return fmt.Errorf("--out-dir: %w", err)
			}
			if err := os.WriteFile(filepath.Join(d, fmt.Sprintf("seg-%05d.ts", i)), r.Data, 0o644); err != nil {
				return fmt.Errorf("--out-dir: %w", err)
			}
		}
	}
	return nil
}

func writeFile(path string, write func(io.Writer) error) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	return write(f)
}
