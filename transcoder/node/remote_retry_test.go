package node

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"
)

// TestRemoteClientDisconnectCancelsWorkerJob: a client that goes away
// mid-segment cancels the job on the worker, so the segment sent again is
// done, not refused as out of order.
func TestRemoteClientDisconnectCancelsWorkerJob(t *testing.T) {
	n := orchestrator(t)
	segs := nodeSegments(t, 2)
	entered, cancelled, release := make(chan struct{}), make(chan struct{}), make(chan struct{})
	var once sync.Once
	hold := func(ctx context.Context, _ string, seq int) {
		first := false
		if seq == 1 {
			once.Do(func() { first = true })
		}
		if !first {
			return
		}
		close(entered)
		select {
		case <-ctx.Done():
			close(cancelled)
		case <-release:
		}
	}
	startWorker(t, n, "wa", hold)
	readOK(t, postSegment(t, n.base, "s", 0, segs[0]))
	ctx, disconnect := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		resp, err := http.DefaultClient.Do(segmentRequest(n.base, "s", 1, segs[1]).WithContext(ctx))
		if err == nil {
			resp.Body.Close()
		}
	}()
	<-entered
	disconnect()
	<-done
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Error("the worker's job was not cancelled when the client went away")
		close(release)
	}
	checkRenditions(t, readOK(t, postSegment(t, n.base, "s", 1, segs[1])), 1)
}

// TestRemoteHungWorkerDroppedRetryGoesElsewhere: a worker that takes over
// the job timeout is dropped, and the client's retry goes to another one.
func TestRemoteHungWorkerDroppedRetryGoesElsewhere(t *testing.T) {
	cfg := testNodeConfig(t)
	cfg.LocalSessions, cfg.JobTimeout = 0, 2*time.Second
	n := startNode(t, cfg, nil)
	segs := nodeSegments(t, 2)
	hang := func(ctx context.Context, _ string, seq int) {
		if seq == 1 {
			<-ctx.Done()
		}
	}
	startWorker(t, n, "wa", hang)
	startWorker(t, n, "wb", nil)
	if r := readOK(t, postSegment(t, n.base, "s", 0, segs[0])); r.Result.Worker != "wa" {
		t.Fatalf("segment 0 went to %q, want wa (first registered)", r.Result.Worker)
	}
	wantError(t, postSegment(t, n.base, "s", 1, segs[1]), http.StatusServiceUnavailable, "worker_lost")
	r := readOK(t, postSegment(t, n.base, "s", 1, segs[1]))
	checkRenditions(t, r, 1)
	if r.Result.Worker != "wb" {
		t.Errorf("the retry went to %q, want wb", r.Result.Worker)
	}
	wantMetric(t, metricsText(t, n.base), `opkit_node_segments_total{result="worker_lost"} 1`)
}
