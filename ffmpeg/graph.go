package ffmpeg

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/asticode/go-astiav"
)

// videoGraph is one rendition's buffer → filters → buffersink graph, built
// for the picture parameters of the frames it accepts.
type videoGraph struct {
	g         *astiav.FilterGraph
	src, sink *astiav.FilterContext
	w, h      int
	pixFmt    astiav.PixelFormat
	hwFrames  uintptr // frames pool of the hardware frames it takes (hwFramesID); 0: software
}

// newVideoGraph builds and configures a graph for frames like f, with
// timestamps in tb, running the filters in desc. For CUDA frames, dev is
// the device the graph's filters run on.
func newVideoGraph(f *astiav.Frame, tb astiav.Rational, desc string, dev *astiav.HardwareDeviceContext) (*videoGraph, error) {
	g := astiav.AllocFilterGraph()
	if g == nil {
		return nil, errors.New("allocating filter graph failed")
	}
	vg := &videoGraph{g: g, w: f.Width(), h: f.Height(), pixFmt: f.PixelFormat(), hwFrames: hwFramesID(f)}
	if err := vg.build(f, tb, desc, dev); err != nil {
		vg.free()
		return nil, err
	}
	return vg, nil
}

func (vg *videoGraph) build(f *astiav.Frame, tb astiav.Rational, desc string, dev *astiav.HardwareDeviceContext) error {
	sar := f.SampleAspectRatio()
	if sar.Num() <= 0 || sar.Den() <= 0 {
		sar = astiav.NewRational(1, 1)
	}
	var err error
	vg.src, err = vg.g.NewFilterContext(astiav.FindFilterByName("buffer"), "in", astiav.FilterArgs{
		"video_size":   strconv.Itoa(f.Width()) + "x" + strconv.Itoa(f.Height()),
		"pix_fmt":      strconv.Itoa(int(f.PixelFormat())),
		"time_base":    strconv.Itoa(tb.Num()) + "/" + strconv.Itoa(tb.Den()),
		"pixel_aspect": strconv.Itoa(sar.Num()) + "/" + strconv.Itoa(sar.Den()),
	})
	if err != nil {
		return fmt.Errorf("%w: creating buffer source for %dx%d %s: %w",
			ErrUnsupportedPixFmt, f.Width(), f.Height(), f.PixelFormat(), err)
	}
	if vg.hwFrames != 0 {
		fr := hwFramesOfFrame(f)
		if fr == nil {
			return fmt.Errorf("%w: hardware frame without a frames context", ErrCorrupt)
		}
		err := setBuffersrcHWFrames(vg.src, fr)
		fr.free() // the source keeps its own reference
		if err != nil {
			return err
		}
	}
	if vg.sink, err = vg.g.NewFilterContext(astiav.FindFilterByName("buffersink"), "out", nil); err != nil {
		return fmt.Errorf("creating buffer sink: %w", err)
	}
	outputs := astiav.AllocFilterInOut()
	inputs := astiav.AllocFilterInOut()
	defer outputs.Free()
	defer inputs.Free()
	if outputs == nil || inputs == nil {
		return errors.New("allocating filter in/out failed")
	}
	outputs.SetName("in")
	outputs.SetFilterContext(vg.src)
	outputs.SetPadIdx(0)
	outputs.SetNext(nil)
	inputs.SetName("out")
	inputs.SetFilterContext(vg.sink)
	inputs.SetPadIdx(0)
	inputs.SetNext(nil)
	if err := vg.g.Parse(desc, inputs, outputs); err != nil {
		return fmt.Errorf("parsing filter graph %q: %w", desc, err)
	}
	if dev != nil {
		if err := setGraphHWDevice(vg.g, dev); err != nil {
			return err
		}
	}
	if err := vg.g.Configure(); err != nil {
		return fmt.Errorf("%w: configuring filter graph for %dx%d %s: %w",
			ErrUnsupportedPixFmt, f.Width(), f.Height(), f.PixelFormat(), err)
	}
	return nil
}

// accepts reports whether f has the picture parameters the graph was built
// for. Hardware frames must also come from the same frames pool: the
// decoder makes a new pool when it re-initialises (a new sequence header,
// even at the same size), and hwdownload refuses frames of any pool but
// the one its input was configured with; LPMS rebuilds its filter graph
// on the same condition.
func (vg *videoGraph) accepts(f *astiav.Frame) bool {
	return f.Width() == vg.w && f.Height() == vg.h && f.PixelFormat() == vg.pixFmt && hwFramesID(f) == vg.hwFrames
}

// outTB is the time base of the frames the graph puts out.
func (vg *videoGraph) outTB() astiav.Rational {
	return vg.sink.Inputs()[0].TimeBase()
}

func (vg *videoGraph) free() {
	freeGraph(vg.g, vg.src, vg.sink)
	vg.g, vg.src, vg.sink = nil, nil, nil
}

// freeGraph frees a filter graph. The buffer source and sink, which
// go-astiav registers in its object table, are freed one by one first so
// that their table entries go too; the graph frees the rest.
func freeGraph(g *astiav.FilterGraph, ends ...*astiav.FilterContext) {
	if g == nil {
		return
	}
	for _, fc := range ends {
		if fc != nil {
			fc.Free()
		}
	}
	g.Free()
}
