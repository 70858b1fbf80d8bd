package ffmpeg

import (
	"context"
	"strconv"
	"sync"

	"github.com/asticode/go-astiav"
)

// hwState is a session's CUDA device, kept warm for the session's life. The
// GPU path decodes with NVDEC into CUDA frames, scales with scale_cuda and
// encodes with NVENC from GPU memory; on a card without NVENC (A100, H100)
// or for VP9/AV1 renditions, each rendition downloads its scaled frames
// (hwdownload) and encodes on the CPU.
type hwState struct {
	dev   *astiav.HardwareDeviceContext
	nvenc bool // h264_nvenc opens on the device
}

// openHW opens CUDA device idx, or answers an error wrapping ErrNoGPU.
func openHW(idx int) (*hwState, error) {
	dev, err := astiav.CreateHardwareDeviceContext(astiav.HardwareDeviceTypeCUDA, strconv.Itoa(idx), nil)
	if err != nil {
		return nil, noGPUError(idx, err, loadCUDADriver())
	}
	return &hwState{dev: dev, nvenc: hasNVENC(idx, dev)}, nil
}

// nvencByDevice caches, per device index, whether h264_nvenc opens there:
// probing opens an encoder, which takes a while.
var nvencByDevice struct {
	sync.Mutex
	m map[int]bool
}

func hasNVENC(idx int, dev *astiav.HardwareDeviceContext) bool {
	nvencByDevice.Lock()
	defer nvencByDevice.Unlock()
	if ok, found := nvencByDevice.m[idx]; found {
		return ok
	}
	if nvencByDevice.m == nil {
		nvencByDevice.m = map[int]bool{}
	}
	ok := probeNVENCSessions(context.Background(), dev, 1) > 0
	nvencByDevice.m[idx] = ok
	return ok
}

func (h *hwState) free() {
	freeHWDevice(h.dev)
	h.dev = nil
}

// encoderFor is the NVENC encoder for codec c, or "" to encode on the CPU.
func (h *hwState) encoderFor(c Codec) string {
	if h == nil || !h.nvenc {
		return ""
	}
	name := ""
	switch c {
	case CodecH264:
		name = "h264_nvenc"
	case CodecHEVC:
		name = "hevc_nvenc"
	}
	if name != "" && !HasEncoder(name) {
		return ""
	}
	return name
}

// hwFilterSpec is a rendition's graph on CUDA frames: scale_cuda, then
// either stay on the GPU for NVENC or download for a CPU encoder.
// scale_cuda converts whatever NVDEC decoded into (NV12, P010, P016, 4:4:4)
// to NV12 on the GPU (format=nv12; FFmpeg 5.1's vf_scale_cuda converts
// between all of its formats), and always into its own pool
// (passthrough=0): a same-size rendition would otherwise hand the decoder's
// surfaces on to the encoder, which could hold more of them than the pool
// was sized for.
func hwFilterSpec(fps string, w, h int, nvenc bool, c Codec) string {
	s := fps + "scale_cuda=w=" + strconv.Itoa(w) + ":h=" + strconv.Itoa(h) + ":format=nv12:passthrough=0"
	if nvenc {
		return s
	}
	s += ",hwdownload,format=nv12"
	if c != CodecH264 { // libx264 takes NV12 as is
		s += ",format=yuv420p"
	}
	return s
}
