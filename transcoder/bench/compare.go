package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"

	"go.uber.org/zap"
)

// DefaultCompareRounds is how many cold and warm runs CompareCold
// alternates when PlanConfig.Rounds is 0.
const DefaultCompareRounds = 3

// CompareRun is one run of a cold/warm comparison.
type CompareRun struct {
	Round   int
	Cold    bool
	Summary Summary
}

// Comparison is what CompareCold measured: the runs, and the medians of
// their CPU seconds per segment.
type Comparison struct {
	Runs                []CompareRun
	ColdCPU, WarmCPU    float64 // median CPU seconds per segment
	SavingCPU, SavingPc float64 // ColdCPU-WarmCPU, and as a share of ColdCPU (percent)
}

// CompareCold measures what the engine's warm state saves: it runs the plan
// with every filter graph and encoder rebuilt for each segment (cold) and
// as the engine runs by default (warm), Rounds times each, alternating so
// that drift in the machine's speed hits both alike, and writes both and
// the saving to w.
func (p *Plan) CompareCold(ctx context.Context, w io.Writer) error {
	rounds := p.cfg.Rounds
	if rounds <= 0 {
		rounds = DefaultCompareRounds
	}
	var cmp Comparison
	var cold, warm []float64
	for r := 1; r <= rounds; r++ {
		for _, c := range []bool{true, false} {
			p.opts.Cold = c
			p.log.Info("bench compare run", zap.Int("round", r), zap.Bool("cold", c))
			res, err := Run(ctx, p.config(p.cfg.Sessions))
			if err != nil {
				return fmt.Errorf("bench: round %d (cold %v): %w", r, c, err)
			}
			cmp.Runs = append(cmp.Runs, CompareRun{Round: r, Cold: c, Summary: res.Summary})
			if c {
				cold = append(cold, res.Summary.CPUPerSegment)
			} else {
				warm = append(warm, res.Summary.CPUPerSegment)
			}
		}
	}
	p.opts.Cold = p.cfg.Cold
	cmp.ColdCPU, cmp.WarmCPU = median(cold), median(warm)
	cmp.SavingCPU = cmp.ColdCPU - cmp.WarmCPU
	cmp.SavingPc = 100 * ratio(cmp.SavingCPU, cmp.ColdCPU)
	info := p.info
	info.Encoders = encodersName("cold and warm", p.opts.ZeroLatency)
	if p.cfg.JSON {
		return writeComparisonJSON(w, info, cmp)
	}
	return WriteComparisonTable(w, info, cmp)
}

// median of a non-empty slice (the mean of the middle two for an even
// count); 0 when empty.
func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// WriteComparisonTable writes one line per run and the medians.
func WriteComparisonTable(w io.Writer, info Info, c Comparison) error {
	fmt.Fprintf(w, "Source %s, ladder %v, preset %s, %s, encoders: %s\n\n", info.Source, info.Ladder, info.Preset, info.Device, info.Encoders)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "round\tstate\tsegments\tCPU s/segment\twall s\treal-time ratio\twarm graphs\twarm encoders\t")
	for _, r := range c.Runs {
		state := "warm"
		if r.Cold {
			state = "cold"
		}
		s := r.Summary
		fmt.Fprintf(tw, "%d\t%s\t%d\t%.4f\t%.3f\t%.3f\t%d/%d\t%d/%d\t\n", r.Round, state, s.Segments, s.CPUPerSegment,
			s.Wall.Seconds(), s.RealTimeDurationRatio, s.WarmGraphs, s.RenditionSegments, s.WarmEncoders, s.RenditionSegments)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\nMedian CPU per segment: cold %.4fs, warm %.4fs: warm state saves %.1f ms per segment (%.2f%%)\n",
		c.ColdCPU, c.WarmCPU, 1000*c.SavingCPU, c.SavingPc)
	return err
}

func writeComparisonJSON(w io.Writer, info Info, c Comparison) error {
	type run struct {
		Round   int              `json:"round"`
		Cold    bool             `json:"cold"`
		Summary benchJSONSummary `json:"summary"`
	}
	out := struct {
		Info           Info    `json:"info"`
		Runs           []run   `json:"runs"`
		ColdCPUPerSegS float64 `json:"cold_cpu_per_segment_s"`
		WarmCPUPerSegS float64 `json:"warm_cpu_per_segment_s"`
		SavingS        float64 `json:"saving_per_segment_s"`
		SavingPercent  float64 `json:"saving_percent"`
	}{Info: info, ColdCPUPerSegS: c.ColdCPU, WarmCPUPerSegS: c.WarmCPU, SavingS: c.SavingCPU, SavingPercent: c.SavingPc}
	for _, r := range c.Runs {
		out.Runs = append(out.Runs, run{Round: r.Round, Cold: r.Cold, Summary: toJSONSummary(r.Summary)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("writing json: %w", err)
	}
	return nil
}
