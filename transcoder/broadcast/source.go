package broadcast

import (
	"bytes"
	"context"
	"fmt"
	"os"

	"github.com/opkit-dev/opkit/ffmpeg"
	"github.com/opkit-dev/opkit/transcoder"
)

// Segment is one source segment to send.
type Segment struct {
	Seq  int    // sequence number in the stream, from 0
	Name string // for logs and the summary, e.g. "3.ts"
	Data []byte // the MPEG-TS bytes, sent and signed as they are
}

// Source yields a stream's segments in order.
type Source interface {
	// Count is how many segments Each will yield (the job's deposit is
	// sized by it).
	Count() int
	// Each calls emit with every segment in order and stops at the first
	// error emit returns, returning it.
	Each(ctx context.Context, emit func(Segment) error) error
}

// FileSource reads an MPEG-TS file (one segment) or the segments an HLS
// media playlist lists, each file read only when its turn comes.
type FileSource struct {
	segs []transcoder.StreamSegment
}

// OpenFiles lists the segments of path (transcoder.OpenInput).
func OpenFiles(path string) (*FileSource, error) {
	segs, err := transcoder.OpenInput(path)
	if err != nil {
		return nil, err
	}
	return &FileSource{segs: segs}, nil
}

// Count implements Source.
func (s *FileSource) Count() int { return len(s.segs) }

// Each implements Source.
func (s *FileSource) Each(ctx context.Context, emit func(Segment) error) error {
	for _, seg := range s.segs {
		if err := ctx.Err(); err != nil {
			return err
		}
		data, err := os.ReadFile(seg.Input.Path)
		if err != nil {
			return fmt.Errorf("read segment %d: %w", seg.Index, err)
		}
		if err := emit(Segment{Seq: seg.Index, Name: seg.Name, Data: data}); err != nil {
			return err
		}
	}
	return nil
}

// SyntheticSource generates segments in-process (ffmpeg.GenerateSegments):
// each is encoded when the previous one has been answered.
type SyntheticSource struct {
	Spec ffmpeg.SyntheticSpec
}

// Count implements Source.
func (s SyntheticSource) Count() int { return s.Spec.Segments }

// Each implements Source.
func (s SyntheticSource) Each(ctx context.Context, emit func(Segment) error) error {
	return ffmpeg.GenerateSegments(ctx, s.Spec, func(i int, seg []byte) error {
		return emit(Segment{Seq: i, Name: fmt.Sprintf("%d.ts", i), Data: bytes.Clone(seg)})
	})
}
