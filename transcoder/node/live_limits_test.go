package node

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/opkit-dev/opkit/ffmpeg"
	"github.com/opkit-dev/opkit/transcoder"
)

// startHeld posts a segment whose answer comes on the returned channel; the
// test's gate holds it in flight.
func startHeld(t *testing.T, base, stream string, seq int, seg []byte) <-chan *http.Response {
	t.Helper()
	out := make(chan *http.Response, 1)
	go func() {
		resp, err := http.DefaultClient.Do(segmentRequest(base, stream, seq, seg))
		if err != nil {
			resp = nil
		}
		out <- resp
	}()
	return out
}

// held waits for a held segment's answer: it must be a 200 with the
// renditions, whatever the limits did meanwhile.
func held(t *testing.T, answers <-chan *http.Response, seq int) *Response {
	t.Helper()
	resp := <-answers
	if resp == nil {
		t.Fatal("held segment failed")
	}
	defer resp.Body.Close()
	r := readOK(t, resp)
	checkRenditions(t, r, seq)
	return r
}

// TestSetLimitsSessions lowers and raises --max-sessions on a running node:
// idle sessions above the new limit close at once (least recently used
// first), a busy one finishes its segment and then closes, new streams get
// 429 busy_sessions, and a raised limit takes the next stream.
func TestSetLimitsSessions(t *testing.T) {
	clock := &fakeClock{now: time.Unix(1_700_000_000, 0)}
	cfg := testNodeConfig(t)
	cfg.LocalSessions, cfg.Now = 3, clock.Now
	n := startNode(t, cfg, nil)
	segs := nodeSegments(t, 2)
	pass := func(stream string, seq int) {
		t.Helper()
		checkRenditions(t, readOK(t, postSegment(t, n.base, stream, seq, segs[seq])), seq)
	}
	for _, stream := range []string{"old", "recent", "busy"} {
		pass(stream, 0)
		clock.Advance(time.Second)
	}
	// "busy" holds its stream's turn, as its segment being transcoded does.
	busy, err := n.pool.acquire(context.Background(), "busy")
	if err != nil {
		t.Fatal(err)
	}

	// 3 sessions, limit 2: the least recently used idle one closes.
	if err := n.SetLimits(Limits{LocalSessions: 2, MaxInflight: cfg.MaxInflight}); err != nil {
		t.Fatal(err)
	}
	if st := n.Stats(); st.Sessions != 2 {
		t.Fatalf("limit 2: %+v, want 2 sessions", st)
	}
	wantError(t, postSegment(t, n.base, "old", 1, segs[1]), http.StatusTooManyRequests, "busy_sessions")
	pass("recent", 1)
	if st := n.Stats(); st.SessionsOpened != 3 {
		t.Errorf("limit 2: %d sessions opened, want 3 (recent kept its warm session)", st.SessionsOpened)
	}

	// Limit 0 with "busy" in its turn: the idle session closes, the busy
	// one finishes its segment in its warm session and then closes; new
	// streams are refused.
	if err := n.SetLimits(Limits{LocalSessions: 0, MaxInflight: cfg.MaxInflight}); err != nil {
		t.Fatal(err)
	}
	if st := n.Stats(); st.Sessions != 1 {
		t.Fatalf("limit 0: %+v, want the busy session only", st)
	}
	wantError(t, postSegment(t, n.base, "new", 0, segs[0]), http.StatusTooManyRequests, "busy_sessions")
	ladder, err := transcoder.ParseLadderSpec(nodeTestLadder)
	if err != nil {
		t.Fatal(err)
	}
	res, err := n.pool.transcode(context.Background(), busy, 1, ladder, nodeTestLadder, ffmpeg.Input{Data: segs[1], FormatHint: "mpegts"})
	if err != nil || res.Seq != 1 || len(res.Renditions) != len(ladder) {
		t.Fatalf("busy stream's segment under limit 0: %+v, %v", res, err)
	}
	n.pool.release(busy)
	if st := n.Stats(); st.Sessions != 0 || st.SessionsOpened != 3 {
		t.Fatalf("after the busy segment: %+v, want its session closed, none opened", st)
	}
	text := metricsText(t, n.base)
	wantMetric(t, text, `opkit_node_max_sessions 0`)
	wantMetric(t, text, `opkit_node_rejected_total{reason="sessions"} 2`)

	// Raised: the next new stream is taken.
	if err := n.SetLimits(Limits{LocalSessions: 2, MaxInflight: cfg.MaxInflight}); err != nil {
		t.Fatal(err)
	}
	pass("new", 0)
	if got := n.Limits(); got != (Limits{LocalSessions: 2, MaxInflight: cfg.MaxInflight}) {
		t.Errorf("Limits() = %+v", got)
	}
	wantMetric(t, metricsText(t, n.base), `opkit_node_max_sessions 2`)
}

// TestSetLimitsInflight lowers and raises --max-inflight with segments in
// flight: none is cut short, new ones get 429 busy_inflight until fewer run
// than the limit, and a raised limit admits the next at once.
func TestSetLimitsInflight(t *testing.T) {
	cfg := testNodeConfig(t)
	cfg.MaxInflight = 1
	g := newGate()
	n := startNode(t, cfg, g.hook)
	seg := nodeSegments(t, 1)[0]
	a := startHeld(t, n.base, "a", 0, seg)
	<-g.entered
	wantError(t, postSegment(t, n.base, "b", 0, seg), http.StatusTooManyRequests, "busy_inflight")

	if err := n.SetLimits(Limits{LocalSessions: cfg.LocalSessions, MaxInflight: 2}); err != nil {
		t.Fatal(err)
	}
	b := startHeld(t, n.base, "b", 0, seg)
	<-g.entered // admitted at once
	wantMetric(t, metricsText(t, n.base), `opkit_node_max_inflight 2`)

	if err := n.SetLimits(Limits{LocalSessions: cfg.LocalSessions, MaxInflight: 1}); err != nil {
		t.Fatal(err)
	}
	if st := n.Stats(); st.Inflight != 2 {
		t.Fatalf("after lowering: %+v, want both segments still in flight", st)
	}
	wantError(t, postSegment(t, n.base, "c", 0, seg), http.StatusTooManyRequests, "busy_inflight")
	close(g.release)
	held(t, a, 0)
	held(t, b, 0)
	checkRenditions(t, readOK(t, postSegment(t, n.base, "c", 0, seg)), 0)
	text := metricsText(t, n.base)
	wantMetric(t, text, `opkit_node_max_inflight 1`)
	wantMetric(t, text, `opkit_node_rejected_total{reason="inflight"} 2`)
}

// TestSetLimitsOrchestratorGetsLocalSessions: a pure orchestrator (no
// local sessions) given sessions at run time transcodes here.
func TestSetLimitsOrchestratorGetsLocalSessions(t *testing.T) {
	cfg := testNodeConfig(t)
	cfg.LocalSessions = 0
	n := startNode(t, cfg, nil)
	seg := nodeSegments(t, 1)[0]
	wantError(t, postSegment(t, n.base, "s", 0, seg), http.StatusTooManyRequests, "busy_sessions")
	if err := n.SetLimits(Limits{LocalSessions: 1, MaxInflight: cfg.MaxInflight}); err != nil {
		t.Fatal(err)
	}
	r := readOK(t, postSegment(t, n.base, "s", 0, seg))
	if r.Result.Worker != "" {
		t.Errorf("went to worker %q, want local", r.Result.Worker)
	}
}

func TestSetLimitsRefusesBadLimits(t *testing.T) {
	noWorkers := testNodeConfig(t)
	noWorkers.WorkerSecret = nil
	for name, tc := range map[string]struct {
		cfg Config
		l   Limits
	}{
		"negative sessions":            {testNodeConfig(t), Limits{LocalSessions: -1, MaxInflight: 4}},
		"no inflight":                  {testNodeConfig(t), Limits{LocalSessions: 4, MaxInflight: 0}},
		"inflight above the ceiling":   {testNodeConfig(t), Limits{LocalSessions: 4, MaxInflight: MaxInflightCeiling + 1}},
		"orchestrator without workers": {noWorkers, Limits{LocalSessions: 0, MaxInflight: 4}},
	} {
		t.Run(name, func(t *testing.T) {
			n, err := New(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			before := n.Limits()
			if err := n.SetLimits(tc.l); !errors.Is(err, ErrBadLimits) {
				t.Errorf("SetLimits(%+v) = %v, want ErrBadLimits", tc.l, err)
			}
			if after := n.Limits(); after != before {
				t.Errorf("limits changed from %+v to %+v", before, after)
			}
		})
	}
	cfg := testNodeConfig(t)
	cfg.MaxInflight = MaxInflightCeiling + 1
	if err := cfg.Validate(); !errors.Is(err, ErrBadConfig) || !errors.Is(err, ErrBadLimits) {
		t.Errorf("config above the ceiling: %v", err)
	}
}
