package bench

import (
	"strings"
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		in   []float64
		want float64
	}{{nil, 0}, {[]float64{3}, 3}, {[]float64{3, 1, 2}, 2}, {[]float64{4, 1, 3, 2}, 2.5}} {
		in := append([]float64(nil), tc.in...)
		if got := median(tc.in); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
		for i := range in {
			if in[i] != tc.in[i] {
				t.Fatalf("median reordered its input: %v, was %v", tc.in, in)
			}
		}
	}
}

// TestWriteComparisonTable: one line per run, in order, with its warm
// counts, and the medians and the saving on the last line.
func TestWriteComparisonTable(t *testing.T) {
	run := func(round int, cold bool, cpu float64, warm int) CompareRun {
		return CompareRun{Round: round, Cold: cold, Summary: Summary{Segments: 3, CPUPerSegment: cpu, Wall: 3 * time.Second,
			RenditionSegments: 6, WarmGraphs: warm, WarmEncoders: warm}}
	}
	c := Comparison{Runs: []CompareRun{run(1, true, 2.0, 0), run(1, false, 1.9, 4)},
		ColdCPU: 2.0, WarmCPU: 1.9, SavingCPU: 0.1, SavingPc: 5}
	var b strings.Builder
	if err := WriteComparisonTable(&b, Info{Source: "s", Ladder: []string{"240p"}, Preset: "veryfast", Device: "CPU", Encoders: "cold and warm"}, c); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for _, want := range []string{"encoders: cold and warm", "1   cold", "0/6", "1   warm", "4/6",
		"Median CPU per segment: cold 2.0000s, warm 1.9000s: warm state saves 100.0 ms per segment (5.00%)"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if !strings.Contains(lines[3], "cold") || !strings.Contains(lines[4], "warm") {
		t.Errorf("runs out of order:\n%s", out)
	}
}
