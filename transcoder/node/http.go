package node

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/claims"
	"github.com/opkit-dev/opkit/ffmpeg"
	"github.com/opkit-dev/opkit/transcoder"
)

// HeaderLadder selects the ladder of a segment request, like the ladder
// query parameter (which wins when both are given).
const HeaderLadder = "Opkit-Ladder"

// streamID bounds stream names: they key sessions and appear in logs.
var streamID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$`)

// segmentFormats maps the accepted Content-Types to demuxer hints.
var segmentFormats = map[string]string{
	"video/mp2t": "mpegts", "video/mp4": "mp4", "video/x-flv": "flv",
}

// segmentJob is one admitted segment request.
type segmentJob struct {
	Stream string
	Seq    int
	Spec   string // ladder spec as given
	Ladder transcoder.Ladder
	Input  ffmpeg.Input
	Paid   *paidSegment // nil: no receipt (no job headers, or no receipt sink)
}

// httpError is an answer other than 200, with the rejection reason for
// the metrics ("" when the request reached a transcoder).
type httpError struct {
	status int
	code   string
	reason string
	err    error
}

func (e *httpError) Error() string { return e.err.Error() }
func (e *httpError) Unwrap() error { return e.err }

func badRequest(status int, code string, err error) *httpError {
	return &httpError{status: status, code: code, reason: RejectBadRequest, err: err}
}

func (n *Node) handleSegment(w http.ResponseWriter, r *http.Request) {
	start := n.cfg.Now()
	log := n.log.With(zap.String("stream", r.PathValue("stream")), zap.String("seg", r.PathValue("seq")))
	resp, err := n.serveSegment(w, r)
	answerDeadline(w)
	if err != nil {
		n.writeError(w, log, err)
		if reason := rejectReason(err); reason != "" {
			n.metrics.Rejected(reason)
			return
		}
		n.metrics.Segment(segmentResult(err), n.cfg.Now().Sub(start))
		return
	}
	segmentOK(n.metrics, &resp.Result, n.cfg.Now().Sub(start))
	var buf bytes.Buffer
	ct, err := resp.Encode(&buf)
	if err != nil {
		n.writeError(w, log, err)
		return
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	if _, err := buf.WriteTo(w); err != nil {
		log.Debug("client went away", zap.Error(err))
	}
	log.Debug("segment done", zap.String("worker", resp.Result.Worker), zap.Duration("wall", n.cfg.Now().Sub(start)))
}

// rejectReason is the metrics reason of a request refused before any
// work, or "".
func rejectReason(err error) string {
	var he *httpError
	var ce *CapacityError
	switch {
	case errors.As(err, &he):
		return he.reason
	case errors.As(err, &ce):
		return ce.Reason
	case errors.Is(err, ErrDraining):
		return RejectDraining
	case errors.Is(err, ErrOutOfOrder), errors.Is(err, claims.ErrConflict):
		return RejectBadRequest
	}
	return ""
}

func segmentResult(err error) string {
	switch {
	case errors.Is(err, ErrSegmentTimeout):
		return ResultTimeout
	case ffmpeg.IsInputError(err):
		return ResultBadInput
	case errors.Is(err, ErrWorkerLost):
		return ResultWorkerLost
	}
	return ResultError
}

// serveSegment authenticates, admits and parses the request, then runs it.
func (n *Node) serveSegment(w http.ResponseWriter, r *http.Request) (*Response, error) {
	if !n.authorized(r) {
		return nil, &httpError{status: http.StatusUnauthorized, code: "unauthorized", reason: RejectAuth, err: errors.New("missing or wrong bearer token")}
	}
	if err := n.checkLength(w, r); err != nil {
		return nil, err
	}
	release, err := n.admit()
	if err != nil {
		return nil, err
	}
	defer release()
	job, err := n.parseSegment(w, r)
	if err != nil {
		return nil, err
	}
	ctx, stop := n.jobContext(r.Context())
	defer stop()
	if job.Paid != nil {
		if err := n.checkPaid(ctx, &job); err != nil {
			n.metrics.Receipt(receiptResult(err))
			return nil, err
		}
	}
	if n.beforeTranscode != nil {
		n.beforeTranscode(ctx, job.Stream, job.Seq)
	}
	resp, err := n.process(ctx, job)
	err = timedOut(ctx, err)
	if err != nil || job.Paid == nil {
		return resp, err
	}
	err = n.storeReceipt(job, resp, n.log.With(zap.String("stream", job.Stream), zap.Int("seg", job.Seq)))
	n.metrics.Receipt(receiptResult(err))
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// jobContext ends with the request, at SegmentTimeout, or when a drain
// times out.
func (n *Node) jobContext(parent context.Context) (context.Context, func()) {
	ctx, cancel := n.segmentDeadline(parent)
	stop := context.AfterFunc(n.hardStop, cancel)
	return ctx, func() { stop(); cancel() }
}

func (n *Node) parseSegment(w http.ResponseWriter, r *http.Request) (segmentJob, error) {
	job := segmentJob{Stream: r.PathValue("stream")}
	if !streamID.MatchString(job.Stream) {
		return job, badRequest(http.StatusBadRequest, "bad_stream", fmt.Errorf("stream id %q: want 1-128 of [A-Za-z0-9_.-]", job.Stream))
	}
	seq, err := strconv.Atoi(r.PathValue("seq"))
	if err != nil || seq < 0 {
		return job, badRequest(http.StatusBadRequest, "bad_seq", fmt.Errorf("segment number %q: want an integer >= 0", r.PathValue("seq")))
	}
	job.Seq = seq
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	hint, ok := segmentFormats[mt]
	if !ok {
		return job, badRequest(http.StatusUnsupportedMediaType, "bad_content_type", fmt.Errorf("content type %q: want video/mp2t, video/mp4 or video/x-flv", mt))
	}
	if job.Spec, job.Ladder, err = n.requestLadder(r); err != nil {
		return job, err
	}
	if n.cfg.Receipts != nil {
		if job.Paid, err = parsePaid(r.Header); err != nil {
			n.metrics.Receipt(ReceiptRefused)
			return job, err
		}
	}
	data, err := readBody(w, r, n.cfg.MaxBytes)
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return job, n.tooLarge()
	case err != nil:
		return job, badRequest(http.StatusBadRequest, "bad_body", fmt.Errorf("read segment: %w", err))
	}
	job.Input = ffmpeg.Input{Data: data, FormatHint: hint}
	return job, nil
}

// bodyReadTimeout bounds the upload of one segment or result, so a slow
// client cannot hold an in-flight slot for ever; it is also the server's
// ReadTimeout (see node_limits.go).
const bodyReadTimeout = 2 * time.Minute

// readBody reads at most limit bytes of r's body within bodyReadTimeout.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(bodyReadTimeout))
	defer func() { _ = rc.SetReadDeadline(time.Time{}) }()
	return io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
}

func (n *Node) requestLadder(r *http.Request) (string, transcoder.Ladder, error) {
	spec := r.URL.Query().Get("ladder")
	if spec == "" {
		spec = r.Header.Get(HeaderLadder)
	}
	if spec == "" {
		spec = n.cfg.DefaultLadder
	}
	l, err := transcoder.ParseLadderSpec(spec)
	if err != nil {
		return "", nil, badRequest(http.StatusBadRequest, "bad_ladder", err)
	}
	if l.NeedsMP4() && n.cfg.Engine.Format != ffmpeg.FormatMP4 {
		return "", nil, badRequest(http.StatusBadRequest, "bad_ladder", errors.New("VP9 and AV1 renditions need a node that writes mp4"))
	}
	return spec, l, nil
}

// process runs the job on the stream's worker, here, or on a new worker,
// in that order of preference.
func (n *Node) process(ctx context.Context, job segmentJob) (*Response, error) {
	if w := n.workers.assigned(job.Stream); w != nil {
		return n.workers.run(ctx, w, job)
	}
	full := &CapacityError{Reason: RejectSessions}
	if n.pool != nil {
		resp, err := n.processLocal(ctx, job)
		if !errors.As(err, &full) {
			return resp, err
		}
	}
	w := n.workers.assign(job.Stream)
	if w == nil {
		return nil, full // sessions, or devices when the GPUs were the limit
	}
	return n.workers.run(ctx, w, job)
}

func (n *Node) processLocal(ctx context.Context, job segmentJob) (*Response, error) {
	s, err := n.pool.acquire(ctx, job.Stream)
	if err != nil {
		return nil, err
	}
	defer n.pool.release(s)
	n.metrics.SetSessions(n.pool.size())
	res, err := n.pool.transcode(ctx, s, job.Seq, job.Ladder, job.Spec, job.Input)
	if err != nil {
		return nil, err
	}
	return newResponse(job.Stream, job.Seq, res), nil
}

// writeError answers with the status err calls for and a JSON body.
func (n *Node) writeError(w http.ResponseWriter, log *zap.Logger, err error) {
	status, code := classifyError(err)
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", strconv.Itoa(int(n.cfg.RetryAfter/time.Second)))
	}
	switch {
	case status >= 500:
		log.Warn("segment failed", zap.Int("status", status), zap.Error(err))
	default:
		log.Debug("segment refused", zap.Int("status", status), zap.Error(err))
	}
	writeJSONError(w, status, code, err)
}

func writeJSONError(w http.ResponseWriter, status int, code string, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(errorBody{Error: err.Error(), Code: code})
}

// classifyError maps an error to its HTTP status and wire code.
func classifyError(err error) (status int, code string) {
	var he *httpError
	var ce *CapacityError
	switch {
	case errors.As(err, &he):
		return he.status, he.code
	case errors.As(err, &ce):
		return http.StatusTooManyRequests, "busy_" + ce.Reason
	}
	if c, ok := inputErrorCode(err); ok {
		return http.StatusUnprocessableEntity, c
	}
	if status, code, ok := receiptErrorStatus(err); ok {
		return status, code
	}
	switch {
	case errors.Is(err, ErrSegmentTimeout):
		return http.StatusGatewayTimeout, "segment_timeout"
	case errors.Is(err, ErrOutOfOrder):
		return http.StatusConflict, "out_of_order"
	case errors.Is(err, ErrDraining):
		return http.StatusServiceUnavailable, "draining"
	case errors.Is(err, ErrWorkerLost):
		return http.StatusServiceUnavailable, "worker_lost"
	case transcoder.IsCancelled(err):
		return http.StatusServiceUnavailable, "cancelled"
	}
	return http.StatusInternalServerError, "internal"
}

// bearer sets the Authorization header of an outgoing request.
func bearer(h http.Header, secret []byte) {
	h.Set("Authorization", "Bearer "+string(secret))
}
