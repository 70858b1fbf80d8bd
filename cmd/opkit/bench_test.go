package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runBenchCLI runs `opkit bench args...` in-process and returns stdout.
func runBenchCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	app := newApp()
	var stdout, stderr bytes.Buffer
	app.Writer, app.ErrWriter = &stdout, &stderr
	err := app.RunContext(context.Background(), append([]string{"opkit", "--log-level", "error", "bench"}, args...))
	return stdout.String(), err
}

// tinyLadder writes a two-rung ladder file that keeps the encodes fast.
func tinyLadder(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "ladder.json")
	l := `[{"name":"144p","width":256,"height":144,"bitrate":"300k","gop":"1"},
	       {"name":"240p","width":426,"height":240,"bitrate":"500k","gop":"1"}]`
	if err := os.WriteFile(p, []byte(l), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBenchFlagsEnvVars(t *testing.T) {
	checkEnvPrefix(t, "OPKIT_BENCH_", benchCommand().Flags)
}

func TestBenchConfigValidate(t *testing.T) {
	ok := benchConfig{source: "synthetic:320x240@30", sessions: 1, maxLoad: 0.8, maxSessions: 8, chart: "c.svg", preset: "veryfast", rounds: 3}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid config: %v", err)
	}
	for name, tc := range map[string]struct {
		mut  func(*benchConfig)
		want string
	}{
		"no source":           {func(c *benchConfig) { c.source = "" }, "exactly one of --in"},
		"two sources":         {func(c *benchConfig) { c.in = "a.ts" }, "exactly one of --in"},
		"bad synthetic":       {func(c *benchConfig) { c.source = "synthetic:1x1" }, "synthetic:WIDTHxHEIGHT@FPS"},
		"zero sessions":       {func(c *benchConfig) { c.sessions = 0 }, "--sessions"},
		"negative segs":       {func(c *benchConfig) { c.segs = -1 }, "--segs"},
		"two ladders":         {func(c *benchConfig) { c.ladder, c.ladderFile = "bench", "l.json" }, "--ladder"},
		"capacity and live":   {func(c *benchConfig) { c.findCapacity, c.live = true, true }, "--live"},
		"capacity and outdir": {func(c *benchConfig) { c.findCapacity, c.outDir = true, "o" }, "--out-dir"},
		"capacity no chart":   {func(c *benchConfig) { c.findCapacity, c.chart = true, "" }, "--chart"},
		"zero max load":       {func(c *benchConfig) { c.maxLoad = 0 }, "--max-load"},
		"threads":             {func(c *benchConfig) { c.threads = 65 }, "--threads"},
		"zero rounds":         {func(c *benchConfig) { c.rounds = 0 }, "--rounds"},
		"compare and cold":    {func(c *benchConfig) { c.compareCold, c.cold = true, true }, "--compare-cold"},
		"compare and csv":     {func(c *benchConfig) { c.compareCold, c.csv = true, "x.csv" }, "--compare-cold"},
		"compare and search":  {func(c *benchConfig) { c.compareCold, c.findCapacity = true, true }, "--compare-cold"},
	} {
		t.Run(name, func(t *testing.T) {
			c := ok
			tc.mut(&c)
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Validate: %v, want an error mentioning %q", err, tc.want)
			}
		})
	}
}

func TestParseNvidia(t *testing.T) {
	for in, want := range map[string][]int{"": nil, "0": {0}, "1,0": {1, 0}, " 2 , 3": {2, 3}} {
		got, err := parseNvidia(in, nil)
		if err != nil || len(got) != len(want) {
			t.Errorf("parseNvidia(%q) = %v, %v; want %v", in, got, err, want)
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("parseNvidia(%q) = %v, want %v", in, got, want)
			}
		}
	}
	for _, bad := range []string{"x", "0,0", "-1", "16", "0,,1"} {
		if _, err := parseNvidia(bad, nil); err == nil {
			t.Errorf("parseNvidia(%q) accepted", bad)
		}
	}
}

// TestBenchCommandJSONAndCSV runs the command end to end on a tiny
// synthetic source and checks the JSON report against the CSV rows and the
// dumped source.
func TestBenchCommandJSONAndCSV(t *testing.T) {
	dir := t.TempDir()
	csvPath, dump, outDir := filepath.Join(dir, "segs.csv"), filepath.Join(dir, "src"), filepath.Join(dir, "out")
	out, err := runBenchCLI(t, "--source", "synthetic:320x240@30", "--segs", "2", "--sessions", "2",
		"--ladder-file", tinyLadder(t), "--preset", "ultrafast", "--json", "--csv", csvPath, "--dump", dump, "--out-dir", outDir)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Info struct {
			Ladder []string `json:"ladder"`
		} `json:"info"`
		Summary struct {
			Sessions, Segments, Failed int
			SourceDurationS            float64 `json:"source_duration_s"`
			WallS                      float64 `json:"wall_s"`
			Ratio                      float64 `json:"realtime_duration_ratio"`
			EncodedFrames              int64   `json:"encoded_frames"`
		} `json:"summary"`
		Segments []struct {
			Session, Segment int
			Renditions       []struct{ Frames int64 } `json:"renditions"`
		} `json:"segments"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	s := rep.Summary
	if s.Sessions != 2 || s.Segments != 4 || s.Failed != 0 || len(rep.Segments) != 4 || len(rep.Info.Ladder) != 2 {
		t.Fatalf("report: %+v", rep)
	}
	if s.SourceDurationS != 8 || s.WallS <= 0 || s.Ratio != s.SourceDurationS/s.WallS {
		t.Errorf("source %v s, wall %v s, ratio %v", s.SourceDurationS, s.WallS, s.Ratio)
	}
	var frames int64
	for _, seg := range rep.Segments {
		for _, r := range seg.Renditions {
			frames += r.Frames
		}
	}
	if frames != s.EncodedFrames || frames != 4*2*60 {
		t.Errorf("segments hold %d encoded frames, summary %d, want %d", frames, s.EncodedFrames, 4*2*60)
	}
	f, err := os.Open(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 || rows[0][0] != "time" || rows[0][len(rows[0])-1] != "240p_bytes" {
		t.Errorf("csv: %d rows, header %v", len(rows), rows[0])
	}
	for _, p := range []string{"src/index.m3u8", "src/seg-00001.ts", "out/144p/seg-00001.ts", "out/240p/seg-00000.ts"} {
		if st, err := os.Stat(filepath.Join(dir, p)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", p, err)
		}
	}
	// The dump reads back as a source.
	if _, err := runBenchCLI(t, "--in", filepath.Join(dump, "index.m3u8"), "--ladder-file", tinyLadder(t), "--preset", "ultrafast", "--json"); err != nil {
		t.Errorf("benchmarking the dump: %v", err)
	}
}

func TestBenchCommandFindCapacity(t *testing.T) {
	chart := filepath.Join(t.TempDir(), "cap.svg")
	out, err := runBenchCLI(t, "--source", "synthetic:320x240@30", "--segs", "1", "--ladder-file", tinyLadder(t),
		"--preset", "ultrafast", "--find-capacity", "--max-sessions", "2", "--chart", chart)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "Capacity: ") || !strings.Contains(out, "sessions") {
		t.Errorf("capacity output:\n%s", out)
	}
	doc, err := os.ReadFile(chart)
	if err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(bytes.NewReader(doc))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("chart is not well-formed XML: %v", err)
		}
	}
}

func TestBenchCommandUsageErrorsExit2(t *testing.T) {
	_, err := runBenchCLI(t, "--source", "synthetic:320x240@30", "--in", "x.ts")
	if err == nil || exitCode(err) != 2 {
		t.Fatalf("err %v exit code %d, want 2", err, exitCode(err))
	}
	_, err = runBenchCLI(t, "--in", filepath.Join(t.TempDir(), "missing.ts"))
	if err == nil {
		t.Fatal("missing input accepted")
	}
}

// TestBenchCompareCold runs --compare-cold end to end: a cold and a warm run
// per round, the warm one with every encoder after a stream's first segment
// kept (zero latency), and the saving computed from the medians.
func TestBenchCompareCold(t *testing.T) {
	out, err := runBenchCLI(t, "--source", "synthetic:320x240@30", "--segs", "3", "--sessions", "1",
		"--ladder-file", tinyLadder(t), "--preset", "ultrafast", "--zero-latency", "--compare-cold", "--rounds", "2", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Info struct {
			Encoders string `json:"encoders"`
		} `json:"info"`
		Runs []struct {
			Round   int  `json:"round"`
			Cold    bool `json:"cold"`
			Summary struct {
				Segments          int     `json:"segments"`
				CPU               float64 `json:"cpu_per_segment_s"`
				RenditionSegments int     `json:"rendition_segments"`
				WarmGraphs        int     `json:"warm_graphs"`
				WarmEncoders      int     `json:"warm_encoders"`
			} `json:"summary"`
		} `json:"runs"`
		Cold   float64 `json:"cold_cpu_per_segment_s"`
		Warm   float64 `json:"warm_cpu_per_segment_s"`
		Saving float64 `json:"saving_per_segment_s"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	if rep.Info.Encoders != "cold and warm, zero latency" || len(rep.Runs) != 4 {
		t.Fatalf("encoders %q, %d runs; want 4 runs of cold and warm, zero latency", rep.Info.Encoders, len(rep.Runs))
	}
	var cold, warm []float64
	for i, r := range rep.Runs {
		s := r.Summary
		if r.Round != i/2+1 || r.Cold != (i%2 == 0) || s.Segments != 3 || s.CPU <= 0 {
			t.Errorf("run %d: %+v", i, r)
		}
		n := s.RenditionSegments
		wantWarm := 0
		if !r.Cold {
			wantWarm = n / 3 * 2 // every rendition after the first segment
		}
		if n == 0 || s.WarmEncoders != wantWarm || s.WarmGraphs != wantWarm {
			t.Errorf("run %d (cold %v): warm graphs %d, encoders %d of %d; want %d", i, r.Cold, s.WarmGraphs, s.WarmEncoders, n, wantWarm)
		}
		if r.Cold {
			cold = append(cold, s.CPU)
		} else {
			warm = append(warm, s.CPU)
		}
	}
	if mean2 := func(v []float64) float64 { return (v[0] + v[1]) / 2 }; rep.Cold != mean2(cold) || rep.Warm != mean2(warm) ||
		math.Abs(rep.Saving-(rep.Cold-rep.Warm)) > 1e-12 {
		t.Errorf("medians cold %v warm %v saving %v from runs %v %v", rep.Cold, rep.Warm, rep.Saving, cold, warm)
	}
}
