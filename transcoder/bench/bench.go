package bench

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/opkit-dev/opkit/ffmpeg"
)

// SegmentTranscoder is the part of an ffmpeg.Session the benchmark drives:
// one per stream, fed that stream's segments in order.
type SegmentTranscoder interface {
	Transcode(ctx context.Context, in ffmpeg.Input) (*ffmpeg.SegmentResult, error)
	Close() error
}

// OpenFunc opens the transcoder for the given session (0-based).
type OpenFunc func(session int) (SegmentTranscoder, error)

// Segment is one source segment, held in memory so that reading it is
// no part of the timed run.
type Segment struct {
	Name     string
	Data     []byte
	Format   string        // ffmpeg.Input.FormatHint; empty probes
	Duration time.Duration // media duration, for pacing and the real-time test
}

// Clock is the time source of the benchmark; tests inject one.
type Clock interface {
	Now() time.Time
	// SleepUntil returns when the clock reaches t or ctx is done.
	SleepUntil(ctx context.Context, t time.Time) error
}

// Config describes one benchmark run.
type Config struct {
	// Source is the stream every session transcodes, in order.
	Source []Segment
	// Count is the number of segments each session transcodes; the source
	// repeats when Count > len(Source). Zero: len(Source).
	Count int
	// Sessions is the number of concurrent streams, each with its own
	// transcoder from Open.
	Sessions int
	// Live paces each session at real time: segment i is released at the
	// sum of the durations of the segments before it, and latency counts
	// from that moment.
	Live bool
	Open OpenFunc
	// Clock defaults to the system clock.
	Clock Clock
	// OnSegment, if set, is called from the session's goroutine after each
	// segment with its record and the engine's result (nil on error). It
	// runs inside the timed region; keep it cheap.
	OnSegment func(SegmentRecord, *ffmpeg.SegmentResult)
}

// ErrBadConfig reports an invalid benchmark configuration.
var ErrBadConfig = errors.New("invalid benchmark configuration")

// Validate checks the configuration.
func (c Config) Validate() error {
	switch {
	case len(c.Source) == 0:
		return fmt.Errorf("%w: no source segments", ErrBadConfig)
	case c.Sessions < 1:
		return fmt.Errorf("%w: sessions %d, want at least 1", ErrBadConfig, c.Sessions)
	case c.Count < 0:
		return fmt.Errorf("%w: segment count %d is negative", ErrBadConfig, c.Count)
	case c.Open == nil:
		return fmt.Errorf("%w: no transcoder", ErrBadConfig)
	}
	for i, s := range c.Source {
		if len(s.Data) == 0 || s.Duration <= 0 {
			return fmt.Errorf("%w: source segment %d (%s) is empty or has no duration", ErrBadConfig, i, s.Name)
		}
	}
	return nil
}

// Result is everything a run measured.
type Result struct {
	Records []SegmentRecord // ordered by session, then segment
	Summary Summary
}

// Run opens Sessions transcoders, then transcodes Count segments on
// each concurrently and measures it. Opening the transcoders is outside the
// timed region; closing them is inside it. It returns an error only when
// the run could not be made (a transcoder would not open, ctx was
// cancelled); a segment that fails to transcode is recorded and counted.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Count == 0 {
		cfg.Count = len(cfg.Source)
	}
	clk := cfg.Clock
	if clk == nil {
		clk = systemClock{}
	}
	tcs, err := openAll(cfg.Open, cfg.Sessions)
	if err != nil {
		return nil, err
	}
	peakIsRun := resetPeakRSS()
	before, err := readUsage()
	if err != nil {
		return nil, errors.Join(err, closeAll(tcs))
	}
	start := clk.Now()
	records := make([][]SegmentRecord, cfg.Sessions)
	errs := make([]error, cfg.Sessions)
	var wg sync.WaitGroup
	for s := range cfg.Sessions {
		wg.Go(func() {
			r := benchSession{cfg: &cfg, clk: clk, start: start, session: s, tc: tcs[s]}
			records[s], errs[s] = r.run(ctx)
			errs[s] = errors.Join(errs[s], tcs[s].Close())
		})
	}
	wg.Wait()
	wall := clk.Now().Sub(start)
	after, uerr := readUsage()
	if err := errors.Join(append(errs, uerr)...); err != nil {
		return nil, err
	}
	res := &Result{}
	for _, r := range records {
		res.Records = append(res.Records, r...)
	}
	u := Usage{CPU: after.CPU - before.CPU, PeakRSS: after.PeakRSS, PeakRSSOfRun: peakIsRun}
	res.Summary = Summarize(res.Records, cfg.Sessions, cfg.Live, wall, u)
	return res, nil
}

func openAll(open OpenFunc, n int) ([]SegmentTranscoder, error) {
	tcs := make([]SegmentTranscoder, 0, n)
	for i := range n {
		tc, err := open(i)
		if err != nil {
			return nil, errors.Join(fmt.Errorf("opening transcoder for session %d: %w", i, err), closeAll(tcs))
		}
		tcs = append(tcs, tc)
	}
	return tcs, nil
}

func closeAll(tcs []SegmentTranscoder) error {
	var errs []error
	for _, tc := range tcs {
		errs = append(errs, tc.Close())
	}
	return errors.Join(errs...)
}

// benchSession runs one stream of the benchmark.
type benchSession struct {
	cfg     *Config
	clk     Clock
	start   time.Time
	session int
	tc      SegmentTranscoder
}

func (b *benchSession) run(ctx context.Context) ([]SegmentRecord, error) {
	out := make([]SegmentRecord, 0, b.cfg.Count)
	var due time.Duration // live: release time of the next segment
	for i := range b.cfg.Count {
		seg := b.cfg.Source[i%len(b.cfg.Source)]
		if b.cfg.Live {
			if err := b.clk.SleepUntil(ctx, b.start.Add(due)); err != nil {
				return out, fmt.Errorf("session %d: waiting for segment %d: %w", b.session, i, err)
			}
		}
		rec, res, err := b.transcode(ctx, i, seg)
		if err != nil {
			return out, err
		}
		if !b.cfg.Live {
			rec.Arrival = rec.Submitted
		} else {
			rec.Arrival = due
		}
		rec.Latency = rec.Done - rec.Arrival
		due += seg.Duration
		out = append(out, rec)
		if b.cfg.OnSegment != nil {
			b.cfg.OnSegment(rec, res)
		}
	}
	return out, nil
}

// transcode runs one segment. A bad segment is recorded; only a cancelled
// context or a closed session stops the run.
func (b *benchSession) transcode(ctx context.Context, i int, seg Segment) (SegmentRecord, *ffmpeg.SegmentResult, error) {
	rec := SegmentRecord{Session: b.session, Segment: i, Source: seg.Name, SourceDuration: seg.Duration}
	t0 := b.clk.Now()
	res, err := b.tc.Transcode(ctx, ffmpeg.Input{Data: seg.Data, FormatHint: seg.Format})
	t1 := b.clk.Now()
	rec.Time = t1
	rec.Submitted, rec.Done, rec.Transcode = t0.Sub(b.start), t1.Sub(b.start), t1.Sub(t0)
	if err != nil {
		if ctx.Err() != nil || errors.Is(err, ffmpeg.ErrClosed) {
			return rec, nil, fmt.Errorf("session %d segment %d: %w", b.session, i, err)
		}
		rec.Err = err.Error()
		return rec, nil, nil
	}
	rec.DecodedFrames = res.DecodedFrames
	rec.HWFallback = res.HWFallback
	for _, r := range res.Renditions {
		rec.Renditions = append(rec.Renditions, RenditionRecord{
			Name: r.Name, Width: r.Width, Height: r.Height, Frames: r.Frames, Bytes: r.Bytes, Duration: r.Duration,
			WarmGraph: r.WarmGraph, WarmEncoder: r.WarmEncoder,
		})
	}
	return rec, res, nil
}

// systemClock is the real clock.
type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

func (systemClock) SleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err()
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
