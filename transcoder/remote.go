package transcoder

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"
)

// Remote transcoders. A worker (`opkit transcoder`) registers with an
// orchestrator node by holding one long POST /v1/workers/register open;
// the orchestrator streams newline-delimited JSON messages down it (the
// registration, pings, jobs with the segment bytes, and releases of idle
// streams). The worker posts each result back to
// /v1/workers/{worker}/jobs/{job} in the same multipart format clients
// get, and posts a heartbeat every interval. This has the shape of a gRPC
// bidirectional stream over plain HTTP/1.1, with the node's shared secret
// on every request.

// workerMsg is one line on a worker stream.
type workerMsg struct {
	Type        string `json:"type"` // msgRegistered, msgPing, msgJob, msgRelease
	Worker      string `json:"worker,omitempty"`
	HeartbeatMS int64  `json:"heartbeat_ms,omitempty"`
	Job         uint64 `json:"job,omitempty"`
	Stream      string `json:"stream,omitempty"`
	Seq         int    `json:"seq,omitempty"`
	Ladder      string `json:"ladder,omitempty"`
	Format      string `json:"format,omitempty"`
	Data        []byte `json:"data,omitempty"`
}

const (
	msgRegistered = "registered"
	msgPing       = "ping"
	msgJob        = "job"
	msgRelease    = "release"
)

// registerRequest is the body of POST /v1/workers/register.
type registerRequest struct {
	Name     string `json:"name"`
	Capacity int    `json:"capacity"`
}

var workerName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)

// maxWorkerCapacity bounds what one worker may claim.
const maxWorkerCapacity = 1024

type jobOutcome struct {
	resp *NodeResponse
	err  error
}

// remoteWorker is the orchestrator's view of one registered worker.
type remoteWorker struct {
	id, name string
	order    uint64
	capacity int
	send     chan workerMsg // drained by the register handler
	gone     chan struct{}  // closed when the worker is dropped

	// Guarded by the registry's mu.
	streams  map[string]*remoteStream
	jobs     map[uint64]chan jobOutcome
	lastBeat time.Time
}

type remoteStream struct {
	lastUsed time.Time
	busy     int
}

// workerRegistry tracks the workers and which streams each one holds.
type workerRegistry struct {
	n *Node

	mu       sync.Mutex
	seq      uint64
	workers  map[string]*remoteWorker
	byStream map[string]*remoteWorker // stream -> worker
}

func newWorkerRegistry(n *Node) *workerRegistry {
	return &workerRegistry{n: n, workers: map[string]*remoteWorker{}, byStream: map[string]*remoteWorker{}}
}

func (g *workerRegistry) count() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.workers)
}

func (g *workerRegistry) add(name string, capacity int) *remoteWorker {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.seq++
	w := &remoteWorker{
		id: strconv.FormatUint(g.seq, 10), name: name, order: g.seq, capacity: capacity,
		send: make(chan workerMsg, capacity+1), gone: make(chan struct{}),
		streams: map[string]*remoteStream{}, jobs: map[uint64]chan jobOutcome{}, lastBeat: g.n.cfg.Now(),
	}
	g.workers[w.id] = w
	g.n.metrics.SetWorkers(len(g.workers))
	return w
}

// drop forgets w: its jobs fail with ErrWorkerLost and its streams go to
// other transcoders on their next segment.
func (g *workerRegistry) drop(w *remoteWorker, why string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.workers[w.id] != w {
		return
	}
	delete(g.workers, w.id)
	for s := range w.streams {
		delete(g.byStream, s)
	}
	close(w.gone)
	g.n.metrics.SetWorkers(len(g.workers))
	g.n.log.Info("worker gone", zap.String("worker", w.name), zap.String("id", w.id), zap.String("why", why),
		zap.Int("streams", len(w.streams)), zap.Int("jobs", len(w.jobs)))
}

func (g *workerRegistry) lookup(id string) *remoteWorker {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.workers[id]
}

// assigned returns the worker holding stream, or nil.
func (g *workerRegistry) assigned(stream string) *remoteWorker {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.byStream[stream]
}

// assign gives stream to the least-loaded worker with room, or nil.
func (g *workerRegistry) assign(stream string) *remoteWorker {
	g.mu.Lock()
	defer g.mu.Unlock()
	if w := g.byStream[stream]; w != nil {
		return w
	}
	var best *remoteWorker
	for _, w := range g.workers {
		if len(w.streams) >= w.capacity {
			continue
		}
		if best == nil || len(w.streams) < len(best.streams) ||
			(len(w.streams) == len(best.streams) && w.order < best.order) {
			best = w
		}
	}
	if best != nil {
		g.byStream[stream] = best
		best.streams[stream] = &remoteStream{lastUsed: g.n.cfg.Now()}
		g.n.log.Debug("stream assigned", zap.String("stream", stream), zap.String("worker", best.name))
	}
	return best
}

// unassign takes stream away from w and tells w to close its session.
func (g *workerRegistry) unassign(w *remoteWorker, stream string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.unassignLocked(w, stream)
}

func (g *workerRegistry) unassignLocked(w *remoteWorker, stream string) {
	if g.byStream[stream] == w {
		delete(g.byStream, stream)
	}
	delete(w.streams, stream)
	select {
	case w.send <- workerMsg{Type: msgRelease, Stream: stream}:
	default: // the worker's own idle timer closes it
	}
}

func (g *workerRegistry) reapIdle(idle time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.n.cfg.Now()
	for _, w := range g.workers {
		for s, rs := range w.streams {
			if rs.busy == 0 && now.Sub(rs.lastUsed) >= idle {
				g.unassignLocked(w, s)
			}
		}
	}
}

// startJob registers a job on w; nil when w is gone.
func (g *workerRegistry) startJob(w *remoteWorker, stream string) (uint64, chan jobOutcome) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.workers[w.id] != w {
		return 0, nil
	}
	g.seq++
	ch := make(chan jobOutcome, 1)
	w.jobs[g.seq] = ch
	if rs := w.streams[stream]; rs != nil {
		rs.busy++
		rs.lastUsed = g.n.cfg.Now()
	}
	return g.seq, ch
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
func (g *workerRegistry) run(ctx context.Context, w *remoteWorker, job segmentJob) (*NodeResponse, error) {
	id, out := g.startJob(w, job.Stream)
	if out == nil {
		return nil, fmt.Errorf("stream %s: %w", job.Stream, ErrWorkerLost)
	}
	defer g.endJob(w, id, job.Stream)
	ctx, cancel := context.WithTimeout(ctx, g.n.cfg.JobTimeout)
	defer cancel()
	msg := workerMsg{Type: msgJob, Job: id, Stream: job.Stream, Seq: job.Seq, Ladder: job.Spec,
		Format: job.Input.FormatHint, Data: job.Input.Data}
	select {
	case w.send <- msg:
	case <-w.gone:
		return nil, fmt.Errorf("stream %s: worker %s: %w", job.Stream, w.name, ErrWorkerLost)
	case <-ctx.Done():
		return nil, g.jobTimeout(ctx, w, job)
	}
	select {
	case o := <-out:
		var ce *CapacityError
		if errors.As(o.err, &ce) {
			g.unassign(w, job.Stream) // the worker has no room: try elsewhere next time
		}
		if o.err != nil {
			return nil, o.err
		}
		o.resp.Result.Worker = w.name
		return o.resp, nil
	case <-w.gone:
		return nil, fmt.Errorf("stream %s seg %d: worker %s: %w", job.Stream, job.Seq, w.name, ErrWorkerLost)
	case <-ctx.Done():
		return nil, g.jobTimeout(ctx, w, job)
	}
}

// jobTimeout gives up on a job; when the worker was too slow (rather than
// the client gone) the stream moves elsewhere.
func (g *workerRegistry) jobTimeout(ctx context.Context, w *remoteWorker, job segmentJob) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		g.unassign(w, job.Stream)
		return fmt.Errorf("stream %s seg %d: worker %s took over %v: %w", job.Stream, job.Seq, w.name, g.n.cfg.JobTimeout, ErrWorkerLost)
	}
	return fmt.Errorf("stream %s seg %d: %w", job.Stream, job.Seq, ctx.Err())
}

func (g *workerRegistry) handleRegister(rw http.ResponseWriter, r *http.Request) {
	n := g.n
	if !n.authorized(r) {
		n.metrics.Rejected(RejectAuth)
		writeJSONError(rw, http.StatusUnauthorized, "unauthorized", errors.New("missing or wrong bearer token"))
		return
	}
	if n.draining.Load() {
		rw.Header().Set("Retry-After", strconv.Itoa(int(n.cfg.RetryAfter/time.Second)))
		writeJSONError(rw, http.StatusServiceUnavailable, "draining", ErrDraining)
		return
	}
	var req registerRequest
	body, err := io.ReadAll(http.MaxBytesReader(rw, r.Body, 4<<10))
	if err == nil {
		err = json.Unmarshal(body, &req)
	}
	switch {
	case err != nil:
		writeJSONError(rw, http.StatusBadRequest, "bad_body", fmt.Errorf("register: %w", err))
		return
	case !workerName.MatchString(req.Name) || req.Capacity < 1 || req.Capacity > maxWorkerCapacity:
		writeJSONError(rw, http.StatusBadRequest, "bad_body", fmt.Errorf("register: want a name of [A-Za-z0-9_.-] and capacity 1..%d", maxWorkerCapacity))
		return
	}
	w := g.add(req.Name, req.Capacity)
	n.log.Info("worker registered", zap.String("worker", w.name), zap.String("id", w.id), zap.Int("capacity", w.capacity))
	why := g.serveWorker(rw, r, w)
	g.drop(w, why)
}

// serveWorker streams messages to w until it goes quiet, its connection
// closes or the node stops, and says which.
func (g *workerRegistry) serveWorker(rw http.ResponseWriter, r *http.Request, w *remoteWorker) string {
	hb := g.n.cfg.Heartbeat
	rc := http.NewResponseController(rw)
	rw.Header().Set("Content-Type", "application/x-ndjson")
	enc := json.NewEncoder(rw)
	write := func(m workerMsg) error {
		_ = rc.SetWriteDeadline(time.Now().Add(3 * hb))
		if err := enc.Encode(m); err != nil {
			return err
		}
		return rc.Flush()
	}
	if err := write(workerMsg{Type: msgRegistered, Worker: w.id, HeartbeatMS: hb.Milliseconds()}); err != nil {
		return "write: " + err.Error()
	}
	tick := time.NewTicker(hb)
	defer tick.Stop()
	for {
		var err error
		select {
		case <-r.Context().Done():
			return "connection closed"
		case <-g.n.stopping:
			return "node stopping"
		case m := <-w.send:
			err = write(m)
		case <-tick.C:
			if g.silentFor(w) > 3*hb {
				return "missed heartbeats"
			}
			err = write(workerMsg{Type: msgPing})
		}
		if err != nil {
			return "write: " + err.Error()
		}
	}
}

func (g *workerRegistry) silentFor(w *remoteWorker) time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.n.cfg.Now().Sub(w.lastBeat)
}

func (g *workerRegistry) handleHeartbeat(rw http.ResponseWriter, r *http.Request) {
	if !g.n.authorized(r) {
		writeJSONError(rw, http.StatusUnauthorized, "unauthorized", errors.New("missing or wrong bearer token"))
		return
	}
	g.mu.Lock()
	w := g.workers[r.PathValue("worker")]
	if w != nil {
		w.lastBeat = g.n.cfg.Now()
	}
	g.mu.Unlock()
	if w == nil {
		writeJSONError(rw, http.StatusNotFound, "unknown_worker", errors.New("worker not registered"))
		return
	}
	rw.WriteHeader(http.StatusNoContent)
}

func (g *workerRegistry) handleResult(rw http.ResponseWriter, r *http.Request) {
	if !g.n.authorized(r) {
		writeJSONError(rw, http.StatusUnauthorized, "unauthorized", errors.New("missing or wrong bearer token"))
		return
	}
	w := g.lookup(r.PathValue("worker"))
	id, _ := strconv.ParseUint(r.PathValue("job"), 10, 64)
	var out chan jobOutcome
	if w != nil {
		g.mu.Lock()
		out = w.jobs[id]
		g.mu.Unlock()
	}
	if out == nil {
		writeJSONError(rw, http.StatusNotFound, "unknown_job", errors.New("no such job in flight"))
		return
	}
	// Renditions may outgrow their source; bound them generously.
	rc := http.NewResponseController(rw)
	_ = rc.SetReadDeadline(time.Now().Add(bodyReadTimeout))
	body := http.MaxBytesReader(rw, r.Body, 8*g.n.cfg.MaxBytes+1<<20)
	o := readWorkerResult(w.name, r.Header.Get("Content-Type"), body)
	select {
	case out <- o:
	default: // a second answer to one job is ignored
	}
	rw.WriteHeader(http.StatusNoContent)
}

// readWorkerResult turns a worker's answer back into a response or the
// typed error the worker reported.
func readWorkerResult(worker, contentType string, body io.Reader) jobOutcome {
	if strings.HasPrefix(contentType, "multipart/") {
		resp, err := ReadNodeResponse(contentType, body)
		if err != nil {
			return jobOutcome{err: fmt.Errorf("worker %s: %w", worker, err)}
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
