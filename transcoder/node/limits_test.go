package node

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/opkit-dev/opkit/ffmpeg"
	"github.com/opkit-dev/opkit/transcoder"
)

// sockBuf sets a socket buffer option (SO_RCVBUF, SO_SNDBUF) to size
// bytes, which also turns off the kernel's autotuning of it.
func sockBuf(opt, size int) func(_, _ string, c syscall.RawConn) error {
	return func(_, _ string, c syscall.RawConn) error {
		var serr error
		if err := c.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, opt, size) }); err != nil {
			return err
		}
		return serr
	}
}

// rawSegmentRequest opens a TCP connection to the node and writes a segment
// request's headers announcing length body bytes, then the first len(body)
// bytes of it. A receive buffer of rcvbuf bytes (0: the default) makes a
// client that reads slowly.
func rawSegmentRequest(t *testing.T, base, path string, length int, body []byte, rcvbuf int) net.Conn {
	t.Helper()
	d := net.Dialer{}
	if rcvbuf > 0 {
		d.Control = sockBuf(syscall.SO_RCVBUF, rcvbuf)
	}
	conn, err := d.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	head := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: node\r\nAuthorization: Bearer %s\r\nContent-Type: video/mp2t\r\nContent-Length: %d\r\n\r\n",
		path, nodeTestSecret, length)
	if _, err := conn.Write(append([]byte(head), body...)); err != nil {
		t.Fatal(err)
	}
	return conn
}

// waitUntil polls cond every 10 ms for up to 30 s.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 30s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// noisySegment is one second of noisy 640x360 video: renditions of a few
// hundred kilobytes.
func noisySegment(t *testing.T) []byte {
	t.Helper()
	seg, err := ffmpeg.GenerateSegment(context.Background(), ffmpeg.SyntheticSpec{Width: 640, Height: 360,
		FPS: ffmpeg.Rational{Num: 30, Den: 1}, SegmentDuration: time.Second, Noise: true})
	if err != nil {
		t.Fatal(err)
	}
	return seg
}

// TestNodeShutdownBoundedBySlowClients: a client that never reads its
// answer and one that holds its upload open cannot keep the node from
// stopping within the drain timeout (plus a little for the forced close).
func TestNodeShutdownBoundedBySlowClients(t *testing.T) {
	cfg := testNodeConfig(t)
	cfg.DrainTimeout = time.Second
	nd, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Small socket buffers on both ends: the answer cannot all sit in them.
	lc := net.ListenConfig{Control: sockBuf(syscall.SO_SNDBUF, 8192)}
	ln, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	n := serveNodeOn(t, nd, nil, ln)
	seg := noisySegment(t)
	ladder := "?ladder=" + transcoder.P720p30fps16x9 + "," + transcoder.P576p30fps16x9 + "," + transcoder.P360p30fps16x9
	deaf := rawSegmentRequest(t, n.base, "/v1/streams/deaf/segments/0"+ladder, len(seg), seg, 4096)
	waitUntil(t, "the deaf client's segment transcoded", func() bool {
		st := n.Stats()
		return st.SessionsOpened == 1 && st.Inflight == 0
	})
	slow := rawSegmentRequest(t, n.base, "/v1/streams/slow/segments/0", len(seg), seg[:1000], 0)
	waitUntil(t, "the slow upload admitted", func() bool { return n.Stats().Inflight == 1 })

	start := time.Now()
	stopped := make(chan error, 1)
	go func() { stopped <- n.stop() }()
	limit := cfg.DrainTimeout + 3*time.Second
	select {
	case err := <-stopped:
		if el := time.Since(start); el > limit {
			t.Errorf("node took %v to stop, drain timeout %v", el, cfg.DrainTimeout)
		}
		if err != nil {
			t.Errorf("run: %v", err)
		}
	case <-time.After(limit + 10*time.Second):
		deaf.Close() // let the node go, so the test ends
		slow.Close()
		t.Fatalf("node still running %v after shutdown began (drain timeout %v)", time.Since(start), cfg.DrainTimeout)
	}
}

// TestNodeRefusesOversizeContentLengthAtOnce: a Content-Length above the
// limit gets 413 before the body is sent.
func TestNodeRefusesOversizeContentLengthAtOnce(t *testing.T) {
	cfg := testNodeConfig(t)
	cfg.MaxBytes = 1000
	n := startNode(t, cfg, nil)
	conn := rawSegmentRequest(t, n.base, "/v1/streams/s/segments/0", 50_000, []byte("0123456789"), 0)
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer while the body is still to come: %v", err)
	}
	defer resp.Body.Close()
	eb := wantError(t, resp, http.StatusRequestEntityTooLarge, "too_large")
	if !strings.Contains(eb.Error, "1000 bytes") {
		t.Errorf("413 body %q does not state the limit", eb.Error)
	}
	wantMetric(t, metricsText(t, n.base), `opkit_node_rejected_total{reason="too_large"} 1`)
}

// TestNodeFrameFloodIs422: a segment of frames 1 ms apart gets 422
// too_many_frames, and the stream's session then transcodes the next one.
func TestNodeFrameFloodIs422(t *testing.T) {
	n := startNode(t, testNodeConfig(t), nil)
	segs := nodeSegments(t, 2)
	flood, err := ffmpeg.RetimeVideo(context.Background(), segs[0], time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	eb := wantError(t, postSegment(t, n.base, "s", 0, flood), http.StatusUnprocessableEntity, "too_many_frames")
	if !strings.Contains(eb.Error, ffmpeg.ErrTooManyFrames.Error()) {
		t.Errorf("422 body %q lacks the typed error", eb.Error)
	}
	r := readOK(t, postSegment(t, n.base, "s", 1, segs[1]))
	checkRenditions(t, r, 1)
	if st := n.Stats(); st.SessionsOpened != 1 {
		t.Errorf("stats %+v: the refused segment cost the stream its session", st)
	}
	wantMetric(t, metricsText(t, n.base), `opkit_node_segments_total{result="bad_input"} 1`)
}

// TestNodeSegmentTimeout: a segment still running at --segment-timeout
// gets 504 segment_timeout, and the stream's next segment goes through.
func TestNodeSegmentTimeout(t *testing.T) {
	cfg := testNodeConfig(t)
	cfg.SegmentTimeout = 500 * time.Millisecond
	slowFirst := func(ctx context.Context, _ string, seq int) {
		if seq == 0 {
			select { // a stage slower than the deadline
			case <-ctx.Done():
			case <-time.After(10 * time.Second):
			}
		}
	}
	n := startNode(t, cfg, slowFirst)
	segs := nodeSegments(t, 2)
	start := time.Now()
	resp := postSegment(t, n.base, "s", 0, segs[0])
	wantError(t, resp, http.StatusGatewayTimeout, "segment_timeout")
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("answered after %v, deadline %v", el, cfg.SegmentTimeout)
	}
	checkRenditions(t, readOK(t, postSegment(t, n.base, "s", 1, segs[1])), 1)
	wantMetric(t, metricsText(t, n.base), `opkit_node_segments_total{result="timeout"} 1`)
}
