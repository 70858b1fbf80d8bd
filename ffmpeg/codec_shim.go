package ffmpeg

//#cgo pkg-config: libavcodec
//#include <libavcodec/avcodec.h>
import "C"

import (
	"fmt"
	"unsafe"

	"github.com/asticode/go-astiav"
)

// codecContextPtr returns the AVCodecContext behind cc. go-astiav v0.16.0
// keeps it, unexported, as the first field of CodecContext and offers no
// accessor; ptrMatchesClass checks that layout at run time.
func codecContextPtr(cc *astiav.CodecContext) *C.AVCodecContext {
	p := *(*unsafe.Pointer)(unsafe.Pointer(cc))
	if !ptrMatchesClass(p, cc) {
		return nil
	}
	return (*C.AVCodecContext)(p)
}

// ptrMatchesClass reports whether p is the object cc's AVClass describes:
// Class.String prints the object's address.
func ptrMatchesClass(p unsafe.Pointer, cc *astiav.CodecContext) bool {
	cl := cc.Class()
	if p == nil || cl == nil {
		return false
	}
	return fmt.Sprintf("%p", p) == classAddr(cl.String())
}

// classAddr extracts the "@ 0x..." address from a Class.String value.
func classAddr(s string) string {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == ' ' {
			return s[i+1:]
		}
	}
	return ""
}

// flushCodec resets a drained decoder (avcodec_flush_buffers) so that it
// accepts packets again while keeping its state warm. It reports false when
// the reset could not be done; the caller then re-creates the decoder.
func flushCodec(cc *astiav.CodecContext) bool {
	p := codecContextPtr(cc)
	if p == nil {
		return false
	}
	C.avcodec_flush_buffers(p)
	return true
}

// encoderCanFlush reports whether the encoder cc was opened with supports
// avcodec_flush_buffers after draining (AV_CODEC_CAP_ENCODER_FLUSH): in
// libavcodec 5.1 that is h264_nvenc and hevc_nvenc, not libx264.
func encoderCanFlush(cc *astiav.CodecContext) bool {
	p := codecContextPtr(cc)
	if p == nil || p.codec == nil {
		return false
	}
	return p.codec.capabilities&C.AV_CODEC_CAP_ENCODER_FLUSH != 0
}
