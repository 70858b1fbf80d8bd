package bench

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// loadMachine is a fake benchmark runner: a machine on which each session
// costs perSession of real time (load = sessions × perSession), with an
// optional bump of extra load at some session counts.
type loadMachine struct {
	perSession float64
	extra      map[int]float64
	calls      []int
}

func (m *loadMachine) run(_ context.Context, k int) (Summary, error) {
	m.calls = append(m.calls, k)
	load := float64(k)*m.perSession + m.extra[k]
	src := 20 * time.Second * time.Duration(k)
	wall := time.Duration(load * float64(20*time.Second))
	return Summarize([]SegmentRecord{{SourceDuration: src, Transcode: wall, Latency: wall}}, k, false, wall, Usage{}), nil
}

func TestFindCapacity(t *testing.T) {
	tests := []struct {
		name       string
		perSession float64
		extra      map[int]float64
		maxLoad    float64
		limit      int
		want       int
		limited    bool
		calls      []int
	}{
		// load(k) = 0.15k: k=5 gives 0.75, k=6 gives 0.9.
		{name: "bisects between powers", perSession: 0.15, maxLoad: 0.8, limit: 64, want: 5, calls: []int{1, 2, 4, 8, 6, 5}},
		{name: "exact power of two", perSession: 0.2, maxLoad: 0.8, limit: 64, want: 4, calls: []int{1, 2, 4, 8, 6, 5}},
		{name: "one session too many", perSession: 0.9, maxLoad: 0.8, limit: 64, want: 0, calls: []int{1}},
		{name: "only one fits", perSession: 0.5, maxLoad: 0.8, limit: 64, want: 1, calls: []int{1, 2}},
		{name: "search limit reached", perSession: 0.01, maxLoad: 0.8, limit: 5, want: 5, limited: true, calls: []int{1, 2, 4, 5}},
		{name: "limit fails then bisect", perSession: 0.15, maxLoad: 0.8, limit: 7, want: 5, calls: []int{1, 2, 4, 7, 5, 6}},
		{name: "load at the limit holds", perSession: 0.2, maxLoad: 0.6, limit: 8, want: 3, calls: []int{1, 2, 4, 3}},
		{name: "noise at 2 stops doubling", perSession: 0.1, extra: map[int]float64{2: 1}, maxLoad: 0.8, limit: 64, want: 1, calls: []int{1, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &loadMachine{perSession: tt.perSession, extra: tt.extra}
			res, err := FindCapacity(context.Background(), tt.maxLoad, tt.limit, m.run)
			if err != nil {
				t.Fatal(err)
			}
			if res.Capacity != tt.want || res.Limited != tt.limited {
				t.Errorf("capacity %d limited %v, want %d limited %v", res.Capacity, res.Limited, tt.want, tt.limited)
			}
			if !slices.Equal(m.calls, tt.calls) {
				t.Errorf("session counts tried %v, want %v", m.calls, tt.calls)
			}
			for i, tr := range res.Trials {
				if i > 0 && tr.Sessions <= res.Trials[i-1].Sessions {
					t.Errorf("trials not in increasing order: %v", res.Trials)
				}
				if wantHold := tr.Summary.Load <= tt.maxLoad; tr.Holds != wantHold {
					t.Errorf("trial %d sessions load %v: holds %v", tr.Sessions, tr.Summary.Load, tr.Holds)
				}
				if tr.Holds && tr.Sessions > res.Capacity {
					t.Errorf("trial with %d sessions held above capacity %d", tr.Sessions, res.Capacity)
				}
			}
		})
	}
}

func TestFindCapacityFailedSegmentsDoNotHold(t *testing.T) {
	run := func(_ context.Context, k int) (Summary, error) {
		recs := []SegmentRecord{{SourceDuration: 10 * time.Second, Transcode: time.Second}}
		if k >= 4 {
			recs = append(recs, SegmentRecord{SourceDuration: time.Second, Err: "corrupt"})
		}
		return Summarize(recs, k, false, time.Second, Usage{}), nil
	}
	res, err := FindCapacity(context.Background(), 0.8, 16, run)
	if err != nil {
		t.Fatal(err)
	}
	if res.Capacity != 3 {
		t.Fatalf("capacity %d, want 3 (4 sessions had a failed segment)", res.Capacity)
	}
}

func TestFindCapacityErrors(t *testing.T) {
	boom := errors.New("boom")
	_, err := FindCapacity(context.Background(), 0.8, 8, func(_ context.Context, k int) (Summary, error) {
		if k == 2 {
			return Summary{}, boom
		}
		return Summary{Segments: 1, Load: 0.1}, nil
	})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "2 sessions") {
		t.Fatalf("trial error: %v", err)
	}
	for _, bad := range []struct {
		load  float64
		limit int
	}{{0, 4}, {-1, 4}, {0.8, 0}} {
		if _, err := FindCapacity(context.Background(), bad.load, bad.limit, nil); !errors.Is(err, ErrBadSearch) {
			t.Errorf("FindCapacity(%v, %d): %v, want ErrBadSearch", bad.load, bad.limit, err)
		}
	}
}

// parseSVG checks the document is well-formed XML with an <svg> root and
// returns every text element's content.
func parseSVG(t *testing.T, doc []byte) []string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var texts []string
	var root string
	inText := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, doc)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = el.Name.Local
				if el.Name.Space != "http://www.w3.org/2000/svg" {
					t.Errorf("root namespace %q", el.Name.Space)
				}
			}
			inText = el.Name.Local == "text"
		case xml.CharData:
			if inText {
				texts = append(texts, string(el))
			}
		case xml.EndElement:
			inText = false
		}
	}
	if root != "svg" {
		t.Fatalf("root element %q, want svg", root)
	}
	return texts
}

func TestCapacityChartSVG(t *testing.T) {
	m := &loadMachine{perSession: 0.15}
	res, err := FindCapacity(context.Background(), 0.8, 64, m.run)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := CapacityChart(res, `capacity <1080p> & "bench"`).WriteSVG(&buf); err != nil {
		t.Fatal(err)
	}
	texts := strings.Join(parseSVG(t, buf.Bytes()), "|")
	for _, want := range []string{
		`capacity <1080p> & "bench"`, "capacity: 5 sessions", "limit 0.80", "real time 1.0",
		"concurrent sessions", "load = sessions", "|1|", "|8|",
	} {
		if !strings.Contains(texts, want) {
			t.Errorf("chart text lacks %q: %s", want, texts)
		}
	}
	if n := strings.Count(buf.String(), "</circle>"); n != len(res.Trials) {
		t.Errorf("%d markers for %d trials", n, len(res.Trials))
	}
}

func TestChartDegenerateInputs(t *testing.T) {
	for name, c := range map[string]Chart{
		"empty":     {Title: "nothing"},
		"one point": {Series: []Series{{Name: "s", Points: []Point{{1, 0.5}}}}},
		"infinite":  {Series: []Series{{Name: "s", Points: []Point{{1, math.Inf(1)}, {2, math.NaN()}, {3, 0.2}}}}},
		"flat zero": {XInteger: true, Series: []Series{{Name: "s", Points: []Point{{1, 0}, {2, 0}}}}},
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := c.WriteSVG(&buf); err != nil {
				t.Fatal(err)
			}
			parseSVG(t, buf.Bytes())
			if strings.Contains(buf.String(), "NaN") || strings.Contains(buf.String(), "Inf") {
				t.Errorf("non-finite number in SVG:\n%s", buf.String())
			}
		})
	}
}

func TestTicks(t *testing.T) {
	tests := []struct {
		lo, hi  float64
		n       int
		integer bool
		want    []float64
	}{
		{0, 1, 5, false, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{0.5, 8.5, 6, true, []float64{2, 4, 6, 8}},
		{0.5, 3.5, 6, true, []float64{1, 2, 3}},
		{0, 10, 5, false, []float64{0, 2, 4, 6, 8, 10}},
	}
	for _, tt := range tests {
		got := ticks(tt.lo, tt.hi, tt.n, tt.integer)
		if len(got) != len(tt.want) {
			t.Errorf("ticks(%v,%v,%d,%v) = %v, want %v", tt.lo, tt.hi, tt.n, tt.integer, got, tt.want)
			continue
		}
		for i := range got {
			if math.Abs(got[i]-tt.want[i]) > 1e-9 {
				t.Errorf("ticks(%v,%v,%d,%v) = %v, want %v", tt.lo, tt.hi, tt.n, tt.integer, got, tt.want)
				break
			}
		}
	}
}
