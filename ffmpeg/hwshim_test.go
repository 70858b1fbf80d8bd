package ffmpeg

import (
	"errors"
	"fmt"
	"strconv"
	"testing"

	"github.com/asticode/go-astiav"
)

// The CUDA path cannot run without an NVIDIA GPU, but the shim's calls are
// the generic hwcontext API. A Vulkan device on Mesa's software rasteriser
// (lavapipe, Debian package mesa-vulkan-drivers) exercises them on any
// machine: a hw frames pool, a buffer source fed hardware frames, a graph
// whose filters get the device, and frames coming back out.

// vulkanDevice opens a Vulkan device or skips.
func vulkanDevice(t *testing.T) *astiav.HardwareDeviceContext {
	t.Helper()
	dev, err := astiav.CreateHardwareDeviceContext(astiav.HardwareDeviceTypeVulkan, "", nil)
	if err != nil {
		t.Skipf("no Vulkan device (install mesa-vulkan-drivers for lavapipe): %v", err)
	}
	t.Cleanup(func() { freeHWDevice(dev) })
	return dev
}

func TestHWShimVulkanBuffersrc(t *testing.T) {
	dev := vulkanDevice(t)
	vk := astiav.FindPixelFormatByName("vulkan")
	frames, err := newHWFrames(dev, vk, astiav.PixelFormatNv12, 320, 180, 0)
	if err != nil {
		t.Fatalf("newHWFrames: %v", err)
	}
	defer frames.free()

	g := astiav.AllocFilterGraph()
	defer g.Free()
	src, err := g.NewFilterContext(astiav.FindFilterByName("buffer"), "in", astiav.FilterArgs{
		"video_size": "320x180", "pix_fmt": strconv.Itoa(int(vk)), "time_base": "1/30", "pixel_aspect": "1/1",
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := setBuffersrcHWFrames(src, frames); err != nil {
		t.Fatalf("setBuffersrcHWFrames: %v", err)
	}
	sink := parseHWGraph(t, g, src, "scale_vulkan=w=160:h=90")
	sinkFrames, err := hwFramesOfSink(sink)
	if err != nil || sinkFrames == nil {
		t.Fatalf("hwFramesOfSink = %v, %v; want the scaler's frames", sinkFrames, err)
	}
	defer sinkFrames.free()
	cc := astiav.AllocCodecContext(astiav.FindEncoderByName("libx264"))
	defer cc.Free()
	if err := setCodecHWFrames(cc, sinkFrames); err != nil {
		t.Fatalf("setCodecHWFrames: %v", err)
	}

	// Upload a software frame into a pool surface, scale it on the device,
	// download the result.
	hw := uploadBlack(t, frames, 320, 180)
	if got := hwFramesOfFrame(hw); got == nil {
		t.Fatal("pool frame has no hw frames context")
	} else {
		got.free()
	}
	out := pushPull(t, src, sink, hw)
	defer out.Free()
	if out.Width() != 160 || out.Height() != 90 || out.PixelFormat() != vk {
		t.Fatalf("scaled frame %dx%d %s, want 160x90 vulkan", out.Width(), out.Height(), out.PixelFormat())
	}
	down := astiav.AllocFrame()
	defer down.Free()
	if err := out.TransferHardwareData(down); err != nil {
		t.Fatalf("download: %v", err)
	}
	if down.Width() != 160 || down.Height() != 90 {
		t.Fatalf("downloaded %dx%d, want 160x90", down.Width(), down.Height())
	}
}

func TestHWShimVulkanGraphDevice(t *testing.T) {
	dev := vulkanDevice(t)
	for _, withDevice := range []bool{false, true} {
		t.Run(fmt.Sprintf("device=%v", withDevice), func(t *testing.T) {
			g, parse := newTestGraph(t, "64x64", astiav.PixelFormatNv12)
			if err := parse("hwupload"); err != nil {
				t.Fatal(err)
			}
			if withDevice {
				if err := setGraphHWDevice(g, dev); err != nil {
					t.Fatalf("setGraphHWDevice: %v", err)
				}
			}
			err := g.Configure()
			// hwupload needs the device: configuring fails without it.
			if withDevice != (err == nil) {
				t.Fatalf("Configure with device=%v: %v", withDevice, err)
			}
		})
	}
}

// parseHWGraph links src → desc → buffersink and configures g.
func parseHWGraph(t *testing.T, g *astiav.FilterGraph, src *astiav.FilterContext, desc string) *astiav.FilterContext {
	t.Helper()
	sink, err := g.NewFilterContext(astiav.FindFilterByName("buffersink"), "out", nil)
	if err != nil {
		t.Fatal(err)
	}
	outputs := inOutList([]string{"in"}, []*astiav.FilterContext{src})
	defer outputs.Free()
	inputs := inOutList([]string{"out"}, []*astiav.FilterContext{sink})
	defer inputs.Free()
	if err := g.Parse(desc, inputs, outputs); err != nil {
		t.Fatalf("parse %q: %v", desc, err)
	}
	if err := g.Configure(); err != nil {
		t.Fatalf("configure %q: %v", desc, err)
	}
	return sink
}

// pushPull sends one frame and end of stream, and returns the first output.
func pushPull(t *testing.T, src, sink *astiav.FilterContext, in *astiav.Frame) *astiav.Frame {
	t.Helper()
	if err := src.BuffersrcAddFrame(in, astiav.NewBuffersrcFlags(astiav.BuffersrcFlagKeepRef)); err != nil {
		t.Fatalf("add frame: %v", err)
	}
	if err := src.BuffersrcAddFrame(nil, astiav.NewBuffersrcFlags()); err != nil {
		t.Fatalf("end of stream: %v", err)
	}
	out := astiav.AllocFrame()
	if err := sink.BuffersinkGetFrame(out, astiav.NewBuffersinkFlags()); err != nil {
		out.Free()
		if errors.Is(err, astiav.ErrEof) {
			t.Fatal("graph gave no frame")
		}
		t.Fatalf("get frame: %v", err)
	}
	return out
}

// TestHWShimDeviceRef shows why refHWDevice exists: go-astiav's
// CodecContext.Free releases the device reference it was given, so each
// codec context gets its own and the session's device stays valid.
func TestHWShimDeviceRef(t *testing.T) {
	dev := vulkanDevice(t)
	for i := 0; i < 3; i++ {
		ref, err := refHWDevice(dev)
		if err != nil {
			t.Fatal(err)
		}
		cc := astiav.AllocCodecContext(astiav.FindDecoder(astiav.CodecIDH264))
		cc.SetHardwareDeviceContext(ref)
		cc.Free()
		if _, err := cPtr(ref); err == nil {
			t.Fatal("CodecContext.Free left the handed-over reference set")
		}
	}
	frames, err := newHWFrames(dev, astiav.FindPixelFormatByName("vulkan"), astiav.PixelFormatNv12, 64, 64, 0)
	if err != nil {
		t.Fatalf("device unusable after codec contexts were freed: %v", err)
	}
	frames.free()
}
