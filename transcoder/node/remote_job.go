package node

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The orchestrator's side of one segment handed to a remote worker: the
// job message, the wait for the worker's result, and what happens when the
// client goes away (the job is cancelled on the worker) or the worker takes
// over the job timeout (the worker is dropped, so the retry goes elsewhere).

type jobOutcome struct {
	resp *Response
	err  error
}

// HeaderJobToken carries a job's token on the worker's result post: the
// random token the job message gave the worker, so that no one else can
// answer the job.
const HeaderJobToken = "Opkit-Job-Token"

// ErrBadWorkerResult: a worker's result is not the job's (another stream,
// segment or ladder) or is malformed (502); the worker is dropped.
var ErrBadWorkerResult = errors.New("bad result from remote transcoder")

// errJobTimeout is the cause of a job's context when the worker took over
// Config.JobTimeout (and not the client, or a deadline of its own).
var errJobTimeout = errors.New("worker job timeout")

// remoteJob is a segment in flight on a worker.
type remoteJob struct {
	id     uint64
	token  string // random; the worker presents it with the result
	stream string
	seq    int
	names  []string // the ladder's rendition names, in order
	out    chan jobOutcome
}

// startJob registers a job on w; nil when w is gone.
func (g *workerRegistry) startJob(w *remoteWorker, job segmentJob) *remoteJob {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.workers[w.id] != w {
		return nil
	}
	g.seq++
	j := &remoteJob{id: g.seq, token: rand.Text(), stream: job.Stream, seq: job.Seq, out: make(chan jobOutcome, 1)}
	for _, r := range job.Ladder {
		j.names = append(j.names, r.Name)
	}
	w.jobs[j.id] = j
	if rs := w.streams[job.Stream]; rs != nil {
		rs.busy++
		rs.lastUsed = g.n.cfg.Now()
	}
	return j
}

func (g *workerRegistry) endJob(w *remoteWorker, id uint64, stream string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(w.jobs, id)
	if rs := w.streams[stream]; rs != nil {
		rs.busy--
		rs.lastUsed = g.n.cfg.Now()
	}
}

// run hands job to w and waits for its result, for w to go, for the job
// timeout or for ctx.
func (g *workerRegistry) run(ctx context.Context, w *remoteWorker, job segmentJob) (*Response, error) {
	j := g.startJob(w, job)
	if j == nil {
		return nil, fmt.Errorf("stream %s: %w", job.Stream, ErrWorkerLost)
	}
	defer g.endJob(w, j.id, job.Stream)
	ctx, cancel := context.WithTimeoutCause(ctx, g.n.cfg.JobTimeout, errJobTimeout)
	defer cancel()
	msg := workerMsg{Type: msgJob, Job: j.id, Token: j.token, Stream: job.Stream, Seq: job.Seq, Ladder: job.Spec,
		Format: job.Input.FormatHint, Data: job.Input.Data}
	select {
	case w.send <- msg:
	case <-w.gone:
		return nil, fmt.Errorf("stream %s: worker %s: %w", job.Stream, w.name, ErrWorkerLost)
	case <-ctx.Done():
		return nil, g.abandon(ctx, w, job, j, false)
	}
	select {
	case o := <-j.out:
		return g.outcome(w, job, o)
	case <-w.gone:
		return nil, fmt.Errorf("stream %s seg %d: worker %s: %w", job.Stream, job.Seq, w.name, ErrWorkerLost)
	case <-ctx.Done():
		return nil, g.abandon(ctx, w, job, j, true)
	}
}

// outcome is the answer to a job whose worker replied.
func (g *workerRegistry) outcome(w *remoteWorker, job segmentJob, o jobOutcome) (*Response, error) {
	var ce *CapacityError
	switch {
	case errors.As(o.err, &ce):
		g.unassign(w, job.Stream) // the worker has no room: try elsewhere next time
	case errors.Is(o.err, ErrBadWorkerResult):
		g.drop(w, "bad result")
	}
	if o.err != nil {
		return nil, o.err
	}
	o.resp.Result.Worker = w.name
	return o.resp, nil
}

// abandon gives up on a job. A worker that took over the job timeout is
// dropped (its other jobs fail with ErrWorkerLost), so the client's retry
// goes to another worker; a job whose client went away is cancelled on the
// worker, so the segment sent again is done there, not refused as out of
// order.
func (g *workerRegistry) abandon(ctx context.Context, w *remoteWorker, job segmentJob, j *remoteJob, sent bool) error {
	if errors.Is(context.Cause(ctx), errJobTimeout) {
		g.drop(w, "job timeout")
		return fmt.Errorf("stream %s seg %d: worker %s took over %v: %w", job.Stream, job.Seq, w.name, g.n.cfg.JobTimeout, ErrWorkerLost)
	}
	if sent {
		g.cancelJob(w, j.id)
	}
	return fmt.Errorf("stream %s seg %d: %w", job.Stream, job.Seq, ctx.Err())
}

// cancelJob tells w to stop job id. It waits for the worker stream to
// take the message, or for w to go.
func (g *workerRegistry) cancelJob(w *remoteWorker, id uint64) {
	select {
	case w.send <- workerMsg{Type: msgCancel, Job: id}:
	case <-w.gone:
	}
}

func (g *workerRegistry) handleResult(rw http.ResponseWriter, r *http.Request) {
	if !g.n.workerAuthorized(r) {
		writeJSONError(rw, http.StatusUnauthorized, "unauthorized", errors.New("missing or wrong bearer token"))
		return
	}
	w, j := g.jobOf(r.PathValue("worker"), r.PathValue("job"))
	if j == nil {
		writeJSONError(rw, http.StatusNotFound, "unknown_job", errors.New("no such job in flight"))
		return
	}
	if subtle.ConstantTimeCompare([]byte(r.Header.Get(HeaderJobToken)), []byte(j.token)) != 1 {
		writeJSONError(rw, http.StatusForbidden, "bad_job_token", errors.New("missing or wrong job token"))
		return
	}
	// Renditions may outgrow their source; bound them generously.
	rc := http.NewResponseController(rw)
	_ = rc.SetReadDeadline(time.Now().Add(bodyReadTimeout))
	body := http.MaxBytesReader(rw, r.Body, 8*g.n.cfg.MaxBytes+1<<20)
	o := readWorkerResult(w.name, r.Header.Get("Content-Type"), body)
	if o.err == nil {
		if err := j.check(o.resp); err != nil {
			o = jobOutcome{err: badWorkerResult(w.name, err)}
		}
	}
	select {
	case j.out <- o:
	default: // a second answer to one job is ignored
	}
	if errors.Is(o.err, ErrBadWorkerResult) {
		writeJSONError(rw, http.StatusUnprocessableEntity, "bad_result", o.err)
		return
	}
	rw.WriteHeader(http.StatusNoContent)
}

// jobOf finds job id of worker; nils when either is unknown.
func (g *workerRegistry) jobOf(worker, id string) (*remoteWorker, *remoteJob) {
	n, err := strconv.ParseUint(id, 10, 64)
	g.mu.Lock()
	defer g.mu.Unlock()
	w := g.workers[worker]
	if w == nil || err != nil {
		return nil, nil
	}
	return w, w.jobs[n]
}

// check refuses a result that is not the job's: another stream, segment
// or ladder than the job's.
func (j *remoteJob) check(resp *Response) error {
	if resp.Result.Stream != j.stream || resp.Result.Seq != j.seq {
		return fmt.Errorf("result of %s/%d for job %s/%d", resp.Result.Stream, resp.Result.Seq, j.stream, j.seq)
	}
	if len(resp.Renditions) != len(j.names) || len(resp.Result.Segment.Renditions) != len(j.names) {
		return fmt.Errorf("%d renditions for a ladder of %d", len(resp.Renditions), len(j.names))
	}
	for i, r := range resp.Renditions {
		if r.Name != j.names[i] {
			return fmt.Errorf("rendition %d is %q, the ladder's is %q", i, r.Name, j.names[i])
		}
	}
	return nil
}

// badWorkerResult is a 502 answer for the client, wrapping ErrBadWorkerResult.
func badWorkerResult(worker string, err error) error {
	return &httpError{status: http.StatusBadGateway, code: "bad_worker_result",
		err: fmt.Errorf("worker %s: %w: %w", worker, ErrBadWorkerResult, err)}
}

// readWorkerResult turns a worker's answer back into a response or the
// typed error the worker reported.
func readWorkerResult(worker, contentType string, body io.Reader) jobOutcome {
	if strings.HasPrefix(contentType, "multipart/") {
		resp, err := ReadResponse(contentType, body)
		if err != nil {
			return jobOutcome{err: badWorkerResult(worker, err)}
		}
		return jobOutcome{resp: resp}
	}
	var eb errorBody
	if err := json.NewDecoder(body).Decode(&eb); err != nil {
		return jobOutcome{err: fmt.Errorf("worker %s: unreadable error answer: %w", worker, err)}
	}
	if err, ok := remoteInputError(eb); ok {
		return jobOutcome{err: err}
	}
	switch {
	case eb.Code == "out_of_order":
		return jobOutcome{err: fmt.Errorf("worker %s: %s: %w", worker, eb.Error, ErrOutOfOrder)}
	case strings.HasPrefix(eb.Code, "busy_"):
		return jobOutcome{err: &CapacityError{Reason: RejectSessions}} // the worker has no room for the stream
	}
	return jobOutcome{err: fmt.Errorf("worker %s: %s (%s)", worker, eb.Error, eb.Code)}
}
