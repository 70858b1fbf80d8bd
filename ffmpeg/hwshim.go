package ffmpeg

//#cgo pkg-config: libavcodec libavfilter libavutil
//#cgo LDFLAGS: -ldl
//#include <stdlib.h>
//#include "hwshim.h"
import "C"

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"unsafe"

	"github.com/asticode/go-astiav"
)

// Go side of hwshim.c: the GPU path's calls that go-astiav v0.16.0 lacks.
// The engine builds its CUDA pipeline with these:
//
//	decoder:  cc.SetHardwareDeviceContext(refHWDevice(dev)) + get_format CUDA
//	graph:    buffer(pix_fmt=cuda) with setBuffersrcHWFrames(src, hwFramesOfFrame(first decoded frame)),
//	          scale_cuda=w:h..., setGraphHWDevice before Configure
//	encoder:  setCodecHWFrames(enc, hwFramesOfSink(sink)) before Open, pix_fmt cuda
//
// avcodec_flush_buffers is flushCodec in codec_shim.go.
//
// Ownership gotcha in go-astiav v0.16.0: CodecContext.Free unrefs the
// *caller's* HardwareDeviceContext passed to SetHardwareDeviceContext (and
// leaves it NULL), and HardwareDeviceContext has no Free. Give every codec
// context its own reference from refHWDevice, and release the session's own
// device with freeHWDevice.

// errLayout is returned when go-astiav's structs do not have the layout the
// shim relies on (first field: the C pointer); nothing is dereferenced then.
var errLayout = errors.New("go-astiav struct layout not as expected by the hw shim")

// cPtr returns the C object behind a go-astiav wrapper whose first field is
// its C pointer (true of FilterContext, FilterGraph, CodecContext, Frame and
// HardwareDeviceContext in v0.16.0), after checking that layout through
// reflection.
func cPtr[T any](v *T) (unsafe.Pointer, error) {
	t := reflect.TypeFor[T]()
	if t.Kind() != reflect.Struct || t.NumField() < 1 {
		return nil, errLayout
	}
	f := t.Field(0)
	if f.Name != "c" || f.Offset != 0 || f.Type.Kind() != reflect.Pointer {
		return nil, fmt.Errorf("%w: %s", errLayout, t)
	}
	if v == nil {
		return nil, fmt.Errorf("nil %s", t)
	}
	p := *(*unsafe.Pointer)(unsafe.Pointer(v))
	if p == nil {
		return nil, fmt.Errorf("%s has no C object (freed?)", t)
	}
	return p, nil
}

// hwFrames is one reference to an AVHWFramesContext (a pool of GPU frames).
// free releases it; the objects it was handed to keep their own references.
type hwFrames struct{ ref *C.AVBufferRef }

func (f *hwFrames) free() {
	if f != nil && f.ref != nil {
		C.av_buffer_unref(&f.ref)
	}
}

// id identifies the pool, as hwFramesID does for a frame; 0 for nil.
func (f *hwFrames) id() uintptr {
	if f == nil || f.ref == nil {
		return 0
	}
	return uintptr(unsafe.Pointer(f.ref.data))
}

// newHWFrames allocates and initialises a frames pool on dev: hwFmt frames
// (astiav.PixelFormatCuda) over swFmt surfaces of w×h, pool frames preallocated
// (0: on demand).
func newHWFrames(dev *astiav.HardwareDeviceContext, hwFmt, swFmt astiav.PixelFormat, w, h, pool int) (*hwFrames, error) {
	d, err := cPtr(dev)
	if err != nil {
		return nil, fmt.Errorf("hw frames: %w", err)
	}
	f := &hwFrames{}
	if ret := C.opkit_hwframes_new((*C.AVBufferRef)(d), C.int(hwFmt), C.int(swFmt), C.int(w), C.int(h), C.int(pool), &f.ref); ret < 0 {
		return nil, fmt.Errorf("hw frames %dx%d %s: %w", w, h, swFmt, astiav.Error(ret))
	}
	return f, nil
}

// getBuffer gives fr (unreferenced) a surface from the pool; upload into it
// with swFrame.TransferHardwareData(fr).
func (f *hwFrames) getBuffer(fr *astiav.Frame) error {
	if f == nil || f.ref == nil {
		return errors.New("hw frame buffer: no frames context")
	}
	if ret := C.opkit_hwframe_get_buffer(f.ref, (*C.AVFrame)(fr.UnsafePointer())); ret < 0 {
		return fmt.Errorf("hw frame buffer: %w", astiav.Error(ret))
	}
	return nil
}

// hwFramesOfFrame returns a new reference to the frames context a decoded
// hardware frame belongs to, or nil for a software frame.
func hwFramesOfFrame(fr *astiav.Frame) *hwFrames {
	ref := C.opkit_frame_hw_frames((*C.AVFrame)(fr.UnsafePointer()))
	if ref == nil {
		return nil
	}
	return &hwFrames{ref: C.av_buffer_ref(ref)}
}

// hwFramesID identifies the frames pool a hardware frame's surface comes
// from (its AVHWFramesContext), 0 for a software frame. A graph built for
// one pool must be rebuilt for frames of another, even of the same size:
// hwdownload refuses frames from a pool it was not configured with.
func hwFramesID(fr *astiav.Frame) uintptr {
	return uintptr(C.opkit_frame_hw_frames_id((*C.AVFrame)(fr.UnsafePointer())))
}

// hwFramesOfSink returns a new reference to the frames context of a
// configured buffersink's input (the output of scale_cuda), or nil when the
// sink receives software frames.
func hwFramesOfSink(sink *astiav.FilterContext) (*hwFrames, error) {
	p, err := cPtr(sink)
	if err != nil {
		return nil, fmt.Errorf("buffersink hw frames: %w", err)
	}
	ref := C.opkit_buffersink_hw_frames((*C.AVFilterContext)(p))
	if ref == nil {
		return nil, nil
	}
	return &hwFrames{ref: C.av_buffer_ref(ref)}, nil
}

// setBuffersrcHWFrames makes a buffer source accept frames from fr; call it
// before the graph is configured.
func setBuffersrcHWFrames(src *astiav.FilterContext, fr *hwFrames) error {
	p, err := cPtr(src)
	if err != nil {
		return fmt.Errorf("buffersrc hw frames: %w", err)
	}
	if fr == nil || fr.ref == nil {
		return errors.New("buffersrc hw frames: no frames context")
	}
	if ret := C.opkit_buffersrc_set_hw_frames((*C.AVFilterContext)(p), fr.ref); ret < 0 {
		return fmt.Errorf("buffersrc hw frames: %w", astiav.Error(ret))
	}
	return nil
}

// setGraphHWDevice gives every filter in g the device; call it after
// parsing and before configuring.
func setGraphHWDevice(g *astiav.FilterGraph, dev *astiav.HardwareDeviceContext) error {
	gp, err := cPtr(g)
	if err != nil {
		return fmt.Errorf("graph hw device: %w", err)
	}
	dp, err := cPtr(dev)
	if err != nil {
		return fmt.Errorf("graph hw device: %w", err)
	}
	if ret := C.opkit_graph_set_hw_device((*C.AVFilterGraph)(gp), (*C.AVBufferRef)(dp)); ret < 0 {
		return fmt.Errorf("graph hw device: %w", astiav.Error(ret))
	}
	return nil
}

// setCodecHWFrames sets an encoder's hw_frames_ctx; call it before Open.
func setCodecHWFrames(cc *astiav.CodecContext, fr *hwFrames) error {
	p, err := cPtr(cc)
	if err != nil {
		return fmt.Errorf("codec hw frames: %w", err)
	}
	if fr == nil || fr.ref == nil {
		return errors.New("codec hw frames: no frames context")
	}
	if ret := C.opkit_codec_set_hw_frames((*C.AVCodecContext)(p), fr.ref); ret < 0 {
		return fmt.Errorf("codec hw frames: %w", astiav.Error(ret))
	}
	return nil
}

// refHWDevice returns a new, independent reference to dev, to hand to one
// CodecContext.SetHardwareDeviceContext (which frees it with the codec
// context).
func refHWDevice(dev *astiav.HardwareDeviceContext) (*astiav.HardwareDeviceContext, error) {
	p, err := cPtr(dev)
	if err != nil {
		return nil, fmt.Errorf("hw device ref: %w", err)
	}
	ref := C.av_buffer_ref((*C.AVBufferRef)(p))
	if ref == nil {
		return nil, errors.New("hw device ref: out of memory")
	}
	nd := &astiav.HardwareDeviceContext{}
	*(*unsafe.Pointer)(unsafe.Pointer(nd)) = unsafe.Pointer(ref)
	return nd, nil
}

// freeHWDevice releases a device reference that no codec context owns.
// Safe on nil and on a reference a CodecContext.Free already released.
func freeHWDevice(dev *astiav.HardwareDeviceContext) {
	if dev == nil {
		return
	}
	if _, err := cPtr(dev); err != nil {
		return
	}
	C.av_buffer_unref((**C.AVBufferRef)(unsafe.Pointer(dev)))
}

var cudaDriver struct {
	once sync.Once
	err  error
}

// loadCUDADriver dlopens the CUDA driver once; its error says why there is
// no driver (library missing, cuInit failure).
func loadCUDADriver() error {
	cudaDriver.once.Do(func() {
		buf := make([]byte, 256)
		if C.opkit_cuda_load((*C.char)(unsafe.Pointer(&buf[0])), C.int(len(buf))) != 0 {
			cudaDriver.err = errors.New(C.GoString((*C.char)(unsafe.Pointer(&buf[0]))))
		}
	})
	return cudaDriver.err
}

// cudaDeviceCount is cuDeviceGetCount through the dlopen'd driver.
func cudaDeviceCount() (int, error) {
	if err := loadCUDADriver(); err != nil {
		return 0, err
	}
	var n C.int
	if ret := C.opkit_cuda_device_count(&n); ret != 0 {
		return 0, fmt.Errorf("cuDeviceGetCount: CUresult %d", int(ret))
	}
	return int(n), nil
}

// cudaDeviceName is cuDeviceGetName; empty when it cannot be read.
func cudaDeviceName(idx int) string {
	if loadCUDADriver() != nil {
		return ""
	}
	buf := make([]byte, 256)
	if C.opkit_cuda_device_name(C.int(idx), (*C.char)(unsafe.Pointer(&buf[0])), C.int(len(buf))) != 0 {
		return ""
	}
	return C.GoString((*C.char)(unsafe.Pointer(&buf[0])))
}
