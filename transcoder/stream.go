package transcoder

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/ffmpeg"
)

// StreamSegment is one input segment of a stream.
type StreamSegment struct {
	Index    int    // position in the stream, from 0; names the output files
	Name     string // for logs and errors, e.g. "kryp-1.ts"
	Input    ffmpeg.Input
	Declared time.Duration // duration the input playlist gives; 0 when unknown
}

// Transcoder is what a stream needs of an ffmpeg.Session.
type Transcoder interface {
	Transcode(ctx context.Context, in ffmpeg.Input) (*ffmpeg.SegmentResult, error)
}

var _ Transcoder = (*ffmpeg.Session)(nil)

// ResultSink receives every segment the stream transcoded, in order.
type ResultSink interface {
	WriteSegment(seg StreamSegment, res *ffmpeg.SegmentResult) error
}

// SegmentError is the error of one segment of a stream. It wraps the
// engine's typed error (ffmpeg.ErrNoVideo, ...), a sink error, or the
// context's error.
type SegmentError struct {
	Index int
	Name  string
	Err   error
}

func (e *SegmentError) Error() string { return fmt.Sprintf("transcode %s: %v", e.Name, e.Err) }

func (e *SegmentError) Unwrap() error { return e.Err }

// Progress is reported after every segment.
type Progress struct {
	Done, Total int
	Segment     StreamSegment
	Result      *ffmpeg.SegmentResult
}

// Stream runs one stream's segments, in order, through one transcoder and
// hands each result to the sink.
type Stream struct {
	Transcoder Transcoder
	Sink       ResultSink // nil: results are only returned
	Log        *zap.Logger
	// Progress, when set, is called after each segment from Run's
	// goroutine.
	Progress func(Progress)
}

// Run transcodes segs in order and stops at the first error, which is a
// *SegmentError. A cancelled ctx lets the engine finish or fail the
// segment in flight; nothing after it starts. The results of the segments
// done so far are returned in either case.
func (s *Stream) Run(ctx context.Context, segs []StreamSegment) ([]*ffmpeg.SegmentResult, error) {
	log := s.Log
	if log == nil {
		log = zap.NewNop()
	}
	results := make([]*ffmpeg.SegmentResult, 0, len(segs))
	for i, seg := range segs {
		if err := ctx.Err(); err != nil {
			return results, &SegmentError{Index: seg.Index, Name: seg.Name, Err: err}
		}
		res, err := s.Transcoder.Transcode(ctx, seg.Input)
		if err != nil {
			return results, &SegmentError{Index: seg.Index, Name: seg.Name, Err: err}
		}
		if s.Sink != nil {
			if err := s.Sink.WriteSegment(seg, res); err != nil {
				return results, &SegmentError{Index: seg.Index, Name: seg.Name, Err: err}
			}
		}
		results = append(results, res)
		log.Debug("segment transcoded", zap.Int("seg", seg.Index), zap.String("name", seg.Name),
			zap.Duration("duration", res.SourceDuration), zap.Duration("wall", res.Wall))
		if s.Progress != nil {
			s.Progress(Progress{Done: i + 1, Total: len(segs), Segment: seg, Result: res})
		}
	}
	return results, nil
}

// IsCancelled reports whether err came from a cancelled or expired context
// rather than from the input or the machine.
func IsCancelled(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
