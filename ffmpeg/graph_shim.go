package ffmpeg

//#cgo pkg-config: libavfilter
//#include <libavfilter/buffersrc.h>
import "C"

import (
	"fmt"

	"github.com/asticode/go-astiav"
)

// closeBuffersrc ends a graph's input at pts (in the source's time base):
// the time just after the last frame. go-astiav v0.16.0 only closes a
// buffer source through av_buffersrc_add_frame(NULL), whose end is the
// last frame's own timestamp, so an fps filter at the source rate drops
// that frame. The ffmpeg CLI closes its inputs the same way as here.
func closeBuffersrc(src *astiav.FilterContext, pts int64) error {
	p, err := cPtr(src)
	if err != nil {
		return fmt.Errorf("closing buffer source: %w", err)
	}
	if ret := C.av_buffersrc_close((*C.AVFilterContext)(p), C.int64_t(pts), C.AV_BUFFERSRC_FLAG_PUSH); ret < 0 {
		return fmt.Errorf("closing buffer source: %w", astiav.Error(ret))
	}
	return nil
}
