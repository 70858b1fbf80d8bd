package node

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/opkit-dev/opkit/ffmpeg"
	"github.com/opkit-dev/opkit/transcoder"
)

// Errors a node acts on; the HTTP layer maps each to a status.
var (
	// ErrOutOfOrder: a segment's sequence number is not above the last one
	// the stream's session finished (409).
	ErrOutOfOrder = errors.New("segment out of order")
	// ErrDraining: the node is shutting down (503).
	ErrDraining = errors.New("node is shutting down")
	// ErrWorkerLost: the remote transcoder holding the stream went away
	// or timed out; the stream is reassigned on its next segment (503).
	ErrWorkerLost = errors.New("remote transcoder lost")
)

// CapacityError says the node is at capacity (429). Reason is
// RejectSessions, RejectInflight or RejectDevices.
type CapacityError struct{ Reason string }

func (e *CapacityError) Error() string { return "at capacity: " + e.Reason }

// sessionPool keeps one warm engine session per stream, at most max of
// them. A stream's segments run one at a time, in sequence order.
type sessionPool struct {
	base ffmpeg.Options // everything but the renditions
	now  func() time.Time
	// devices, when set, picks each new session's GPU (base.GPU otherwise);
	// estimate is a new stream's load until its first segment is probed
	// (0: the ladder's largest rung).
	devices  devicePlacer
	estimate int64

	mu      sync.Mutex
	max     int // may change (setLimit); the pool may hold more until they drain
	streams map[string]*poolStream
	closed  bool

	opened atomic.Int64 // engine sessions created, for tests and logs
}

type poolStream struct {
	id   string
	turn chan struct{} // one slot: held while a segment of the stream runs

	// Guarded by turn.
	sess     *ffmpeg.Session
	ladder   string
	lastSeq  int
	last     lastAnswer // the answer to lastSeq
	measured bool       // the device placer has the source's real load

	// Guarded by the pool's mu.
	users    int // holders and waiters of turn
	lastUsed time.Time
	release  bool // close once the last user is done
}

// lastAnswer is a stream's answer to its last segment, kept for a client
// that sends the segment again: its answer was lost (it went away, or the
// receipt could not be stored), and the session has moved past it.
type lastAnswer struct {
	src  [sha256.Size]byte // SHA-256 of the source segment
	spec string
	res  *ffmpeg.SegmentResult
}

// repeat returns the kept answer when seq is the stream's last segment
// again, with the same bytes and ladder; nil otherwise.
func (s *poolStream) repeat(seq int, spec string, in ffmpeg.Input) *ffmpeg.SegmentResult {
	if s.last.res == nil || seq != s.lastSeq || spec != s.last.spec || sha256.Sum256(in.Data) != s.last.src {
		return nil
	}
	return s.last.res
}

// devicePlacer assigns a stream's session to a device and tracks its load:
// *GPUScheduler.
type devicePlacer interface {
	Place(stream string, estimate int64, encoders int) (gpu int, err error)
	Update(stream string, load int64)
	Release(stream string)
}

func newSessionPool(base ffmpeg.Options, max int, now func() time.Time) *sessionPool {
	return &sessionPool{base: base, max: max, now: now, streams: map[string]*poolStream{}}
}

// withDevices makes the pool place sessions with d; a nil d keeps base.GPU.
func (p *sessionPool) withDevices(d *GPUScheduler, estimate int64) *sessionPool {
	if d != nil {
		p.devices, p.estimate = d, estimate
	}
	return p
}

// acquire waits for the stream's turn. A new stream needs a free slot; none
// gives a *CapacityError at once.
func (p *sessionPool) acquire(ctx context.Context, stream string) (*poolStream, error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, ErrDraining
	}
	s := p.streams[stream]
	if s == nil {
		if len(p.streams) >= p.max {
			p.mu.Unlock()
			return nil, &CapacityError{Reason: RejectSessions}
		}
		s = &poolStream{id: stream, turn: make(chan struct{}, 1), lastSeq: -1, lastUsed: p.now()}
		p.streams[stream] = s
	}
	s.users++
	p.mu.Unlock()
	select {
	case s.turn <- struct{}{}:
		return s, nil
	case <-ctx.Done():
		p.done(s, false)
		return nil, fmt.Errorf("wait for stream %s: %w", stream, ctx.Err())
	}
}

// release ends the stream's turn.
func (p *sessionPool) release(s *poolStream) { p.done(s, true) }

func (p *sessionPool) done(s *poolStream, held bool) {
	if held {
		<-s.turn
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	s.users--
	s.lastUsed = p.now()
	// A session above a lowered limit closes once its segment is done.
	if s.users == 0 && (s.release || len(p.streams) > p.max) {
		p.dropLocked(s)
	}
}

// limit is the most streams the pool takes.
func (p *sessionPool) limit() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.max
}

// setLimit changes the most streams the pool takes. Above a lowered limit,
// idle sessions close now, least recently used first, and busy ones when
// their segment is done (see done); it returns how many closed now.
func (p *sessionPool) setLimit(max int) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.max = max
	var idle []*poolStream
	for _, s := range p.streams {
		if s.users == 0 {
			idle = append(idle, s)
		}
	}
	slices.SortFunc(idle, func(a, b *poolStream) int { return a.lastUsed.Compare(b.lastUsed) })
	n := 0
	for _, s := range idle {
		if len(p.streams) <= p.max {
			break
		}
		p.dropLocked(s)
		n++
	}
	return n
}

// transcode runs one segment in the stream's session, opening or
// rebuilding it when the ladder changed. The caller holds s's turn.
// A repeat of the last segment is answered from the stream's last answer.
func (p *sessionPool) transcode(ctx context.Context, s *poolStream, seq int, ladder transcoder.Ladder, spec string, in ffmpeg.Input) (*ffmpeg.SegmentResult, error) {
	if res := s.repeat(seq, spec, in); res != nil {
		return res, nil
	}
	if seq <= s.lastSeq {
		return nil, fmt.Errorf("%w: stream %s got %d after %d", ErrOutOfOrder, s.id, seq, s.lastSeq)
	}
	if s.sess != nil && s.ladder != spec {
		p.closeSession(s)
	}
	if s.sess == nil {
		if err := p.open(s, ladder, spec); err != nil {
			return nil, err
		}
	}
	res, err := s.sess.Transcode(ctx, in)
	if err != nil {
		return nil, err
	}
	s.lastSeq, s.last = seq, lastAnswer{src: sha256.Sum256(in.Data), spec: spec, res: res}
	if p.devices != nil && !s.measured {
		if load, ok := sourceLoad(res); ok {
			p.devices.Update(s.id, load)
			s.measured = true
		}
	}
	return res, nil
}

// open creates the stream's session, on the device the placer picks. A
// stream no device has room for is dropped from the pool (so it does not
// hold a session slot) and gets the placer's *CapacityError.
func (p *sessionPool) open(s *poolStream, ladder transcoder.Ladder, spec string) error {
	opts := p.base
	opts.Renditions = ladder.Specs()
	if p.devices != nil {
		est := p.estimate
		if est <= 0 {
			est = ladderLoad(ladder)
		}
		gpu, err := p.devices.Place(s.id, est, len(ladder))
		if err != nil {
			p.drop(s.id)
			return fmt.Errorf("stream %s: %w", s.id, err)
		}
		opts.UseGPU, opts.GPUDevice = gpu >= 0, max(gpu, 0) // a placer's -1 is the CPU
	}
	sess, err := ffmpeg.NewSession(opts)
	if err != nil {
		if p.devices != nil {
			p.devices.Release(s.id)
		}
		return fmt.Errorf("stream %s: %w", s.id, err)
	}
	p.opened.Add(1)
	s.sess, s.ladder, s.measured = sess, spec, false
	return nil
}

// closeSession closes the stream's session and takes its load off its
// device. The caller holds the turn, or the stream has no users.
func (p *sessionPool) closeSession(s *poolStream) {
	if s.sess == nil {
		return
	}
	_ = s.sess.Close() // Close frees C state and cannot fail
	s.sess = nil
	if p.devices != nil {
		p.devices.Release(s.id)
	}
}

// drop closes the stream's session now, or when its last user is done.
func (p *sessionPool) drop(stream string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.streams[stream]
	switch {
	case s == nil:
	case s.users > 0:
		s.release = true
	default:
		p.dropLocked(s)
	}
}

func (p *sessionPool) dropLocked(s *poolStream) {
	delete(p.streams, s.id)
	p.closeSession(s)
}

// reapIdle closes the sessions unused for idle or longer and returns how
// many it closed.
func (p *sessionPool) reapIdle(idle time.Duration) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	now, n := p.now(), 0
	for _, s := range p.streams {
		if s.users == 0 && now.Sub(s.lastUsed) >= idle {
			p.dropLocked(s)
			n++
		}
	}
	return n
}

// closeAll refuses new turns and closes every session. A segment still
// running (its context should be cancelled) finishes before its session
// is freed: ffmpeg.Session.Close waits for it.
func (p *sessionPool) closeAll() {
	p.mu.Lock()
	p.closed = true
	all := make([]*poolStream, 0, len(p.streams))
	for _, s := range p.streams {
		all = append(all, s)
	}
	p.streams = map[string]*poolStream{}
	p.mu.Unlock()
	for _, s := range all {
		s.turn <- struct{}{} // wait for the running segment
		p.closeSession(s)
		<-s.turn
	}
}

func (p *sessionPool) size() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.streams)
}
