package ffmpeg

//#include <stdlib.h>
//#include "hwshim.h"
import "C"

import (
	"errors"
	"unsafe"

	"github.com/asticode/go-astiav"
)

// Why a GPU session decodes a stream on the CPU. The segment still
// succeeds: its SegmentResult.HWFallback names the reason, and the session
// logs a warning (libav log class "opkit") when it decides. Check with
// errors.Is on HWFallbackReason.Err().
var (
	// ErrHWSurfaces: the stream's DPB leaves no room within NVDEC's 32
	// decode surfaces for even one queued frame (see planSurfaces).
	ErrHWSurfaces = errors.New("NVDEC would need more than 32 decode surfaces")
	// ErrHWPixelFormat: FFmpeg 5.1's NVDEC does not decode the stream's
	// pixel format (H.264 above 8-bit or not 4:2:0, any 4:2:2...).
	ErrHWPixelFormat = errors.New("pixel format not decodable by NVDEC")
	// ErrHWCodec: the linked libavcodec has no NVDEC decoding for the codec.
	ErrHWCodec = errors.New("codec not decodable by NVDEC")
	// ErrHWDeviceUnavailable: the session's CUDA device could not be given
	// to the decoder.
	ErrHWDeviceUnavailable = errors.New("CUDA device unavailable to the decoder")
	// ErrHWDecoderInit: libavcodec's NVDEC initialisation failed (the
	// driver refused the decoder: capabilities, memory, missing
	// libnvcuvid); libav's log says why.
	ErrHWDecoderInit = errors.New("NVDEC initialisation failed")
)

// HWFallbackReason names, as a fixed metric label, why a segment of a GPU
// session was decoded on the CPU; empty when it was not (or when the
// session has no GPU).
type HWFallbackReason string

// The reasons, one per ErrHW* error.
const (
	HWFallbackNone        HWFallbackReason = ""
	HWFallbackSurfaces    HWFallbackReason = "surfaces"
	HWFallbackPixelFormat HWFallbackReason = "pixel_format"
	HWFallbackCodec       HWFallbackReason = "codec"
	HWFallbackDevice      HWFallbackReason = "device_unavailable"
	HWFallbackDecoderInit HWFallbackReason = "decoder_init"
)

var hwFallbackErrs = []struct {
	r   HWFallbackReason
	err error
}{
	{HWFallbackSurfaces, ErrHWSurfaces},
	{HWFallbackPixelFormat, ErrHWPixelFormat},
	{HWFallbackCodec, ErrHWCodec},
	{HWFallbackDevice, ErrHWDeviceUnavailable},
	{HWFallbackDecoderInit, ErrHWDecoderInit},
}

// Err is the sentinel error of the reason, nil for HWFallbackNone.
func (r HWFallbackReason) Err() error {
	for _, e := range hwFallbackErrs {
		if e.r == r {
			return e.err
		}
	}
	return nil
}

// HWFallbackOf maps an error wrapping one of the ErrHW* errors to its
// reason; any other non-nil error is HWFallbackDecoderInit.
func HWFallbackOf(err error) HWFallbackReason {
	if err == nil {
		return HWFallbackNone
	}
	for _, e := range hwFallbackErrs {
		if errors.Is(err, e.err) {
			return e.r
		}
	}
	return HWFallbackDecoderInit
}

// warnHWFallback logs, at warning level through libav's log (so that
// SetLogHandler receives it, class "opkit"), that a GPU session decodes on
// the CPU and why.
func warnHWFallback(err error) {
	logOpkit(LogWarning, "GPU session decodes on the CPU ("+string(HWFallbackOf(err))+"): "+err.Error())
}

// logOpkit writes one message to libav's log as the "opkit" class.
func logOpkit(level LogLevel, msg string) {
	initLogging()
	cs := C.CString(msg)
	defer C.free(unsafe.Pointer(cs))
	C.opkit_log(C.int(level), cs)
}

// nvdecSurfaceFormat is the software format of the CUDA frames FFmpeg 5.1's
// NVDEC decodes a stream of codec id and decoded format sw into, or
// PixelFormatNone when it cannot decode it.
//
// ff_nvdec_frame_params (libavcodec/nvdec.c) picks NV12 for 8-bit 4:2:0,
// P010 for 10-bit and P016 for 12-bit, and YUV444P / YUV444P16 for 4:4:4
// only where the codec's glue sets supports_444 (HEVC). H.264's
// get_pixel_format (h264_slice.c) offers CUDA for 8-bit pictures only, and
// the hardware has no 4:2:2. For VP9 and AV1 this assumes 4:2:0 up to
// 12 and 10 bits, and 8-bit 4:2:0 for the older codecs; get_format refuses
// what libavcodec does not offer anyway (ErrHWPixelFormat then too).
func nvdecSurfaceFormat(id astiav.CodecID, sw astiav.PixelFormat) astiav.PixelFormat {
	var bits int
	var c444 bool
	switch sw {
	case astiav.PixelFormatYuv420P, astiav.PixelFormatYuvj420P:
		bits = 8
	case astiav.PixelFormatYuv420P10Le:
		bits = 10
	case astiav.PixelFormatYuv420P12Le:
		bits = 12
	case astiav.PixelFormatYuv444P, astiav.PixelFormatYuvj444P:
		bits, c444 = 8, true
	case astiav.PixelFormatYuv444P10Le:
		bits, c444 = 10, true
	case astiav.PixelFormatYuv444P12Le:
		bits, c444 = 12, true
	default:
		return astiav.PixelFormatNone
	}
	maxBits, has444 := 8, false
	switch {
	case id == astiav.CodecIDH264:
	case id == astiav.CodecIDHevc:
		maxBits, has444 = 12, true
	case id == astiav.CodecIDVp9:
		maxBits = 12
	case id.Name() == "av1":
		maxBits = 10
	case id == astiav.CodecIDMpeg2Video, id == astiav.CodecIDMpeg4, id == astiav.CodecIDVp8:
	default:
		return astiav.PixelFormatNone
	}
	switch {
	case bits > maxBits || (c444 && !has444):
		return astiav.PixelFormatNone
	case c444 && bits == 8:
		return astiav.PixelFormatYuv444P
	case c444:
		return astiav.PixelFormatYuv444P16Le
	case bits == 8:
		return astiav.PixelFormatNv12
	case bits == 10:
		return astiav.PixelFormatP010Le
	}
	return astiav.PixelFormatP016Le
}

// scaleCUDAInputs are the frame formats FFmpeg 5.1's scale_cuda takes
// (supported_formats in libavfilter/vf_scale_cuda.c, less the RGB ones);
// it converts between any two of them with its format option, so every
// rendition graph asks it for NV12, what NVENC and the CPU encoders take.
var scaleCUDAInputs = []astiav.PixelFormat{
	astiav.PixelFormatYuv420P, astiav.PixelFormatNv12, astiav.PixelFormatYuv444P,
	astiav.PixelFormatP010Le, astiav.PixelFormatP016Le, astiav.PixelFormatYuv444P16Le,
}

// gpuDecodable decides whether a stream of codec id decoded as sw stays on
// the GPU: NVDEC must decode it into a format scale_cuda converts to NV12.
// It answers an error wrapping ErrHWPixelFormat otherwise. An unknown sw
// (PixelFormatNone, before decoding) is left to get_format.
func gpuDecodable(id astiav.CodecID, sw astiav.PixelFormat) error {
	if sw == astiav.PixelFormatNone {
		return nil
	}
	out := nvdecSurfaceFormat(id, sw)
	if out == astiav.PixelFormatNone {
		return &hwPixFmtError{codec: id, pixFmt: sw}
	}
	for _, f := range scaleCUDAInputs {
		if f == out {
			return nil
		}
	}
	return &hwPixFmtError{codec: id, pixFmt: sw}
}

type hwPixFmtError struct {
	codec  astiav.CodecID
	pixFmt astiav.PixelFormat
}

func (e *hwPixFmtError) Error() string {
	return ErrHWPixelFormat.Error() + ": " + e.codec.Name() + " " + e.pixFmt.Name()
}

func (e *hwPixFmtError) Unwrap() error { return ErrHWPixelFormat }
