package node

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/ffmpeg"
	"github.com/opkit-dev/opkit/transcoder"
)

// WorkerConfig configures a remote transcoder (`opkit transcoder`).
type WorkerConfig struct {
	Orchestrator string // base URL of the orchestrator node, http(s)://host:port
	Secret       []byte // the orchestrator's worker secret (Config.WorkerSecret)
	// TLSRoots, when set, are the CAs trusted for an https:// orchestrator
	// instead of the system's; not with Client.
	TLSRoots    *x509.CertPool
	Name        string // reported to the orchestrator, shown in its logs and answers
	Capacity    int    // streams this worker holds sessions for
	Engine      ffmpeg.Options
	GPUs        *GPUScheduler // nil: every session as Engine says (UseGPU, GPUDevice); else the least-loaded GPU
	SessionIdle time.Duration // close a session unused this long
	Backoff     time.Duration // wait before registering again after a failure
	Client      *http.Client  // nil: a client without overall timeout (the stream is long-lived)
	Log         *zap.Logger
}

// Validate checks the configuration without touching the network.
func (c WorkerConfig) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrBadConfig, fmt.Sprintf(format, a...))
	}
	u, err := url.Parse(c.Orchestrator)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return bad("orchestrator %q: want an http:// or https:// URL", c.Orchestrator)
	case len(c.Secret) < MinSecretLen:
		return bad("the shared secret must be at least %d bytes", MinSecretLen)
	case !workerName.MatchString(c.Name):
		return bad("worker name %q: want 1-64 of [A-Za-z0-9_.-]", c.Name)
	case c.Capacity < 1 || c.Capacity > maxWorkerCapacity:
		return bad("capacity %d: want 1..%d", c.Capacity, maxWorkerCapacity)
	case c.SessionIdle <= 0 || c.Backoff <= 0:
		return bad("session idle and backoff must be > 0")
	case c.TLSRoots != nil && u.Scheme != "https":
		return bad("TLS roots need an https:// orchestrator, not %q", c.Orchestrator)
	case c.TLSRoots != nil && c.Client != nil:
		return bad("TLS roots and a client of one's own are exclusive")
	}
	return nil
}

// Worker is a remote transcoder: it registers with an orchestrator node,
// takes the segments of the streams it is given and keeps one warm engine
// session per stream.
type Worker struct {
	cfg    WorkerConfig
	log    *zap.Logger
	client *http.Client
	base   string
	pool   *sessionPool

	regOnce    sync.Once
	registered chan struct{} // closed on the first registration

	// beforeTranscode, when set (tests), runs before each job's segment.
	beforeTranscode func(ctx context.Context, stream string, seq int)
}

// NewWorker checks cfg and builds a worker; start it with Run.
func NewWorker(cfg WorkerConfig) (*Worker, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Log == nil {
		cfg.Log = zap.NewNop()
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Transport: workerTransport(cfg.TLSRoots)}
	}
	return &Worker{
		cfg: cfg, log: cfg.Log.With(zap.String("worker", cfg.Name)), client: cfg.Client,
		base: strings.TrimRight(cfg.Orchestrator, "/"),
		pool: newSessionPool(cfg.Engine, cfg.Capacity, time.Now).withDevices(cfg.GPUs, 0), registered: make(chan struct{}),
	}, nil
}

// workerTransport is the default transport, trusting roots when set.
func workerTransport(roots *x509.CertPool) http.RoundTripper {
	if roots == nil {
		return http.DefaultTransport
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	return t
}

// Registered is closed once the worker has registered for the first time.
func (w *Worker) Registered() <-chan struct{} { return w.registered }

// SessionsOpened counts the engine sessions the worker created.
func (w *Worker) SessionsOpened() int64 { return w.pool.opened.Load() }

// Run registers and serves jobs until ctx ends, registering again after a
// lost connection. It closes every session before returning.
func (w *Worker) Run(ctx context.Context) error {
	defer w.pool.closeAll()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		w.reapLoop(ctx)
	}()
	defer wg.Wait()
	for {
		err := w.serve(ctx)
		if ctx.Err() != nil {
			return nil
		}
		w.log.Warn("orchestrator connection lost; registering again", zap.Error(err), zap.Duration("backoff", w.cfg.Backoff))
		t := time.NewTimer(w.cfg.Backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

func (w *Worker) reapLoop(ctx context.Context) {
	t := time.NewTicker(w.cfg.SessionIdle / 4)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			w.pool.reapIdle(w.cfg.SessionIdle)
		}
	}
}

// serve holds one registration: it reads the stream, runs jobs and sends
// heartbeats until the stream fails or ctx ends. Every goroutine it starts
// has ended when it returns.
func (w *Worker) serve(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	resp, dec, hello, err := w.register(ctx)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	hb := time.Duration(hello.HeartbeatMS) * time.Millisecond
	w.log.Info("registered", zap.String("orchestrator", w.base), zap.String("id", hello.Worker), zap.Duration("heartbeat", hb))
	w.regOnce.Do(func() { close(w.registered) })
	// The orchestrator pings every hb; silence for 3 ends the stream.
	watchdog := time.AfterFunc(3*hb, cancel)
	defer watchdog.Stop()
	wg.Add(1)
	go func() {
		defer wg.Done()
		w.heartbeat(ctx, cancel, hello.Worker, hb)
	}()
	return w.dispatch(ctx, dec, hello.Worker, func() { watchdog.Reset(3 * hb) }, &wg)
}

// register opens the worker stream and reads its first message; the rest
// of the stream is read from the decoder returned.
func (w *Worker) register(ctx context.Context) (*http.Response, *json.Decoder, workerMsg, error) {
	var hello workerMsg
	body, _ := json.Marshal(registerRequest{Name: w.cfg.Name, Capacity: w.cfg.Capacity})
	resp, err := w.post(ctx, "/v1/workers/register", "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, nil, hello, err
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		return nil, nil, hello, fmt.Errorf("register: %s: %s", resp.Status, readErrorBody(resp.Body))
	}
	dec := json.NewDecoder(resp.Body)
	if err := dec.Decode(&hello); err != nil || hello.Type != msgRegistered || hello.HeartbeatMS <= 0 {
		resp.Body.Close()
		return nil, nil, hello, fmt.Errorf("register: bad first message: %v", err)
	}
	return resp, dec, hello, nil
}

// dispatch runs the messages of the worker stream until it fails: each job
// in its own goroutine (in wg), with a context a cancel message ends.
func (w *Worker) dispatch(ctx context.Context, dec *json.Decoder, id string, alive func(), wg *sync.WaitGroup) error {
	jobs := &jobCancels{m: map[uint64]context.CancelFunc{}}
	for {
		var m workerMsg
		if err := dec.Decode(&m); err != nil {
			return fmt.Errorf("worker stream: %w", err)
		}
		alive()
		switch m.Type {
		case msgJob:
			jctx, stop := jobs.start(ctx, m.Job)
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer stop()
				w.runJob(jctx, id, m)
			}()
		case msgCancel:
			jobs.cancel(m.Job)
		case msgRelease:
			w.pool.drop(m.Stream)
		}
	}
}

// jobCancels holds the cancel func of every job a worker is running.
type jobCancels struct {
	mu sync.Mutex
	m  map[uint64]context.CancelFunc
}

// start gives job id a context under parent; stop ends it.
func (j *jobCancels) start(parent context.Context, id uint64) (_ context.Context, stop func()) {
	ctx, cancel := context.WithCancel(parent)
	j.mu.Lock()
	j.m[id] = cancel
	j.mu.Unlock()
	return ctx, func() {
		j.mu.Lock()
		delete(j.m, id)
		j.mu.Unlock()
		cancel()
	}
}

func (j *jobCancels) cancel(id uint64) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if c := j.m[id]; c != nil {
		c()
	}
}

func (w *Worker) heartbeat(ctx context.Context, cancel func(), id string, hb time.Duration) {
	t := time.NewTicker(hb)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		resp, err := w.post(ctx, "/v1/workers/"+id+"/heartbeat", "", nil)
		if err != nil {
			continue // the watchdog decides whether the orchestrator is gone
		}
		_ = resp.Body.Close()
		if resp.StatusCode == http.StatusNotFound {
			cancel() // the orchestrator forgot us: register again
			return
		}
	}
}

// runJob transcodes one segment and posts the answer back.
func (w *Worker) runJob(ctx context.Context, id string, m workerMsg) {
	log := w.log.With(zap.String("stream", m.Stream), zap.Int("seg", m.Seq))
	var body bytes.Buffer
	ct, err := w.transcode(ctx, m, &body)
	if err != nil {
		status, code := classifyError(err)
		log.Debug("segment failed", zap.Int("status", status), zap.Error(err))
		body.Reset()
		_ = json.NewEncoder(&body).Encode(errorBody{Error: err.Error(), Code: code})
		ct = "application/json"
	}
	resp, err := w.post(ctx, fmt.Sprintf("/v1/workers/%s/jobs/%d", id, m.Job), ct, &body, m.Token)
	if err != nil {
		if ctx.Err() == nil {
			log.Warn("cannot post result", zap.Error(err))
		}
		return
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		log.Warn("result refused", zap.String("status", resp.Status))
	}
}

func (w *Worker) transcode(ctx context.Context, m workerMsg, out io.Writer) (string, error) {
	ladder, err := transcoder.ParseLadderSpec(m.Ladder)
	if err != nil {
		return "", err
	}
	s, err := w.pool.acquire(ctx, m.Stream)
	if err != nil {
		return "", err
	}
	defer w.pool.release(s)
	if w.beforeTranscode != nil {
		w.beforeTranscode(ctx, m.Stream, m.Seq)
	}
	res, err := w.pool.transcode(ctx, s, m.Seq, ladder, m.Ladder, ffmpeg.Input{Data: m.Data, FormatHint: m.Format})
	if err != nil {
		return "", err
	}
	return newResponse(m.Stream, m.Seq, res).Encode(out)
}

// post sends body to the orchestrator, with the job token when one is given.
func (w *Worker) post(ctx context.Context, path, contentType string, body io.Reader, token ...string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.base+path, body)
	if err != nil {
		return nil, err
	}
	bearer(req.Header, w.cfg.Secret)
	for _, t := range token {
		req.Header.Set(HeaderJobToken, t)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return w.client.Do(req)
}

func readErrorBody(r io.Reader) string {
	var eb errorBody
	data, _ := io.ReadAll(io.LimitReader(r, 4<<10))
	if json.Unmarshal(data, &eb) == nil && eb.Error != "" {
		return eb.Error
	}
	return strings.TrimSpace(string(data))
}
