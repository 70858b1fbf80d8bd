package node

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/claims"
	"github.com/opkit-dev/opkit/ffmpeg"
	"github.com/opkit-dev/opkit/transcoder"
)

// Config configures a Node: the segment HTTP API of `opkit node`, and
// the orchestrator side of remote transcoders.
type Config struct {
	Secret []byte // clients' secret for Authorization: Bearer; at least 16 bytes
	// WorkerSecret is the remote workers' bearer secret, for registering,
	// heartbeats and results; it must differ from Secret. Empty: no
	// worker may register (then LocalSessions must be at least 1).
	WorkerSecret []byte
	// VerifierSecret, when set with an Archive that can be read, serves the
	// archive to verifiers under /v1/archive/ with this bearer secret; it
	// must differ from Secret and WorkerSecret.
	VerifierSecret []byte
	// TLS, when set, makes Run serve HTTPS (TLS 1.2 at least) with it.
	TLS           *tls.Config
	DefaultLadder string         // ladder spec used when a request names none
	Engine        ffmpeg.Options // base engine options; Renditions are ignored
	LocalSessions int            // streams transcoded here at once; 0: pure orchestrator
	MaxInflight   int            // segments in flight, local and remote
	MaxBytes      int64          // largest accepted segment body
	SessionIdle   time.Duration  // a stream's session is closed after this long unused
	DrainTimeout  time.Duration  // how long shutdown waits for segments in flight
	Heartbeat     time.Duration  // ping interval on worker streams; a worker is lost after 3
	JobTimeout    time.Duration  // longest a remote worker may take for one segment
	RetryAfter    time.Duration  // Retry-After sent with 429 and 503
	// SegmentTimeout is the wall-clock deadline of one segment from its
	// upload to its answer, local or remote (504 segment_timeout); 0:
	// DefaultSegmentTimeout.
	SegmentTimeout time.Duration
	// Receipts, when set, keeps a receipt of every segment that comes with
	// the HeaderJobID and HeaderBroadcasterSig headers (*claims.Store is
	// one); such a segment is answered only once its receipt is stored.
	Receipts claims.ReceiptSink
	// Archive, when set with Receipts, keeps the source and renditions of
	// every paid segment before its receipt is stored (*archive.Archive is
	// one): a verifier challenged with the segment fetches what the receipt
	// commits to. A segment that cannot be archived gets no receipt (503).
	Archive SegmentArchive
	// GPUs, when set, places each new local session on the least-loaded
	// GPU (Engine.GPU is then ignored); GPUEstimate is a new stream's load
	// (w×h×fps) until its first segment is probed, 0: the ladder's largest
	// rung.
	GPUs        *GPUScheduler
	GPUEstimate int64
	// Broadcasters, when set with Receipts, refuses segments not signed by
	// their job's broadcaster before they are transcoded.
	Broadcasters JobBroadcasters
	// Admin, when set, is served under /admin/ and authenticates its own
	// requests (the operator's runtime changes); nil: /admin/ is 404.
	Admin   http.Handler
	Log     *zap.Logger
	Metrics Metrics
	Now     func() time.Time
}

// ErrBadConfig wraps every Config.Validate error.
var ErrBadConfig = errors.New("invalid node config")

// MinSecretLen is the shortest accepted shared secret.
const MinSecretLen = 16

// Validate checks the configuration without touching the network.
func (c Config) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrBadConfig, fmt.Sprintf(format, a...))
	}
	switch {
	case len(c.Secret) < MinSecretLen:
		return bad("the shared secret must be at least %d bytes", MinSecretLen)
	case len(c.WorkerSecret) > 0 && len(c.WorkerSecret) < MinSecretLen:
		return bad("the worker secret must be at least %d bytes", MinSecretLen)
	case len(c.WorkerSecret) > 0 && subtle.ConstantTimeCompare(c.WorkerSecret, c.Secret) == 1:
		return bad("the worker secret must differ from the client secret")
	case len(c.VerifierSecret) > 0 && len(c.VerifierSecret) < MinSecretLen:
		return bad("the verifier secret must be at least %d bytes", MinSecretLen)
	case len(c.VerifierSecret) > 0 && (subtle.ConstantTimeCompare(c.VerifierSecret, c.Secret) == 1 || subtle.ConstantTimeCompare(c.VerifierSecret, c.WorkerSecret) == 1):
		return bad("the verifier secret must differ from the client and worker secrets")
	case len(c.WorkerSecret) == 0 && c.LocalSessions == 0:
		return bad("a pure orchestrator (no local sessions) needs a worker secret")
	case c.TLS != nil && len(c.TLS.Certificates) == 0 && c.TLS.GetCertificate == nil:
		return bad("TLS config without a certificate")
	case c.MaxBytes < 1:
		return bad("max segment bytes %d < 1", c.MaxBytes)
	case c.GPUEstimate < 0:
		return bad("GPU load estimate %d < 0", c.GPUEstimate)
	case c.SegmentTimeout < 0:
		return bad("segment timeout %v < 0", c.SegmentTimeout)
	case c.SessionIdle <= 0, c.DrainTimeout <= 0, c.Heartbeat <= 0, c.JobTimeout <= 0, c.RetryAfter < time.Second:
		return bad("session idle, drain timeout, heartbeat and job timeout must be > 0, retry-after >= 1s")
	}
	if err := c.limits().check(len(c.WorkerSecret) > 0); err != nil {
		return fmt.Errorf("%w: %w", ErrBadConfig, err)
	}
	if _, err := transcoder.ParseLadderSpec(c.DefaultLadder); err != nil {
		return fmt.Errorf("%w: default ladder: %w", ErrBadConfig, err)
	}
	return nil
}

// Node serves segment jobs over HTTP. Each stream is transcoded in one
// warm engine session, here or on one registered remote transcoder.
type Node struct {
	cfg     Config
	log     *zap.Logger
	metrics Metrics
	pool    *sessionPool // at most Limits().LocalSessions streams; none for a pure orchestrator
	workers *workerRegistry
	// slots holds one token per segment in flight; its capacity is the
	// ceiling MaxInflight may be raised to, and admit holds the count to
	// maxInflight.
	slots chan struct{}

	// maxInflight is the limit on len(slots); guarded by admitMu.
	maxInflight int

	admitMu  sync.Mutex     // orders admit's active.Add before shutdown's Wait
	active   sync.WaitGroup // segment handlers past admission
	draining atomic.Bool
	drainCh  chan struct{} // closed when shutdown starts
	stopping chan struct{} // closed to end worker streams
	// hardStop cancels the segments still running when the drain times out.
	hardStop       context.Context
	cancelHardStop context.CancelFunc
	stopOnce       sync.Once

	// beforeTranscode, when set (tests), runs after admission, before the
	// engine or a worker gets the segment.
	beforeTranscode func(ctx context.Context, stream string, seq int)
}

// New checks cfg and builds a node; start it with Run.
func New(cfg Config) (*Node, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Log == nil {
		cfg.Log = zap.NewNop()
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NoopMetrics{}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SegmentTimeout == 0 {
		cfg.SegmentTimeout = DefaultSegmentTimeout
	}
	n := &Node{
		cfg: cfg, log: cfg.Log, metrics: cfg.Metrics,
		slots: make(chan struct{}, MaxInflightCeiling), maxInflight: cfg.MaxInflight,
		drainCh: make(chan struct{}), stopping: make(chan struct{}),
	}
	n.hardStop, n.cancelHardStop = context.WithCancel(context.Background())
	// Always a pool, even for a pure orchestrator (0 sessions): SetLimits
	// may give it room later.
	n.pool = newSessionPool(cfg.Engine, cfg.LocalSessions, cfg.Now).withDevices(cfg.GPUs, cfg.GPUEstimate)
	n.workers = newWorkerRegistry(n)
	n.metrics.SetLimits(cfg.limits())
	return n, nil
}

// Stats is a snapshot of a node's state.
type Stats struct {
	Sessions       int   // streams with a local session
	SessionsOpened int64 // engine sessions created since start
	Inflight       int
	Workers        int
}

// Stats returns a snapshot.
func (n *Node) Stats() Stats {
	st := Stats{Inflight: len(n.slots), Workers: n.workers.count()}
	if n.pool != nil {
		st.Sessions, st.SessionsOpened = n.pool.size(), n.pool.opened.Load()
	}
	return st
}

// Handler returns the node's HTTP API.
func (n *Node) Handler(metrics http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/streams/{stream}/segments/{seq}", n.handleSegment)
	mux.HandleFunc("POST /v1/workers/register", longLived(n.workers.handleRegister))
	mux.HandleFunc("POST /v1/workers/{worker}/heartbeat", n.workers.handleHeartbeat)
	mux.HandleFunc("POST /v1/workers/{worker}/jobs/{job}", n.workers.handleResult)
	mux.HandleFunc("GET /healthz", n.handleHealth)
	n.archiveRoutes(mux)
	if n.cfg.Admin != nil {
		mux.Handle("/admin/", n.cfg.Admin)
	}
	if metrics != nil {
		mux.Handle("GET /metrics", metrics)
	}
	return mux
}

func (n *Node) handleHealth(w http.ResponseWriter, _ *http.Request) {
	if n.draining.Load() {
		http.Error(w, "draining", http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "ok")
}

// authorized says whether r carries the clients' secret.
func (n *Node) authorized(r *http.Request) bool { return bearerIs(r, n.cfg.Secret) }

// workerAuthorized says whether r carries the workers' secret; never
// without one.
func (n *Node) workerAuthorized(r *http.Request) bool { return bearerIs(r, n.cfg.WorkerSecret) }

// bearerIs compares r's bearer token with secret in constant time (over
// SHA-256 digests, so the length does not leak either).
func bearerIs(r *http.Request, secret []byte) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || len(secret) == 0 {
		return false
	}
	a, b := sha256.Sum256([]byte(tok)), sha256.Sum256(secret)
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

// Run serves on ln until ctx ends, then shuts down: it stops accepting,
// lets the segments in flight finish (at most DrainTimeout), ends the
// worker streams and closes every session.
func (n *Node) Run(ctx context.Context, ln net.Listener, metrics http.Handler) error {
	srv := &http.Server{
		Handler:           n.Handler(metrics),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       bodyReadTimeout, // lifted for worker streams (longLived)
		WriteTimeout:      n.writeTimeout(),
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          zap.NewStdLog(n.log.Named("http")),
		TLSConfig:         serverTLS(n.cfg.TLS),
	}
	reapCtx, stopReap := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		n.reapLoop(reapCtx)
	}()
	errc := make(chan error, 1)
	go func() { errc <- serve(srv, ln) }()
	var err error
	select {
	case err = <-errc: // the listener failed: nothing is being served
		n.cancelHardStop()
		if n.pool != nil {
			n.pool.closeAll()
		}
	case <-ctx.Done():
		err = n.shutdown(srv)
		<-errc
	}
	stopReap()
	wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// serverTLS is the server's copy of c, at TLS 1.2 or above; nil for nil.
func serverTLS(c *tls.Config) *tls.Config {
	if c == nil {
		return nil
	}
	c = c.Clone()
	c.MinVersion = max(c.MinVersion, tls.VersionTLS12)
	return c
}

// serve serves HTTPS when srv has a TLS config, HTTP otherwise.
func serve(srv *http.Server, ln net.Listener) error {
	if srv.TLSConfig != nil {
		return srv.ServeTLS(ln, "", "")
	}
	return srv.Serve(ln)
}

func (n *Node) reapLoop(ctx context.Context) {
	t := time.NewTicker(n.cfg.SessionIdle / 4)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			n.reapIdle()
		}
	}
}

// reapIdle closes local sessions and remote assignments idle for
// SessionIdle.
func (n *Node) reapIdle() {
	if n.pool != nil {
		if k := n.pool.reapIdle(n.cfg.SessionIdle); k > 0 {
			n.log.Debug("closed idle sessions", zap.Int("sessions", k))
		}
		n.metrics.SetSessions(n.pool.size())
	}
	n.workers.reapIdle(n.cfg.SessionIdle)
}

// admit takes an in-flight slot or refuses.
func (n *Node) admit() (release func(), err error) {
	n.admitMu.Lock()
	defer n.admitMu.Unlock()
	if n.draining.Load() {
		return nil, ErrDraining
	}
	if len(n.slots) >= n.maxInflight {
		return nil, &CapacityError{Reason: RejectInflight}
	}
	n.slots <- struct{}{} // never blocks: maxInflight <= cap(slots), and only admit adds, under admitMu
	n.active.Add(1)
	n.metrics.SetInflight(len(n.slots))
	return func() {
		<-n.slots
		n.metrics.SetInflight(len(n.slots))
		n.active.Done()
	}, nil
}
