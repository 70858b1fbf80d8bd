package node

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"go.uber.org/zap"
)

// Time and size bounds of the node's HTTP side. A segment request has
// bodyReadTimeout for its upload, SegmentTimeout from then to its answer,
// and answerWriteTimeout to send the answer; the server's WriteTimeout is
// their sum, its ReadTimeout bodyReadTimeout.
const (
	// DefaultSegmentTimeout is Config.SegmentTimeout's default.
	DefaultSegmentTimeout = 2 * time.Minute
	answerWriteTimeout    = 2 * time.Minute
	readHeaderTimeout     = 10 * time.Second
	idleTimeout           = 2 * time.Minute
	maxHeaderBytes        = 64 << 10
	// maxRegisterBody bounds a worker's registration request (its JSON is
	// far smaller).
	maxRegisterBody = 4 << 10
)

// ErrSegmentTimeout: the segment was still running, here or on a worker,
// at Config.SegmentTimeout (504 segment_timeout).
var ErrSegmentTimeout = errors.New("segment deadline passed")

// writeTimeout is the server's WriteTimeout: a segment request's upload,
// work and answer.
func (n *Node) writeTimeout() time.Duration {
	return bodyReadTimeout + n.cfg.SegmentTimeout + answerWriteTimeout
}

// segmentDeadline bounds ctx by SegmentTimeout; the cause says so.
func (n *Node) segmentDeadline(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeoutCause(ctx, n.cfg.SegmentTimeout,
		fmt.Errorf("%w: after %v", ErrSegmentTimeout, n.cfg.SegmentTimeout))
}

// timedOut makes err, which ended a segment whose ctx is past its
// deadline, wrap ErrSegmentTimeout (a worker or the pool report only that
// their context ended).
func timedOut(ctx context.Context, err error) error {
	cause := context.Cause(ctx)
	if err == nil || errors.Is(err, ErrSegmentTimeout) || !errors.Is(cause, ErrSegmentTimeout) {
		return err
	}
	return fmt.Errorf("%w: %w", cause, err)
}

// answerDeadline gives the answer its own write deadline, counted from
// now rather than from the request's start.
func answerDeadline(w http.ResponseWriter) {
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(answerWriteTimeout))
}

// tooLarge is the 413 of a segment above MaxBytes.
func (n *Node) tooLarge() *httpError {
	return &httpError{status: http.StatusRequestEntityTooLarge, code: "too_large", reason: RejectTooLarge,
		err: fmt.Errorf("segment body larger than the node's limit of %d bytes", n.cfg.MaxBytes)}
}

// checkLength refuses a request whose Content-Length is above MaxBytes
// before its body is read; the connection closes after the 413 rather
// than read the body to reuse it.
func (n *Node) checkLength(w http.ResponseWriter, r *http.Request) error {
	if r.ContentLength <= n.cfg.MaxBytes {
		return nil
	}
	w.Header().Set("Connection", "close")
	return n.tooLarge()
}

// longLived serves a request whose answer streams for as long as its
// connection lives (a worker's registration): the small body is read
// under the server's ReadTimeout, then the read deadline is lifted, so
// that the server's background read does not end the stream when it
// expires. The answer's writes set their own deadlines.
func longLived(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxRegisterBody+1))
		if err != nil {
			writeJSONError(w, http.StatusBadRequest, "bad_body", fmt.Errorf("read request: %w", err))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		_ = http.NewResponseController(w).SetReadDeadline(time.Time{})
		h(w, r)
	}
}

// Limits are the node's capacity limits that may change while it runs
// (SetLimits): an operator lowers them to shed load or raises them after
// adding hardware, without a restart.
type Limits struct {
	// LocalSessions is how many streams have a warm session on this
	// machine at once; 0: none, every stream goes to a remote worker.
	LocalSessions int `json:"max_sessions"`
	// MaxInflight is how many segments run at once, local and remote.
	MaxInflight int `json:"max_inflight"`
}

// MaxInflightCeiling is the largest MaxInflight a node accepts.
const MaxInflightCeiling = 1 << 16

// ErrBadLimits wraps every refusal of Limits (SetLimits, Config.Validate):
// the request is wrong, and nothing changed.
var ErrBadLimits = errors.New("invalid node limits")

// check says whether l can be a node's limits; workers: the node has a
// worker secret, so a pure orchestrator (no local sessions) can work.
func (l Limits) check(workers bool) error {
	switch {
	case l.LocalSessions < 0:
		return fmt.Errorf("%w: local sessions %d < 0", ErrBadLimits, l.LocalSessions)
	case l.LocalSessions == 0 && !workers:
		return fmt.Errorf("%w: 0 local sessions (a pure orchestrator) needs a worker secret, and this node has none", ErrBadLimits)
	case l.MaxInflight < 1 || l.MaxInflight > MaxInflightCeiling:
		return fmt.Errorf("%w: max in-flight segments %d: want 1 to %d", ErrBadLimits, l.MaxInflight, MaxInflightCeiling)
	}
	return nil
}

func (c Config) limits() Limits {
	return Limits{LocalSessions: c.LocalSessions, MaxInflight: c.MaxInflight}
}

// Limits returns the limits in force.
func (n *Node) Limits() Limits {
	n.admitMu.Lock()
	inflight := n.maxInflight
	n.admitMu.Unlock()
	return Limits{LocalSessions: n.pool.limit(), MaxInflight: inflight}
}

// SetLimits changes the limits of the running node; an invalid l (an
// ErrBadLimits) changes nothing. Nothing in flight is cut short:
//   - A lower MaxInflight refuses new segments (429 busy_inflight) until
//     fewer than it run; a higher one admits the next at once.
//   - A lower LocalSessions refuses new streams (429 busy_sessions), closes
//     idle sessions above it at once (least recently used first), and
//     closes a busy one above it when its segment ends: that stream's next
//     segment is a new stream. A higher one takes the next new stream.
func (n *Node) SetLimits(l Limits) error {
	if err := l.check(len(n.cfg.WorkerSecret) > 0); err != nil {
		return err
	}
	n.admitMu.Lock()
	n.maxInflight = l.MaxInflight
	n.admitMu.Unlock()
	closed := n.pool.setLimit(l.LocalSessions)
	n.metrics.SetLimits(l)
	n.metrics.SetSessions(n.pool.size())
	n.log.Info("limits changed", zap.Int("max_sessions", l.LocalSessions), zap.Int("max_inflight", l.MaxInflight),
		zap.Int("idle_sessions_closed", closed))
	return nil
}
