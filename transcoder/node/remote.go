package node

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"

	"go.uber.org/zap"
)

// Remote transcoders. A worker (`opkit transcoder`) registers with an
// orchestrator node by holding one long POST /v1/workers/register open;
// the orchestrator streams newline-delimited JSON messages down it (the
// registration, pings, jobs with the segment bytes, cancels of jobs whose
// client went away, and releases of idle streams). The worker posts each result back to
// /v1/workers/{worker}/jobs/{job} in the same multipart format clients
// get, with the job's random token in HeaderJobToken, and posts a
// heartbeat every interval. This has the shape of a gRPC bidirectional
// stream over HTTP/1.1 (HTTPS with Config.TLS), with the node's worker
// secret (never the clients') on every request.

// workerMsg is one line on a worker stream.
type workerMsg struct {
	Type        string `json:"type"` // msgRegistered, msgPing, msgJob, msgCancel, msgRelease
	Worker      string `json:"worker,omitempty"`
	HeartbeatMS int64  `json:"heartbeat_ms,omitempty"`
	Job         uint64 `json:"job,omitempty"`
	Token       string `json:"token,omitempty"` // msgJob: the job's token, for HeaderJobToken
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
	msgCancel     = "cancel" // the job's client went away: stop it
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

// remoteWorker is the orchestrator's view of one registered worker.
type remoteWorker struct {
	id, name string
	order    uint64
	capacity int
	send     chan workerMsg // drained by the register handler
	gone     chan struct{}  // closed when the worker is dropped

	// Guarded by the registry's mu.
	streams  map[string]*remoteStream
	jobs     map[uint64]*remoteJob
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
		streams: map[string]*remoteStream{}, jobs: map[uint64]*remoteJob{}, lastBeat: g.n.cfg.Now(),
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

func (g *workerRegistry) handleRegister(rw http.ResponseWriter, r *http.Request) {
	n := g.n
	if !n.workerAuthorized(r) {
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
		case <-w.gone:
			return "dropped"
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
	if !g.n.workerAuthorized(r) {
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
