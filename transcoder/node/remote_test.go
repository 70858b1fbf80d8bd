package node

import (
	"context"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/opkit-dev/opkit/ffmpeg"
)

// orchestrator starts a node with no local sessions: every stream goes to
// a remote worker.
func orchestrator(t *testing.T) *testNode {
	cfg := testNodeConfig(t)
	cfg.LocalSessions = 0
	return startNode(t, cfg, nil)
}

type testWorker struct {
	*Worker
	stop func() // stops the worker and waits for Run to return; idempotent
}

// startWorker runs a worker against n, its config changed by opts, and
// waits until it has registered.
func startWorker(t *testing.T, n *testNode, name string, hook func(ctx context.Context, stream string, seq int), opts ...func(*WorkerConfig)) *testWorker {
	t.Helper()
	cfg := WorkerConfig{
		Orchestrator: n.base, Secret: []byte(nodeTestWorkerSecret), Name: name, Capacity: 2,
		Engine: testEngine(), SessionIdle: time.Minute, Backoff: time.Second, Log: zaptest.NewLogger(t).Named(name),
	}
	for _, o := range opts {
		o(&cfg)
	}
	w, err := NewWorker(cfg)
	if err != nil {
		t.Fatalf("new worker: %v", err)
	}
	w.beforeTranscode = hook
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			cancel()
			if err := <-done; err != nil {
				t.Errorf("worker %s: %v", name, err)
			}
		}
	}
	t.Cleanup(stop)
	select {
	case <-w.Registered():
	case err := <-done:
		t.Fatalf("worker %s ended before registering: %v", name, err)
	}
	return &testWorker{Worker: w, stop: stop}
}

// postLater posts a segment in the background; the channel gets the
// answer, nil when the request failed at the transport.
func postLater(base, stream string, seq int, data []byte) <-chan *http.Response {
	got := make(chan *http.Response, 1)
	go func() {
		resp, err := http.DefaultClient.Do(segmentRequest(base, stream, seq, data))
		if err != nil {
			resp = nil
		}
		got <- resp
	}()
	return got
}

// awaitAnswer waits for postLater's answer; its body is closed at the end
// of the test.
func awaitAnswer(t *testing.T, got <-chan *http.Response) *http.Response {
	t.Helper()
	resp := <-got
	if resp == nil {
		t.Fatal("segment request failed at the transport")
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestRemoteWorkerTranscodesStream(t *testing.T) {
	n := orchestrator(t)
	seg := nodeSegments(t, 2)
	// Nothing registered yet and no local sessions: busy.
	wantError(t, postSegment(t, n.base, "s", 0, seg[0]), http.StatusTooManyRequests, "busy_sessions")
	w := startWorker(t, n, "wa", nil)
	for seq := range seg {
		r := readOK(t, postSegment(t, n.base, "s", seq, seg[seq]))
		checkRenditions(t, r, seq)
		if r.Result.Worker != "wa" || r.Result.SessionSeq != seq {
			t.Errorf("seq %d: result %+v, want worker wa, session seq %d", seq, r.Result, seq)
		}
	}
	if got := w.SessionsOpened(); got != 1 {
		t.Errorf("worker opened %d sessions, want 1 (warm across segments)", got)
	}
	if st := n.Stats(); st.Workers != 1 || st.SessionsOpened != 0 {
		t.Errorf("orchestrator stats %+v", st)
	}
	// A typed input error crosses the worker hop intact.
	eb := wantError(t, postSegment(t, n.base, "s", 2, []byte(strings.Repeat("junk", 2000))), http.StatusUnprocessableEntity, "corrupt")
	if !strings.Contains(eb.Error, ffmpeg.ErrCorrupt.Error()) {
		t.Errorf("422 body %q", eb.Error)
	}
}

func TestRemoteWorkerLossFailsSegmentAndMovesStream(t *testing.T) {
	n := orchestrator(t)
	segs := nodeSegments(t, 2)
	entered := make(chan struct{})
	hold := func(ctx context.Context, _ string, seq int) {
		if seq == 1 { // hold segment 1 until the worker is killed
			close(entered)
			<-ctx.Done()
		}
	}
	wa := startWorker(t, n, "wa", hold)
	startWorker(t, n, "wb", nil)
	r := readOK(t, postSegment(t, n.base, "s", 0, segs[0]))
	if r.Result.Worker != "wa" {
		t.Fatalf("segment 0 went to %q, want wa (first registered, least loaded)", r.Result.Worker)
	}
	lost := postLater(n.base, "s", 1, segs[1])
	<-entered
	wa.stop()
	wantError(t, awaitAnswer(t, lost), http.StatusServiceUnavailable, "worker_lost")
	// The client retries; the stream moves to wb.
	r = readOK(t, postSegment(t, n.base, "s", 1, segs[1]))
	checkRenditions(t, r, 1)
	if r.Result.Worker != "wb" {
		t.Errorf("retry went to %q, want wb", r.Result.Worker)
	}
	if st := n.Stats(); st.Workers != 1 {
		t.Errorf("orchestrator still lists %d workers", st.Workers)
	}
	wantMetric(t, metricsText(t, n.base), `opkit_node_segments_total{result="worker_lost"} 1`)
}

func TestRemoteWorkerWrongSecretIsRefused(t *testing.T) {
	n := orchestrator(t)
	w, err := NewWorker(WorkerConfig{
		Orchestrator: n.base, Secret: []byte("another-secret-0123456789"), Name: "bad", Capacity: 1,
		Engine: testEngine(), SessionIdle: time.Minute, Backoff: time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	err = w.serve(context.Background())
	if err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("serve with a wrong secret: %v, want a 401", err)
	}
	if n.Stats().Workers != 0 {
		t.Error("a worker with a wrong secret was registered")
	}
}

func TestRemoteWorkerConfigValidate(t *testing.T) {
	good := WorkerConfig{Orchestrator: "http://127.0.0.1:8935", Secret: []byte(nodeTestWorkerSecret), Name: "w1",
		Capacity: 1, SessionIdle: time.Minute, Backoff: time.Second}
	if err := good.Validate(); err != nil {
		t.Fatalf("good config: %v", err)
	}
	for name, mutate := range map[string]func(*WorkerConfig){
		"no scheme":    func(c *WorkerConfig) { c.Orchestrator = "127.0.0.1:8935" },
		"short secret": func(c *WorkerConfig) { c.Secret = []byte("x") },
		"bad name":     func(c *WorkerConfig) { c.Name = "a b" },
		"no capacity":  func(c *WorkerConfig) { c.Capacity = 0 },
		"CA for http":  func(c *WorkerConfig) { c.TLSRoots = x509.NewCertPool() },
		"CA and client": func(c *WorkerConfig) {
			c.Orchestrator, c.TLSRoots, c.Client = "https://127.0.0.1:8935", x509.NewCertPool(), &http.Client{}
		},
	} {
		t.Run(name, func(t *testing.T) {
			c := good
			mutate(&c)
			if err := c.Validate(); !errors.Is(err, ErrBadConfig) {
				t.Errorf("got %v, want ErrBadConfig", err)
			}
		})
	}
}

func TestRemoteOrchestratorPrefersLocalCapacity(t *testing.T) {
	cfg := testNodeConfig(t)
	cfg.LocalSessions = 1
	n := startNode(t, cfg, nil)
	startWorker(t, n, "wa", nil)
	seg := nodeSegments(t, 1)[0]
	// Order matters: the first stream takes the local slot.
	if r := readOK(t, postSegment(t, n.base, "here", 0, seg)); r.Result.Worker != "" {
		t.Errorf("first stream went to %q, want local", r.Result.Worker)
	}
	if r := readOK(t, postSegment(t, n.base, "there", 0, seg)); r.Result.Worker != "wa" {
		t.Errorf("second stream went to %q, want wa", r.Result.Worker)
	}
	if st := n.Stats(); st.Sessions != 1 || st.SessionsOpened != 1 {
		t.Errorf("stats %+v: want one local session", st)
	}
}

// workerGauge is a Metrics that reports each change of the worker count.
type workerGauge struct {
	NoopMetrics
	workers chan int
}

func (m workerGauge) SetWorkers(n int) { m.workers <- n }

func TestRemoteWorkerDroppedAfterMissedHeartbeats(t *testing.T) {
	clock := &fakeClock{now: time.Unix(1_700_000_000, 0)}
	gauge := workerGauge{workers: make(chan int, 16)}
	cfg := testNodeConfig(t)
	cfg.LocalSessions, cfg.Heartbeat, cfg.Now = 0, 20*time.Millisecond, clock.Now
	n, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	n.metrics = gauge
	tn := runNode(t, n)
	// A worker that registers and then never sends a heartbeat.
	resp := registerRaw(t, tn.base, nodeTestWorkerSecret, "mute")
	if got := <-gauge.workers; got != 1 {
		t.Fatalf("workers %d after registration", got)
	}
	// The orchestrator's clock jumps past 3 heartbeats with none seen:
	// its next ping tick drops the worker and ends its stream.
	clock.Advance(time.Minute)
	if got := <-gauge.workers; got != 0 {
		t.Fatalf("workers %d, want the silent worker dropped", got)
	}
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		t.Errorf("worker stream did not end cleanly: %v", err)
	}
}
