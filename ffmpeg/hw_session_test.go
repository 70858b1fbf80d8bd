package ffmpeg

import (
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
		_, parse := newTestGraph(t, "1280x720", astiav.PixelFormatCuda)
		return parse(desc)
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
