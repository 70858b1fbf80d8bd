package ffmpeg

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/asticode/go-astiav"
)

// Device is one NVIDIA GPU as ProbeDevices found it.
type Device struct {
	Index int    // CUDA device index, as given to --nvidia
	Name  string // e.g. "NVIDIA GeForce RTX 3090"; empty when the driver does not say
	// NVENC reports whether h264_nvenc opens on the device. Cards without
	// NVENC (A100, H100) still decode and scale; the session then encodes
	// on the CPU.
	NVENC bool
	// MaxEncodeSessions is how many h264_nvenc encoders opened at once on
	// the device, probed up to MaxProbedSessions (which then means "at
	// least"). Consumer cards are capped by the driver (3 to 8).
	MaxEncodeSessions int
}

// MaxProbedSessions caps the NVENC session probe.
const MaxProbedSessions = 32

// maxCUDADevices bounds device enumeration when the driver cannot count.
const maxCUDADevices = 16

// ProbeDevices finds the CUDA devices FFmpeg can use: for each it creates a
// CUDA hardware device context (av_hwdevice_ctx_create, as the session does)
// and probes NVENC by opening h264_nvenc encoders on it until one fails.
// Without a usable GPU (no driver, no device, FFmpeg built without CUDA) it
// returns an error wrapping ErrNoGPU with libav's or the driver's reason.
func ProbeDevices(ctx context.Context) ([]Device, error) {
	initLogging()
	n, cerr := cudaDeviceCount()
	limit := maxCUDADevices
	if cerr == nil {
		limit = n
	}
	var devs []Device
	for i := 0; i < limit; i++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("probe devices: %w", err)
		}
		dev, err := astiav.CreateHardwareDeviceContext(astiav.HardwareDeviceTypeCUDA, strconv.Itoa(i), nil)
		if err != nil {
			if len(devs) == 0 {
				return nil, noGPUError(i, err, cerr)
			}
			break // enumeration past the last device
		}
		d := Device{Index: i, Name: cudaDeviceName(i)}
		d.MaxEncodeSessions = probeNVENCSessions(ctx, dev, MaxProbedSessions)
		d.NVENC = d.MaxEncodeSessions > 0
		freeHWDevice(dev)
		devs = append(devs, d)
	}
	if len(devs) == 0 {
		return nil, noGPUError(0, errors.New("the CUDA driver reports no device"), cerr)
	}
	return devs, nil
}

func noGPUError(idx int, libavErr, driverErr error) error {
	if driverErr != nil {
		return fmt.Errorf("%w: cuda device %d: %w (driver: %v)", ErrNoGPU, idx, libavErr, driverErr)
	}
	return fmt.Errorf("%w: cuda device %d: %w", ErrNoGPU, idx, libavErr)
}

// probeNVENCSessions opens up to max h264_nvenc encoders at once on dev and
// returns how many opened.
func probeNVENCSessions(ctx context.Context, dev *astiav.HardwareDeviceContext, max int) int {
	codec := astiav.FindEncoderByName("h264_nvenc")
	if codec == nil {
		return 0
	}
	var open []*astiav.CodecContext
	defer func() {
		for _, cc := range open {
			cc.Free()
		}
	}()
	for len(open) < max && ctx.Err() == nil {
		cc, err := openProbeEncoder(codec, dev)
		if err != nil {
			break
		}
		open = append(open, cc)
	}
	return len(open)
}

// openProbeEncoder opens a small software-input NVENC encoder on dev.
func openProbeEncoder(codec *astiav.Codec, dev *astiav.HardwareDeviceContext) (*astiav.CodecContext, error) {
	cc := astiav.AllocCodecContext(codec)
	if cc == nil {
		return nil, errors.New("allocating encoder failed")
	}
	ref, err := refHWDevice(dev)
	if err != nil {
		cc.Free()
		return nil, err
	}
	cc.SetHardwareDeviceContext(ref) // cc owns ref from here
	cc.SetWidth(640)
	cc.SetHeight(360)
	cc.SetPixelFormat(astiav.PixelFormatYuv420P)
	cc.SetTimeBase(astiav.NewRational(1, 30))
	cc.SetFramerate(astiav.NewRational(30, 1))
	cc.SetBitRate(1_000_000)
	if err := cc.Open(codec, nil); err != nil {
		cc.Free()
		return nil, fmt.Errorf("%w: h264_nvenc: %w", ErrEncoderOpen, err)
	}
	return cc, nil
}

// ParseGPUList parses the --nvidia value: "all", or a comma-separated list
// of device indexes ("0,1"), each below available (the number of devices
// ProbeDevices found). The empty string means no GPU (nil, nil). Errors wrap
// ErrBadOptions, or ErrNoGPU when a GPU is asked for and none is available.
func ParseGPUList(s string, available int) ([]int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	if available <= 0 {
		return nil, fmt.Errorf("--nvidia %q: %w", s, ErrNoGPU)
	}
	if strings.EqualFold(s, "all") {
		all := make([]int, available)
		for i := range all {
			all[i] = i
		}
		return all, nil
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		idx, err := strconv.Atoi(f)
		switch {
		case err != nil || f == "" || f[0] == '+' || f[0] == '-':
			return nil, fmt.Errorf("--nvidia %q: %w: %q is not a device index", s, ErrBadOptions, f)
		case idx >= available:
			return nil, fmt.Errorf("--nvidia %q: %w: device %d does not exist (%d available)", s, ErrBadOptions, idx, available)
		case slices.Contains(out, idx):
			return nil, fmt.Errorf("--nvidia %q: %w: device %d listed twice", s, ErrBadOptions, idx)
		}
		out = append(out, idx)
	}
	return out, nil
}

// HasEncoder reports whether the linked libavcodec has the named encoder
// (e.g. "libx265", "libvpx-vp9", "libsvtav1", "h264_nvenc"). Having
// h264_nvenc says nothing about a GPU; see ProbeDevices.
func HasEncoder(name string) bool {
	return astiav.FindEncoderByName(name) != nil
}
