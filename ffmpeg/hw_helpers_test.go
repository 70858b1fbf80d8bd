package ffmpeg

import (
	"strconv"
	"testing"

	"github.com/asticode/go-astiav"
)

// newTestGraph is a filter graph with a buffer source (size, pf, 1/30) and a
// buffersink; parse links them through desc. Everything is freed when the
// test ends.
func newTestGraph(t *testing.T, size string, pf astiav.PixelFormat) (*astiav.FilterGraph, func(desc string) error) {
	t.Helper()
	g := astiav.AllocFilterGraph()
	t.Cleanup(g.Free)
	src, err := g.NewFilterContext(astiav.FindFilterByName("buffer"), "in", astiav.FilterArgs{
		"video_size": size, "pix_fmt": strconv.Itoa(int(pf)), "time_base": "1/30", "pixel_aspect": "1/1",
	})
	if err != nil {
		t.Fatal(err)
	}
	sink, err := g.NewFilterContext(astiav.FindFilterByName("buffersink"), "out", nil)
	if err != nil {
		t.Fatal(err)
	}
	outputs := inOutList([]string{"in"}, []*astiav.FilterContext{src})
	t.Cleanup(outputs.Free)
	inputs := inOutList([]string{"out"}, []*astiav.FilterContext{sink})
	t.Cleanup(inputs.Free)
	return g, func(desc string) error { return g.Parse(desc, inputs, outputs) }
}

// uploadBlack is a black w×h NV12 picture uploaded into a surface of pool,
// freed when the test ends.
func uploadBlack(t *testing.T, pool *hwFrames, w, h int) *astiav.Frame {
	t.Helper()
	sw := astiav.AllocFrame()
	// FFmpeg 5.1's Vulkan upload maps sw's buffer as host memory and
	// returns before the device (lavapipe's thread) has read it: freeing sw
	// here was a heap-use-after-free under go test -asan. Keep it until
	// the test ends; frames registered for cleanup after it go first.
	t.Cleanup(sw.Free)
	sw.SetWidth(w)
	sw.SetHeight(h)
	sw.SetPixelFormat(astiav.PixelFormatNv12)
	if err := sw.AllocBuffer(0); err != nil {
		t.Fatal(err)
	}
	if err := sw.ImageFillBlack(); err != nil {
		t.Fatal(err)
	}
	hw := astiav.AllocFrame()
	t.Cleanup(hw.Free)
	if err := pool.getBuffer(hw); err != nil {
		t.Fatalf("getBuffer: %v", err)
	}
	if err := sw.TransferHardwareData(hw); err != nil {
		t.Fatalf("upload: %v", err)
	}
	return hw
}
