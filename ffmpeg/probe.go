package ffmpeg

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/asticode/go-astiav"
)

// MediaInfo describes a media file as Probe found it by demuxing it and
// decoding every video frame. Tests use it to check every transcoder output
// independently of the code that wrote it.
type MediaInfo struct {
	Format   string        // demuxer name, e.g. "mpegts"
	Duration time.Duration // container duration; 0 when unknown
	Video    *StreamInfo   // first video stream; never nil when Probe succeeds
	Audio    *StreamInfo   // first audio stream; nil when there is none
}

// StreamInfo describes one stream. Timestamps are the stream's own,
// converted to time.Duration (not shifted to start at zero), so consecutive
// segments of one stream continue each other.
type StreamInfo struct {
	Index   int
	Codec   string // codec name, e.g. "h264", "aac"
	Profile string // e.g. "High"; empty when unknown
	// Video only.
	Width, Height int
	PixFmt        string
	FrameRate     Rational // average frame rate from the container
	// Frames counts decoded frames for video and packets for audio.
	Frames int64
	// Keyframes counts decoded video frames flagged as keyframes.
	Keyframes int64
	// StartsWithKeyframe reports whether the first video packet in decode
	// order is a keyframe (a segment that can be decoded on its own).
	StartsWithKeyframe bool
	// FirstPTS and LastPTS are the smallest and largest presentation time
	// of the decoded frames (audio: packets).
	FirstPTS, LastPTS time.Duration
	// Duration is LastPTS-FirstPTS plus one frame (audio: one packet).
	Duration time.Duration
	// DecodeErrors counts packets the decoder rejected.
	DecodeErrors int
	// Audio only.
	SampleRate, Channels int
}

// Probe demuxes in and decodes all of its first video stream. Bad input
// gives an error wrapping ErrCorrupt (cannot be opened or read), ErrNoVideo,
// ErrUnsupportedCodec (no decoder), ErrTooLarge (above DefaultLimits) or
// ErrNoKeyframe (a video stream of which no frame decodes).
func Probe(in Input) (*MediaInfo, error) {
	return ProbeContext(context.Background(), in)
}

// ProbeContext is Probe with a context that interrupts it.
func ProbeContext(ctx context.Context, in Input) (*MediaInfo, error) {
	initLogging()
	if int64(len(in.Data)) > DefaultLimits.MaxInputBytes {
		return nil, fmt.Errorf("probe: %w: %d bytes", ErrTooLarge, len(in.Data))
	}
	vd, err := openVideoDecoder(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("probe: %w", err)
	}
	defer vd.close()
	info := vd.mediaInfo()
	frame := astiav.AllocFrame()
	defer frame.Free()
	var first, last int64
	timed := 0 // frames with a timestamp
	for {
		err := vd.next(ctx, frame)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("probe: %w", err)
		}
		if pts := frame.Pts(); pts != astiav.NoPtsValue {
			if timed == 0 || pts < first {
				first = pts
			}
			if timed == 0 || pts > last {
				last = pts
			}
			timed++
		}
		info.Video.Frames++
		if frame.KeyFrame() {
			info.Video.Keyframes++
		}
		frame.Unref()
	}
	if info.Video.Frames == 0 {
		return nil, fmt.Errorf("probe: %w: no video frame decodes (%d packets rejected)", ErrNoKeyframe, vd.decodeErrors)
	}
	vd.fillVideoTimes(info.Video, first, last)
	vd.fillAudio(info)
	return info, nil
}
