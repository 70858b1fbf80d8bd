// Package ffmpeg owns every call into FFmpeg's libav* libraries: demux,
// decode, filter, encode and mux, on the CPU or an NVIDIA GPU. It is the only
// package in opkit that uses cgo (through github.com/asticode/go-astiav and a
// small C shim). It knows nothing of chains, receipts or HTTP.
//
// A Session is kept for one stream and fed one segment at a time; it decodes
// each segment once and fans the frames out to every rendition.
package ffmpeg

import (
	"errors"
	"time"
)

// Codec names a video encoder family.
type Codec string

const (
	CodecH264 Codec = "h264" // libx264, or h264_nvenc on a GPU with NVENC
	CodecHEVC Codec = "hevc" // libx265, or hevc_nvenc
	CodecVP9  Codec = "vp9"  // libvpx-vp9
	CodecAV1  Codec = "av1"  // libsvtav1
)

// Rational is a frame rate such as 30000/1001. The zero value means "pass
// the source rate through".
type Rational struct{ Num, Den int }

// IsZero reports whether r is the pass-through value.
func (r Rational) IsZero() bool { return r.Num == 0 || r.Den == 0 }

// RenditionSpec is one rung of the ladder as the engine sees it. Width and
// Height are a bounding box in landscape orientation: the session fits the
// source into it keeping the aspect ratio (a portrait source gives a portrait
// rendition) and rounds to even sizes; see FitSize.
type RenditionSpec struct {
	Name    string
	Width   int
	Height  int
	Bitrate int64    // bits per second
	FPS     Rational // zero: source rate
	GOP     time.Duration
	Intra   bool   // every frame a keyframe; GOP is ignored
	Profile string // baseline, main, high, constrainedhigh; empty: encoder default
	Codec   Codec  // empty: CodecH264
	BFrames int    // 0: none (the reference ladder)
}

// OutputFormat is the container each rendition is written in.
type OutputFormat string

const (
	FormatMPEGTS OutputFormat = "mpegts"
	FormatMP4    OutputFormat = "mp4"
)

// AudioMode says what happens to the first audio stream.
type AudioMode string

const (
	AudioCopy AudioMode = "copy" // default
	AudioAAC  AudioMode = "aac"  // re-encode with FFmpeg's native AAC encoder
	AudioDrop AudioMode = "drop"
)

// Limits bound what a session accepts from one segment and what it makes
// of it. Zero fields take the DefaultLimits value.
type Limits struct {
	MaxInputBytes int64         // size of one input segment
	MaxDuration   time.Duration // media duration of one segment
	MaxPixels     int           // width*height of the source
	// MaxFrameRate bounds the source frames kept per second of media
	// (ErrTooManyFrames), and so the frames a pass-through rendition
	// encodes; a rendition with its own FPS encodes at most that many per
	// second, and at most max(FPS, MaxFrameRate)×MaxDuration per segment.
	MaxFrameRate int
	// MaxOutputBytes bounds the muxed bytes of all renditions of one
	// segment together (ErrOutputTooLarge).
	MaxOutputBytes int64
}

// DefaultLimits are safe defaults for untrusted input.
var DefaultLimits = Limits{
	MaxInputBytes:  256 << 20,
	MaxDuration:    60 * time.Second,
	MaxPixels:      4096 * 2304,
	MaxFrameRate:   120,
	MaxOutputBytes: 512 << 20,
}

// Options configure a Session.
type Options struct {
	Renditions []RenditionSpec
	Format     OutputFormat // empty: FormatMPEGTS
	Audio      AudioMode    // empty: AudioCopy
	Preset     string       // x264/x265 speed preset; empty: "veryfast"
	// Threads per encoder; 0 lets the encoder choose.
	Threads int
	// UseGPU runs the session on CUDA device GPUDevice: NVDEC, scale_cuda
	// and NVENC (where the card has no NVENC the encode runs on the CPU).
	// The zero value is the CPU path; GPUDevice without UseGPU is
	// ErrBadOptions.
	UseGPU    bool
	GPUDevice int
	Limits    Limits
	// ZeroLatency encodes with libx264's and libx265's zerolatency tune:
	// no lookahead, no B-frames (a rendition asking for them is
	// ErrBadOptions), sliced threads. Such an encoder holds no frame, so
	// it stays warm across segments instead of being re-opened for each;
	// it costs some quality at the same bitrate. Other codecs ignore it.
	ZeroLatency bool
	// Cold rebuilds every filter graph and encoder for every segment, as
	// if no segment came before. It is for comparison (opkit bench
	// --cold); by default what can stay warm does (see Session).
	Cold bool
	// DirectScale scales every rendition from the decoded picture. By
	// default (CPU path) a rendition scales from the smallest larger
	// rendition's picture instead (1080p→720p→480p...), which costs less.
	DirectScale bool
}

// Input is one segment: either a file path or bytes in memory. FormatHint
// ("mpegts", "mp4", "flv") skips probing; empty probes.
type Input struct {
	Path       string
	Data       []byte
	FormatHint string
}

// SegmentResult describes one transcoded segment.
type SegmentResult struct {
	Seq            int // 0-based index of the segment within the session
	SourceWidth    int
	SourceHeight   int
	SourceDuration time.Duration
	DecodedFrames  int64
	DecodedPixels  int64
	// Decoder is the libavcodec decoder ("h264", "hevc"); DecoderHW the
	// hardware frame format it decoded into: "cuda" when NVDEC decoded the
	// segment, empty on the CPU.
	Decoder   string
	DecoderHW string
	// HWFallback is, on a GPU session, why this segment was decoded on the
	// CPU (a fixed label; HWFallback.Err() is the ErrHW* error); empty when
	// NVDEC decoded it and on a CPU session.
	HWFallback HWFallbackReason
	Renditions []RenditionResult
	Wall       time.Duration
}

// RenditionResult is one rendition of one segment.
type RenditionResult struct {
	Name     string
	Width    int
	Height   int
	Frames   int64
	Pixels   int64
	Bytes    int64
	SHA256   [32]byte
	Duration time.Duration // media duration of the output
	Wall     time.Duration // time spent in this rendition's filter+encode+mux
	Data     []byte        // the muxed output
	// Filters is the rendition's filter graph (the last one when the
	// source changed mid-segment): scale_cuda on the GPU, scale (swscale)
	// on the CPU. Encoder is the libavcodec encoder, e.g. "libx264" or
	// "h264_nvenc".
	Filters string
	Encoder string
	// WarmGraph and WarmEncoder report that the filter graph and the
	// encoder came warm from the stream's previous segment instead of
	// being built for this one.
	WarmGraph   bool
	WarmEncoder bool
}

// Typed errors for bad input. Every error a Session returns for bad input
// wraps exactly one of these; check with errors.Is.
var (
	ErrNoVideo           = errors.New("no video stream")
	ErrNoKeyframe        = errors.New("no keyframe")
	ErrUnsupportedCodec  = errors.New("unsupported codec")
	ErrUnsupportedPixFmt = errors.New("unsupported pixel format")
	ErrCorrupt           = errors.New("corrupt or truncated input")
	ErrTooLarge          = errors.New("input too large")
	ErrTooLong           = errors.New("input too long")
	// ErrTooManyFrames: more frames per second of media than
	// Limits.MaxFrameRate (timestamps 1 ms apart, say), or more output
	// frames than a rendition's rate allows over Limits.MaxDuration.
	ErrTooManyFrames = errors.New("too many frames")
	// ErrOutputTooLarge: the renditions outgrew Limits.MaxOutputBytes.
	ErrOutputTooLarge = errors.New("output too large")
)

// Errors about the session or the machine rather than the input.
var (
	ErrClosed      = errors.New("session closed")
	ErrNoGPU       = errors.New("no usable NVIDIA GPU")
	ErrBadOptions  = errors.New("invalid session options")
	ErrEncoderOpen = errors.New("cannot open encoder")
)
