package ffmpeg

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"
)

// Session transcodes the segments of one stream into a fixed ladder of
// renditions. It keeps the video decoder (and, on a GPU, the hardware
// device) warm across segments, and the renditions' filter graphs and
// encoders where they can end a segment without closing (warm.go). It keeps
// output timestamps continuous; see timeline for the rule.
//
// Transcode calls are serialised: a Session is fed one segment at a time. A
// concurrent call waits for the one in progress. After any error the session
// stays usable: whatever state the failed segment touched is dropped and
// rebuilt by the next call.
type Session struct {
	opts Options

	mu     sync.Mutex
	closed bool
	seq    int
	dec    *decoder // warm video decoder; nil until the first segment
	// warm is each rendition's kept filter graph and encoder (warm.go),
	// in ladder order; nil until the first segment and after an error.
	warm []*warmRendition
	// streams lets the next segment skip probing; nil until a segment
	// was probed, and after any error.
	streams *streamCache
	// probeAlways is set once a segment's frame timing differed from the
	// cache's: this stream's segments are probed from then on. Tests set
	// it to compare with a session that never reuses.
	probeAlways bool
	tl          timeline
	hw          *hwState // CUDA device for the GPU path; nil on the CPU
	// hwOff is why this GPU session decodes on the CPU from now on (an
	// ErrHW* error), once a GPU decoder went to software; nil before.
	hwOff error
	// dpbHint is the DPB bound a GPU decoder's get_format saw for this
	// stream, once the planned queue depth was too deep for it; 0 before.
	dpbHint int
}

// NewSession validates opts and returns a session for one stream. Errors
// about the options wrap ErrBadOptions; asking for a GPU where none is
// usable gives ErrNoGPU.
func NewSession(opts Options) (*Session, error) {
	initLogging()
	o := opts.withDefaults()
	if err := o.validate(); err != nil {
		return nil, fmt.Errorf("new session: %w", err)
	}
	s := &Session{opts: o}
	if o.UseGPU {
		hw, err := openHW(o.GPUDevice)
		if err != nil {
			return nil, fmt.Errorf("new session: %w", err)
		}
		s.hw = hw
	}
	return s, nil
}

// Options returns the session's options with defaults filled in.
func (s *Session) Options() Options { return s.opts }

// Transcode decodes one segment once and encodes every rendition from it.
// Errors caused by the input wrap one of the typed errors in types.go; a
// cancelled ctx gives an error wrapping ctx.Err().
func (s *Session) Transcode(ctx context.Context, in Input) (*SegmentResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	seq := s.seq
	s.seq++
	start := time.Now()
	res, err := s.transcode(ctx, in)
	if err != nil {
		// Drop the decoder: it may hold half a segment or be in error.
		// Probe the next segment afresh too.
		s.dropDecoder()
		s.dropStreams()
		s.dropWarm()
		return nil, fmt.Errorf("segment %d: %w", seq, err)
	}
	res.Seq = seq
	res.Wall = time.Since(start)
	return res, nil
}

// Close frees the session's C state. It is idempotent; Transcode after
// Close returns ErrClosed.
func (s *Session) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	s.dropDecoder()
	s.dropStreams()
	s.dropWarm()
	if s.hw != nil {
		s.hw.free()
		s.hw = nil
	}
	return nil
}

func (s *Session) dropDecoder() {
	if s.dec != nil {
		s.dec.free()
		s.dec = nil
	}
}

// checkSize enforces Limits.MaxInputBytes before anything is read.
func (s *Session) checkSize(in Input) error {
	limit := s.opts.Limits.MaxInputBytes
	switch {
	case in.Path == "" && len(in.Data) == 0:
		return fmt.Errorf("%w: empty input", ErrCorrupt)
	case in.Path != "" && len(in.Data) > 0:
		return fmt.Errorf("%w: both path and data given", ErrBadOptions)
	case in.Path != "":
		fi, err := os.Stat(in.Path)
		if err != nil {
			return fmt.Errorf("input: %w", err)
		}
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("%w: %s is not a regular file", ErrBadOptions, in.Path)
		}
		if fi.Size() == 0 {
			return fmt.Errorf("%w: empty input", ErrCorrupt)
		}
		if fi.Size() > limit {
			return fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, fi.Size(), limit)
		}
	case int64(len(in.Data)) > limit:
		return fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(in.Data), limit)
	}
	return nil
}

func (s *Session) transcode(ctx context.Context, in Input) (*SegmentResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("transcode: %w", err)
	}
	if err := s.checkSize(in); err != nil {
		return nil, err
	}
	for hwRetries := 0; ; {
		res, err := s.transcodeOnce(ctx, in)
		if errors.Is(err, errStaleStreams) || errors.Is(err, errHWFallback) {
			// The failed run's frames may have reached the kept encoders.
			s.dropWarm()
		}
		switch {
		case errors.Is(err, errStaleStreams) && !s.probeAlways:
			// Nothing of the segment was kept: the timeline moves only
			// when a segment succeeds. Probe it, and every later segment.
			s.probeAlways = true
			s.dropStreams()
			s.dropDecoder()
		case errors.Is(err, errHWFallback) && hwRetries < maxHWRetries:
			hwRetries++
			// The GPU decoder went to software at the segment's first
			// sequence header (or a new one): run the segment again with
			// a decoder planned from what it saw.
			s.noteHWFallback(err)
		default:
			return res, err
		}
	}
}

// maxHWRetries bounds the runs of one segment after GPU decoder fallbacks:
// the first may retry with a shallower queue, the second goes to the CPU.
const maxHWRetries = 2

func (s *Session) transcodeOnce(ctx context.Context, in Input) (*SegmentResult, error) {
	seg, err := s.openSegment(ctx, in)
	if err != nil {
		return nil, err
	}
	defer seg.close()
	return seg.run()
}

// errors.Is helper for callers that only care whether the input was bad.
var inputErrors = []error{ErrNoVideo, ErrNoKeyframe, ErrUnsupportedCodec, ErrUnsupportedPixFmt,
	ErrCorrupt, ErrTooLarge, ErrTooLong, ErrTooManyFrames, ErrOutputTooLarge}

// IsInputError reports whether err was caused by the segment's content
// rather than by the session, the machine or the caller.
func IsInputError(err error) bool {
	for _, e := range inputErrors {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
