package ffmpeg

import (
	"strconv"
	"strings"
	"testing"

	"github.com/asticode/go-astiav"
)

// TestHWFilterSpecParses parses every GPU rendition graph against the
// linked libavfilter: scale_cuda must know each option given (format,
// passthrough), which it checks when the filter is created, before any
// CUDA device is needed.
func TestHWFilterSpecParses(t *testing.T) {
	if astiav.FindFilterByName("scale_cuda") == nil {
		t.Skip("this libavfilter has no scale_cuda")
	}
	parse := func(desc string) error {
		g := astiav.AllocFilterGraph()
		defer g.Free()
		src, err := g.NewFilterContext(astiav.FindFilterByName("buffer"), "in", astiav.FilterArgs{
			"video_size": "1280x720", "pix_fmt": strconv.Itoa(int(astiav.PixelFormatCuda)), "time_base": "1/30", "pixel_aspect": "1/1",
		})
		if err != nil {
			t.Fatal(err)
		}
		sink, err := g.NewFilterContext(astiav.FindFilterByName("buffersink"), "out", nil)
		if err != nil {
			t.Fatal(err)
		}
		outputs := inOutList([]string{"in"}, []*astiav.FilterContext{src})
		defer outputs.Free()
		inputs := inOutList([]string{"out"}, []*astiav.FilterContext{sink})
		defer inputs.Free()
		return g.Parse(desc, inputs, outputs)
	}
	for _, tt := range []struct {
		fps   string
		nvenc bool
		codec Codec
	}{
		{"", true, CodecH264},
		{"fps=fps=30/1,", true, CodecHEVC},
		{"", false, CodecH264},
		{"fps=fps=24/1,", false, CodecVP9},
	} {
		desc := hwFilterSpec(tt.fps, 640, 360, tt.nvenc, tt.codec)
		t.Run(desc, func(t *testing.T) {
			if !strings.Contains(desc, "scale_cuda=w=640:h=360:format=nv12:passthrough=0") ||
				strings.Contains(desc, "hwdownload") == tt.nvenc {
				t.Fatalf("spec %q", desc)
			}
			if err := parse(desc); err != nil {
				t.Fatalf("parse %q: %v", desc, err)
			}
		})
	}
	// The check has teeth: an option scale_cuda lacks fails to parse.
	if err := parse("scale_cuda=w=640:h=360:no_such_option=1"); err == nil {
		t.Fatal("scale_cuda took an unknown option")
	}
}
