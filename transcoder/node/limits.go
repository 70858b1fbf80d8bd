package node

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
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
