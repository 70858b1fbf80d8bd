package node

import (
	"context"
	"errors"
	"net/http"
	"time"

	"go.uber.org/zap"
)

// shutdownGrace bounds how long shutdown waits, once the drain timeout has
// cancelled the segments in flight and closed every connection, for their
// handlers to return.
const shutdownGrace = 2 * time.Second

// shutdown stops accepting, lets the segments in flight finish for at most
// DrainTimeout, then cancels them and closes every connection: a client
// that never reads its answer or never ends its upload cannot hold the
// node. Worker streams end, and every session is closed. It returns within
// DrainTimeout + shutdownGrace.
func (n *Node) shutdown(srv *http.Server) error {
	n.admitMu.Lock()
	n.draining.Store(true)
	n.admitMu.Unlock()
	n.stopOnce.Do(func() { close(n.drainCh) })
	n.log.Info("draining", zap.Int("inflight", len(n.slots)), zap.Duration("timeout", n.cfg.DrainTimeout))
	ctx, cancel := context.WithTimeout(context.Background(), n.cfg.DrainTimeout)
	defer cancel()
	shutErr := make(chan error, 1)
	go func() { shutErr <- srv.Shutdown(ctx) }() // stops accepting now; returns by the deadline
	drained := make(chan struct{})
	go func() { n.active.Wait(); close(drained) }()
	select {
	case <-drained:
	case <-ctx.Done():
		n.forceStop(srv, drained)
	}
	close(n.stopping) // worker streams end; Shutdown can finish
	err := <-shutErr
	if errors.Is(err, context.DeadlineExceeded) {
		// Answers still being written, or uploads still coming, at the
		// deadline: their connections are closed.
		n.log.Warn("drain timeout: closing the connections still open")
		err = srv.Close()
	}
	n.cancelHardStop()
	if n.pool != nil {
		n.pool.closeAll()
	}
	n.log.Info("stopped")
	return err
}

// forceStop cancels the segments in flight and closes every connection,
// so that handlers blocked reading a body or writing an answer return, and
// waits for the segment handlers at most shutdownGrace.
func (n *Node) forceStop(srv *http.Server, drained <-chan struct{}) {
	n.log.Warn("drain timeout: cancelling segments in flight and closing connections", zap.Int("inflight", len(n.slots)))
	n.cancelHardStop()
	_ = srv.Close() // wakes handlers in blocked reads and writes
	t := time.NewTimer(shutdownGrace)
	defer t.Stop()
	select {
	case <-drained:
	case <-t.C:
		n.log.Warn("segments still running after the drain timeout; closing sessions under them", zap.Int("inflight", len(n.slots)))
	}
}
