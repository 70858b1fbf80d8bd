package node

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.uber.org/zap/zaptest"

	"github.com/opkit-dev/opkit/ffmpeg"
	"github.com/opkit-dev/opkit/transcoder"
)

const (
	nodeTestSecret = "node-test-secret-0123456789"
	nodeTestLadder = transcoder.P240p30fps16x9 + "," + transcoder.P144p30fps16x9
	nodeTestW      = 320
	nodeTestH      = 240
	nodeTestFrames = 30 // 1 s at 30 fps
)

// nodeSegments generates n consecutive one-second 320x240 MPEG-TS segments
// of one stream.
func nodeSegments(t *testing.T, n int) [][]byte {
	t.Helper()
	var segs [][]byte
	spec := ffmpeg.SyntheticSpec{Width: nodeTestW, Height: nodeTestH, FPS: ffmpeg.Rational{Num: 30, Den: 1},
		SegmentDuration: time.Second, Segments: n}
	err := ffmpeg.GenerateSegments(context.Background(), spec, func(_ int, seg []byte) error {
		segs = append(segs, bytes.Clone(seg))
		return nil
	})
	if err != nil {
		t.Fatalf("generate segments: %v", err)
	}
	return segs
}

func testEngine() ffmpeg.Options {
	return ffmpeg.Options{Preset: "ultrafast", Threads: 1}
}

func testNodeConfig(t *testing.T) Config {
	return Config{
		Secret: []byte(nodeTestSecret), WorkerSecret: []byte(nodeTestWorkerSecret), DefaultLadder: nodeTestLadder, Engine: testEngine(),
		LocalSessions: 4, MaxInflight: 4, MaxBytes: 8 << 20,
		SessionIdle: time.Minute, DrainTimeout: 30 * time.Second, Heartbeat: time.Second,
		JobTimeout: 30 * time.Second, RetryAfter: 2 * time.Second, Log: zaptest.NewLogger(t),
	}
}

// testNode is a node serving on a real loopback listener.
type testNode struct {
	*Node
	base string
	stop func() error // shuts the node down and returns Run's error; idempotent
}

func startNode(t *testing.T, cfg Config, hook func(ctx context.Context, stream string, seq int)) *testNode {
	t.Helper()
	reg := prometheus.NewRegistry()
	m, err := NewPromMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Metrics = m
	n, err := New(cfg)
	if err != nil {
		t.Fatalf("new node: %v", err)
	}
	n.beforeTranscode = hook
	return runNodeWith(t, n, promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
}

// runNode serves n on a loopback listener until the test ends.
func runNode(t *testing.T, n *Node) *testNode { return runNodeWith(t, n, nil) }

func runNodeWith(t *testing.T, n *Node, metrics http.Handler) *testNode {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return serveNodeOn(t, n, metrics, ln)
}

// serveNodeOn serves n on ln until the test ends.
func serveNodeOn(t *testing.T, n *Node, metrics http.Handler, ln net.Listener) *testNode {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- n.Run(ctx, ln, metrics) }()
	var once sync.Once
	var runErr error
	stop := func() error {
		once.Do(func() { cancel(); runErr = <-done })
		return runErr
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("node run: %v", err)
		}
	})
	return &testNode{Node: n, base: "http://" + ln.Addr().String(), stop: stop}
}

type reqOpt func(*http.Request)

func withAuth(secret string) reqOpt {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+secret) }
}

func postSegment(t *testing.T, base, stream string, seq int, data []byte, opts ...reqOpt) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+"/v1/streams/"+stream+"/segments/"+itoa(seq), bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "video/mp2t")
	withAuth(nodeTestSecret)(req)
	for _, o := range opts {
		o(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("post segment %s/%d: %v", stream, seq, err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func itoa(i int) string { return strconv.Itoa(i) }

// readOK parses a 200 answer.
func readOK(t *testing.T, resp *http.Response) *Response {
	t.Helper()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("status %s: %s", resp.Status, body)
	}
	r, err := ReadResponse(resp.Header.Get("Content-Type"), resp.Body)
	if err != nil {
		t.Fatalf("read response: %v", err)
	}
	return r
}

// wantError checks a non-200 answer's status and wire code.
func wantError(t *testing.T, resp *http.Response, status int, code string) errorBody {
	t.Helper()
	var eb errorBody
	if err := json.NewDecoder(resp.Body).Decode(&eb); err != nil {
		t.Fatalf("status %s: error body: %v", resp.Status, err)
	}
	if resp.StatusCode != status || eb.Code != code {
		t.Fatalf("got %s %q (%s), want %d %q", resp.Status, eb.Code, eb.Error, status, code)
	}
	if (status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable) && resp.Header.Get("Retry-After") == "" {
		t.Errorf("%d without Retry-After", status)
	}
	return eb
}

// checkRenditions probes every rendition's bytes independently of the node.
func checkRenditions(t *testing.T, r *Response, seq int) {
	t.Helper()
	ladder, err := transcoder.ParseLadderSpec(nodeTestLadder)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Renditions) != len(ladder) || r.Result.Seq != seq || len(r.Result.Segment.Renditions) != len(ladder) {
		t.Fatalf("seq %d: %d renditions, result %+v", seq, len(r.Renditions), r.Result)
	}
	for i, rr := range r.Renditions {
		w, h := ffmpeg.FitSize(nodeTestW, nodeTestH, ladder[i].Width, ladder[i].Height)
		info, err := ffmpeg.Probe(ffmpeg.Input{Data: rr.Data, FormatHint: "mpegts"})
		if err != nil {
			t.Fatalf("seq %d %s: probe: %v", seq, rr.Name, err)
		}
		if rr.Name != ladder[i].Name || rr.Width != w || rr.Height != h || info.Video.Width != w || info.Video.Height != h {
			t.Errorf("seq %d %s: header %dx%d, probed %dx%d, want %s %dx%d", seq, rr.Name, rr.Width, rr.Height,
				info.Video.Width, info.Video.Height, ladder[i].Name, w, h)
		}
		if rr.Frames != nodeTestFrames || info.Video.Frames != nodeTestFrames {
			t.Errorf("seq %d %s: %d frames in header, %d probed, want %d", seq, rr.Name, rr.Frames, info.Video.Frames, nodeTestFrames)
		}
	}
}

func metricsText(t *testing.T, base string) string {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func wantMetric(t *testing.T, text, line string) {
	t.Helper()
	if !strings.Contains(text, line+"\n") {
		t.Errorf("metrics lack %q", line)
	}
}

func TestNodeRoundTripReusesSession(t *testing.T) {
	n := startNode(t, testNodeConfig(t), nil)
	for seq, seg := range nodeSegments(t, 3) {
		r := readOK(t, postSegment(t, n.base, "cam-1", seq, seg))
		checkRenditions(t, r, seq)
		if r.Result.SessionSeq != seq || r.Result.Stream != "cam-1" || r.Result.Worker != "" {
			t.Errorf("seq %d: result %+v", seq, r.Result)
		}
		// The JSON part says where each stage ran: all on the CPU here.
		if s := r.Result.Segment; s.Decoder != "h264" || s.DecoderHW != "" || s.HWFallback != "" || len(s.Renditions) == 0 || s.Renditions[0].Encoder != "libx264" {
			t.Errorf("seq %d: decoder %q/%q, fallback %q, renditions %+v; want h264 on the CPU, libx264", seq, s.Decoder, s.DecoderHW, s.HWFallback, s.Renditions)
		}
	}
	if st := n.Stats(); st.SessionsOpened != 1 || st.Sessions != 1 || st.Inflight != 0 {
		t.Errorf("stats %+v: want one session, opened once, nothing in flight", st)
	}
	text := metricsText(t, n.base)
	wantMetric(t, text, `opkit_node_segments_total{result="ok"} 3`)
	wantMetric(t, text, `opkit_node_segment_seconds_count 3`)
	wantMetric(t, text, `opkit_node_sessions 1`)
	resp, err := http.Get(n.base + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()
}

func TestNodeLadderSelection(t *testing.T) {
	n := startNode(t, testNodeConfig(t), nil)
	seg := nodeSegments(t, 1)[0]
	r := readOK(t, postSegment(t, n.base, "q", 0, seg, func(r *http.Request) {
		r.URL.RawQuery = "ladder=" + transcoder.P144p30fps16x9
	}))
	if len(r.Renditions) != 1 || r.Renditions[0].Name != transcoder.P144p30fps16x9 {
		t.Errorf("ladder query: got %d renditions", len(r.Renditions))
	}
	wantError(t, postSegment(t, n.base, "h", 0, seg, func(r *http.Request) { r.Header.Set(HeaderLadder, "P9000p") }),
		http.StatusBadRequest, "bad_ladder")
	wantError(t, postSegment(t, n.base, "h", 0, seg, func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }),
		http.StatusUnsupportedMediaType, "bad_content_type")
	wantError(t, postSegment(t, n.base, "q", 0, seg), http.StatusConflict, "out_of_order")
}

func TestNodeAuth(t *testing.T) {
	n := startNode(t, testNodeConfig(t), nil)
	seg := []byte("not even looked at")
	for name, opt := range map[string]reqOpt{
		"missing": func(r *http.Request) { r.Header.Del("Authorization") },
		"wrong":   withAuth(nodeTestSecret + "x"),
		"basic":   func(r *http.Request) { r.SetBasicAuth("opkit", nodeTestSecret) },
	} {
		t.Run(name, func(t *testing.T) {
			eb := wantError(t, postSegment(t, n.base, "s", 0, seg, opt), http.StatusUnauthorized, "unauthorized")
			if strings.Contains(eb.Error, nodeTestSecret) {
				t.Error("error body echoes the secret")
			}
		})
	}
	wantMetric(t, metricsText(t, n.base), `opkit_node_rejected_total{reason="auth"} 3`)
}

func TestNodeRejectsOversizeBody(t *testing.T) {
	cfg := testNodeConfig(t)
	cfg.MaxBytes = 1000
	n := startNode(t, cfg, nil)
	eb := wantError(t, postSegment(t, n.base, "s", 0, make([]byte, 5000)), http.StatusRequestEntityTooLarge, "too_large")
	if !strings.Contains(eb.Error, "1000 bytes") {
		t.Errorf("413 body %q does not state the limit", eb.Error)
	}
}

func TestNodeBadInputIs422AndSessionSurvives(t *testing.T) {
	n := startNode(t, testNodeConfig(t), nil)
	garbage := bytes.Repeat([]byte("garbage!"), 4096)
	eb := wantError(t, postSegment(t, n.base, "s", 0, garbage), http.StatusUnprocessableEntity, "corrupt")
	if !strings.Contains(eb.Error, ffmpeg.ErrCorrupt.Error()) {
		t.Errorf("422 body %q lacks the typed error", eb.Error)
	}
	checkRenditions(t, readOK(t, postSegment(t, n.base, "s", 1, nodeSegments(t, 1)[0])), 1)
	wantMetric(t, metricsText(t, n.base), `opkit_node_segments_total{result="bad_input"} 1`)
}

// gate holds segments in the node's hook until released.
type gate struct {
	entered chan string
	release chan struct{}
}

func newGate() *gate { return &gate{entered: make(chan string, 8), release: make(chan struct{})} }

func (g *gate) hook(ctx context.Context, stream string, _ int) {
	g.entered <- stream
	select {
	case <-g.release:
	case <-ctx.Done():
	}
}

func TestNodeAtCapacityAnswers429(t *testing.T) {
	cfg := testNodeConfig(t)
	cfg.MaxInflight, cfg.LocalSessions = 1, 1
	g := newGate()
	n := startNode(t, cfg, g.hook)
	seg := nodeSegments(t, 1)[0]
	first := make(chan *http.Response, 1)
	go func() {
		resp, err := http.DefaultClient.Do(segmentRequest(n.base, "a", 0, seg))
		if err != nil {
			resp = nil
		}
		first <- resp
	}()
	<-g.entered // "a" holds the only in-flight slot
	wantError(t, postSegment(t, n.base, "b", 0, seg), http.StatusTooManyRequests, "busy_inflight")
	close(g.release)
	resp := <-first
	if resp == nil {
		t.Fatal("first segment failed")
	}
	defer resp.Body.Close()
	checkRenditions(t, readOK(t, resp), 0)
	// "a" keeps the only session warm: a second stream has no room.
	wantError(t, postSegment(t, n.base, "b", 0, seg), http.StatusTooManyRequests, "busy_sessions")
	text := metricsText(t, n.base)
	wantMetric(t, text, `opkit_node_rejected_total{reason="inflight"} 1`)
	wantMetric(t, text, `opkit_node_rejected_total{reason="sessions"} 1`)
}

func segmentRequest(base, stream string, seq int, data []byte) *http.Request {
	req, _ := http.NewRequest(http.MethodPost, base+"/v1/streams/"+stream+"/segments/"+itoa(seq), bytes.NewReader(data))
	req.Header.Set("Content-Type", "video/mp2t")
	req.Header.Set("Authorization", "Bearer "+nodeTestSecret)
	return req
}

func TestNodeShutdownDrainsInflight(t *testing.T) {
	g := newGate()
	n := startNode(t, testNodeConfig(t), g.hook)
	seg := nodeSegments(t, 1)[0]
	type result struct {
		resp *http.Response
		err  error
	}
	first := make(chan result, 1)
	go func() {
		resp, err := http.DefaultClient.Do(segmentRequest(n.base, "a", 0, seg))
		first <- result{resp, err}
	}()
	<-g.entered
	stopped := make(chan error, 1)
	go func() { stopped <- n.stop() }()
	<-n.drainCh // shutdown has begun with the segment in flight
	close(g.release)
	r := <-first
	if r.err != nil {
		t.Fatalf("in-flight segment: %v", r.err)
	}
	defer r.resp.Body.Close()
	checkRenditions(t, readOK(t, r.resp), 0)
	if err := <-stopped; err != nil {
		t.Fatalf("run: %v", err)
	}
	if st := n.Stats(); st.Sessions != 0 || st.Inflight != 0 {
		t.Errorf("after shutdown: %+v", st)
	}
	if _, err := http.DefaultClient.Do(segmentRequest(n.base, "a", 1, seg)); err == nil {
		t.Error("node still accepts after shutdown")
	}
}

func TestNodeConfigValidate(t *testing.T) {
	for name, c := range map[string]struct {
		mutate func(*Config)
		want   string
	}{
		"short secret":                       {func(c *Config) { c.Secret = []byte("short") }, "secret"},
		"no inflight":                        {func(c *Config) { c.MaxInflight = 0 }, "in-flight"},
		"bad ladder":                         {func(c *Config) { c.DefaultLadder = "nope" }, "default ladder"},
		"no body":                            {func(c *Config) { c.MaxBytes = 0 }, "segment bytes"},
		"negative pool":                      {func(c *Config) { c.LocalSessions = -1 }, "local sessions"},
		"short worker secret":                {func(c *Config) { c.WorkerSecret = []byte("short") }, "worker secret"},
		"one secret for both":                {func(c *Config) { c.WorkerSecret = c.Secret }, "differ"},
		"orchestrator without worker secret": {func(c *Config) { c.LocalSessions, c.WorkerSecret = 0, nil }, "needs a worker secret"},
		"TLS without certificate":            {func(c *Config) { c.TLS = &tls.Config{} }, "certificate"},
	} {
		t.Run(name, func(t *testing.T) {
			cfg := testNodeConfig(t)
			c.mutate(&cfg)
			err := cfg.Validate()
			if !errors.Is(err, ErrBadConfig) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want ErrBadConfig mentioning %q", err, c.want)
			}
		})
	}
	if err := testNodeConfig(t).Validate(); err != nil {
		t.Errorf("test config: %v", err)
	}
}

// fakeClock is a clock the test moves by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestNodeClosesIdleSessions(t *testing.T) {
	clock := &fakeClock{now: time.Unix(1_700_000_000, 0)}
	cfg := testNodeConfig(t)
	cfg.Now = clock.Now
	n := startNode(t, cfg, nil)
	segs := nodeSegments(t, 2)
	readOK(t, postSegment(t, n.base, "s", 0, segs[0]))
	clock.Advance(cfg.SessionIdle - time.Second)
	n.reapIdle()
	if st := n.Stats(); st.Sessions != 1 {
		t.Fatalf("session closed before --session-idle: %+v", st)
	}
	clock.Advance(time.Second)
	n.reapIdle()
	if st := n.Stats(); st.Sessions != 0 {
		t.Fatalf("idle session kept: %+v", st)
	}
	// The stream comes back with a fresh session.
	r := readOK(t, postSegment(t, n.base, "s", 1, segs[1]))
	if r.Result.SessionSeq != 0 || n.Stats().SessionsOpened != 2 {
		t.Errorf("after reaping: session seq %d, stats %+v", r.Result.SessionSeq, n.Stats())
	}
}
