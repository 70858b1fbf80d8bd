package ffmpeg

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/asticode/go-astiav"
)

func TestProbeDevices(t *testing.T) {
	devs, err := ProbeDevices(context.Background())
	if _, derr := cudaDeviceCount(); derr != nil && !errors.Is(err, ErrNoGPU) {
		t.Fatalf("no CUDA driver (%v) but ProbeDevices = %+v, %v; want ErrNoGPU", derr, devs, err)
	}
	if errors.Is(err, ErrNoGPU) {
		t.Logf("no GPU here, as expected on CPU machines: %v", err)
		if devs != nil {
			t.Fatalf("devices %+v returned with ErrNoGPU", devs)
		}
		return
	}
	if err != nil {
		t.Fatalf("ProbeDevices: %v (want devices or ErrNoGPU)", err)
	}
	for i, d := range devs {
		t.Logf("device %+v", d)
		if d.Index != i || d.NVENC != (d.MaxEncodeSessions > 0) || d.MaxEncodeSessions > MaxProbedSessions {
			t.Errorf("inconsistent device %+v at %d", d, i)
		}
	}
}

func TestProbeDevicesCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	devs, err := ProbeDevices(ctx)
	if err == nil || !(errors.Is(err, ErrNoGPU) || errors.Is(err, context.Canceled)) {
		t.Fatalf("ProbeDevices(cancelled) = %+v, %v", devs, err)
	}
}

func TestParseGPUList(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		available int
		want      []int
		wantErr   error
	}{
		{"empty means CPU", "", 2, nil, nil},
		{"blank means CPU", "  ", 0, nil, nil},
		{"all", "all", 3, []int{0, 1, 2}, nil},
		{"ALL any case", "ALL", 1, []int{0}, nil},
		{"list", "0,1", 2, []int{0, 1}, nil},
		{"order kept", "2,0", 4, []int{2, 0}, nil},
		{"spaces", " 1 , 0 ", 2, []int{1, 0}, nil},
		{"single", "1", 2, []int{1}, nil},
		{"no GPU available", "all", 0, nil, ErrNoGPU},
		{"index with no GPU", "0", 0, nil, ErrNoGPU},
		{"out of range", "2", 2, nil, ErrBadOptions},
		{"negative", "-1", 2, nil, ErrBadOptions},
		{"plus sign", "+1", 2, nil, ErrBadOptions},
		{"duplicate", "0,0", 2, nil, ErrBadOptions},
		{"empty item", "0,,1", 2, nil, ErrBadOptions},
		{"trailing comma", "0,", 2, nil, ErrBadOptions},
		{"word", "first", 2, nil, ErrBadOptions},
		{"hex", "0x1", 2, nil, ErrBadOptions},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseGPUList(tt.in, tt.available)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("ParseGPUList(%q, %d) = %v, %v; want %v", tt.in, tt.available, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Fatalf("ParseGPUList(%q, %d) = %v, %v; want %v", tt.in, tt.available, got, err, tt.want)
			}
		})
	}
}

func TestHasEncoder(t *testing.T) {
	// The reference ladder needs these two in every build opkit supports.
	for _, name := range []string{"libx264", "aac"} {
		if !HasEncoder(name) {
			t.Errorf("HasEncoder(%q) = false", name)
		}
	}
	if HasEncoder("no-such-encoder") {
		t.Error("HasEncoder(no-such-encoder) = true")
	}
	for _, name := range []string{"libx265", "libvpx-vp9", "libsvtav1", "h264_nvenc", "hevc_nvenc"} {
		t.Logf("%s: %v", name, HasEncoder(name))
	}
}

// TestHWShimLayout checks that go-astiav's wrappers still have the layout
// the shim reads, so a go-astiav upgrade fails here rather than in C.
func TestHWShimLayout(t *testing.T) {
	f := astiav.AllocFrame()
	defer f.Free()
	if p, err := cPtr(f); err != nil || p != f.UnsafePointer() {
		t.Fatalf("cPtr(frame) = %p, %v; want %p", p, err, f.UnsafePointer())
	}
	g := astiav.AllocFilterGraph()
	defer g.Free()
	if _, err := cPtr(g); err != nil {
		t.Fatalf("cPtr(filter graph): %v", err)
	}
	cc := astiav.AllocCodecContext(astiav.FindEncoderByName("libx264"))
	defer cc.Free()
	if _, err := cPtr(cc); err != nil {
		t.Fatalf("cPtr(codec context): %v", err)
	}
	if _, err := cPtr(&astiav.HardwareDeviceContext{}); err == nil {
		t.Fatal("cPtr(empty device context) gave no error")
	}
	var nilCtx *astiav.FilterContext
	if _, err := cPtr(nilCtx); err == nil {
		t.Fatal("cPtr(nil) gave no error")
	}
}

// TestHWShimNoDevice exercises the shim's error paths, which must not crash
// without a device.
func TestHWShimNoDevice(t *testing.T) {
	if _, err := newHWFrames(&astiav.HardwareDeviceContext{}, astiav.PixelFormatCuda, astiav.PixelFormatNv12, 64, 64, 0); err == nil {
		t.Fatal("newHWFrames without a device gave no error")
	}
	if _, err := refHWDevice(&astiav.HardwareDeviceContext{}); err == nil {
		t.Fatal("refHWDevice without a device gave no error")
	}
	freeHWDevice(nil)
	freeHWDevice(&astiav.HardwareDeviceContext{})

	fr := astiav.AllocFrame()
	defer fr.Free()
	if hwFramesOfFrame(fr) != nil {
		t.Fatal("software frame has a hw frames context")
	}
	g := astiav.AllocFilterGraph()
	defer g.Free()
	if err := setGraphHWDevice(g, &astiav.HardwareDeviceContext{}); err == nil {
		t.Fatal("setGraphHWDevice without a device gave no error")
	}
	sink, err := g.NewFilterContext(astiav.FindFilterByName("buffersink"), "out", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := setBuffersrcHWFrames(sink, nil); err == nil {
		t.Fatal("setBuffersrcHWFrames(nil frames) gave no error")
	}
	cc := astiav.AllocCodecContext(astiav.FindEncoderByName("libx264"))
	defer cc.Free()
	if err := setCodecHWFrames(cc, nil); err == nil {
		t.Fatal("setCodecHWFrames(nil frames) gave no error")
	}
	var nf *hwFrames
	nf.free()
}
