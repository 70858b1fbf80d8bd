package ffmpeg

import (
	"context"
	"fmt"
	"time"
)

// SyntheticSpec describes a generated test stream: libavfilter's testsrc2
// moving pattern (with optional temporal noise so it does not compress to
// nothing) encoded with libx264 and cut into MPEG-TS segments the way an HLS
// packager cuts a live stream.
type SyntheticSpec struct {
	Width, Height int
	FPS           Rational
	// SegmentDuration is rounded to a whole number of frames; each segment
	// holds exactly SegmentFrames() frames and starts with an IDR frame.
	SegmentDuration time.Duration
	Segments        int
	Noise           bool // add temporal noise (realistic bitrate)
	Audio           bool // add a 440 Hz stereo sine, AAC, 48 kHz
	// Seed selects the noise pattern; the same spec gives the same pictures.
	Seed int64
	// Bitrate in bits per second; 0 encodes at x264's default CRF 23.
	Bitrate int64
	// Codec is the source's codec: CodecH264 (libx264; the default) or
	// CodecHEVC (libx265).
	Codec Codec
	// PixFmt is the source's pixel format: empty for yuv420p, or one of
	// synthPixFmts, e.g. "yuv420p10le" for a 10-bit source (H.264 High 10,
	// HEVC Main 10).
	PixFmt string
}

// synthPixFmts are the pixel formats a synthetic source may have.
var synthPixFmts = map[string]bool{"yuv420p": true, "yuv420p10le": true, "yuv422p": true, "yuv444p": true}

// pixFmt is the source's pixel format name.
func (s SyntheticSpec) pixFmt() string {
	if s.PixFmt == "" {
		return "yuv420p"
	}
	return s.PixFmt
}

// SyntheticStart is the timestamp of the first generated frame, the same
// offset the ffmpeg CLI gives MPEG-TS output, so that B-frame decode
// timestamps stay positive.
const SyntheticStart = 1400 * time.Millisecond

// Bounds of a SyntheticSpec.
const (
	synthMaxDim      = 4096
	synthMaxFPS      = 240
	synthMaxSegDur   = 60 * time.Second
	synthMaxSegments = 100000
	synthSampleRate  = 48000
	synthAACFrame    = 1024
	mpegtsClock      = 90000
)

// SpecError says which SyntheticSpec field is invalid. It wraps ErrBadOptions.
type SpecError struct {
	Field, Reason string
}

func (e *SpecError) Error() string {
	return fmt.Sprintf("synthetic spec: %s: %s", e.Field, e.Reason)
}

func (e *SpecError) Unwrap() error { return ErrBadOptions }

// Validate checks the spec.
func (s SyntheticSpec) Validate() error {
	switch {
	case s.Width < 16 || s.Height < 16 || s.Width > synthMaxDim || s.Height > synthMaxDim:
		return &SpecError{"size", fmt.Sprintf("%dx%d is outside 16x16..%dx%d", s.Width, s.Height, synthMaxDim, synthMaxDim)}
	case s.Width%2 != 0 || s.Height%2 != 0:
		return &SpecError{"size", fmt.Sprintf("%dx%d: width and height must be even for 4:2:0", s.Width, s.Height)}
	case s.FPS.Num <= 0 || s.FPS.Den <= 0:
		return &SpecError{"fps", fmt.Sprintf("%d/%d must be positive", s.FPS.Num, s.FPS.Den)}
	case float64(s.FPS.Num)/float64(s.FPS.Den) > synthMaxFPS:
		return &SpecError{"fps", fmt.Sprintf("%d/%d is above %d", s.FPS.Num, s.FPS.Den, synthMaxFPS)}
	case s.SegmentDuration <= 0 || s.SegmentDuration > synthMaxSegDur:
		return &SpecError{"segment duration", fmt.Sprintf("%v is outside (0, %v]", s.SegmentDuration, synthMaxSegDur)}
	case s.SegmentFrames() < 1:
		return &SpecError{"segment duration", fmt.Sprintf("%v is shorter than one frame", s.SegmentDuration)}
	case s.Bitrate < 0:
		return &SpecError{"bitrate", fmt.Sprintf("%d is negative", s.Bitrate)}
	case s.Segments < 1 || s.Segments > synthMaxSegments:
		return &SpecError{"segments", fmt.Sprintf("%d is outside 1..%d", s.Segments, synthMaxSegments)}
	case s.Codec != "" && s.Codec != CodecH264 && s.Codec != CodecHEVC:
		return &SpecError{"codec", fmt.Sprintf("%q: want h264 or hevc", s.Codec)}
	case !synthPixFmts[s.pixFmt()]:
		return &SpecError{"pixel format", fmt.Sprintf("%q is not one of yuv420p, yuv420p10le, yuv422p, yuv444p", s.PixFmt)}
	}
	return nil
}

// SegmentFrames is the number of frames in each segment:
// SegmentDuration*FPS rounded to the nearest integer.
func (s SyntheticSpec) SegmentFrames() int {
	if s.FPS.Num <= 0 || s.FPS.Den <= 0 {
		return 0
	}
	num := int64(s.SegmentDuration) * int64(s.FPS.Num)
	den := int64(time.Second) * int64(s.FPS.Den)
	return int((num + den/2) / den)
}

// FrameTime is the presentation time of frame n of the stream (n counts from
// the first frame of the first segment).
func (s SyntheticSpec) FrameTime(n int) time.Duration {
	return SyntheticStart + time.Duration(int64(n)*int64(time.Second)*int64(s.FPS.Den)/int64(s.FPS.Num))
}

// framePTS is the 90 kHz timestamp of frame n, rounded to the nearest tick.
func (s SyntheticSpec) framePTS(n int) int64 {
	start := int64(SyntheticStart) * mpegtsClock / int64(time.Second)
	num := 2 * int64(n) * mpegtsClock * int64(s.FPS.Den)
	return start + (num+int64(s.FPS.Num))/(2*int64(s.FPS.Num))
}

// GenerateSegments encodes spec.Segments consecutive segments and calls emit
// with each, in order, as soon as it is complete. Timestamps run on across
// segments (segment i starts at FrameTime(i*SegmentFrames())). An error from
// emit or a done ctx stops generation and is returned.
func GenerateSegments(ctx context.Context, spec SyntheticSpec, emit func(i int, seg []byte) error) error {
	initLogging()
	if err := spec.Validate(); err != nil {
		return err
	}
	g, err := newGenerator(spec)
	if err != nil {
		return err
	}
	defer g.free()
	return g.run(ctx, emit)
}

// GenerateSegment is GenerateSegments for a single segment.
func GenerateSegment(ctx context.Context, spec SyntheticSpec) ([]byte, error) {
	spec.Segments = 1
	var out []byte
	err := GenerateSegments(ctx, spec, func(_ int, seg []byte) error {
		out = seg
		return nil
	})
	return out, err
}
