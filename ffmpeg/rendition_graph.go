package ffmpeg

import (
	"fmt"
	"strconv"

	"github.com/asticode/go-astiav"
)

// The rendition worker's filter graph: [fps,]scale,format on the CPU, or
// the CUDA equivalent, rebuilt when the source changes mid-segment.

// noteInput remembers the timestamps fed to the graph, to end its input
// one frame after the last one.
func (w *renditionWorker) noteInput(pts int64) {
	if pts == astiav.NoPtsValue {
		return
	}
	if w.lastInPts != astiav.NoPtsValue && pts > w.lastInPts {
		w.inStep = pts - w.lastInPts
	}
	w.lastInPts = pts
}

// flushGraph ends the graph's input one frame after the last frame fed to
// it, as the ffmpeg CLI does, and encodes what the graph still holds. With
// an end at the last frame's own timestamp an fps filter would drop that
// frame.
func (w *renditionWorker) flushGraph() error {
	var err error
	if w.lastInPts == astiav.NoPtsValue {
		err = w.graph.src.BuffersrcAddFrame(nil, 0)
	} else {
		step := w.inStep
		if step <= 0 {
			step = max(astiav.RescaleQ(1, astiav.NewRational(w.src.fps.Den(), w.src.fps.Num()), w.inTB), 1)
		}
		err = closeBuffersrc(w.graph.src, w.lastInPts+step)
	}
	if err != nil {
		return fmt.Errorf("flushing filter graph: %w", err)
	}
	w.lastInPts, w.inStep = astiav.NoPtsValue, 0
	return w.pull()
}

func (w *renditionWorker) freeGraph() {
	if w.graph != nil {
		w.graph.free()
		w.graph = nil
	}
}

// newGraph builds the rendition's filter graph for frames like f: CUDA
// frames are scaled on the GPU, software frames by swscale.
func (w *renditionWorker) newGraph(f *astiav.Frame) (*videoGraph, error) {
	fps := ""
	if !w.spec.FPS.IsZero() {
		fps = "fps=fps=" + strconv.Itoa(w.spec.FPS.Num) + "/" + strconv.Itoa(w.spec.FPS.Den) + ","
	}
	if f.PixelFormat() == astiav.PixelFormatCuda && w.hw != nil {
		w.filters = hwFilterSpec(fps, w.outW, w.outH, w.hw.encoderFor(w.spec.Codec) != "", w.spec.Codec)
		return newVideoGraph(f, w.inTB, w.filters, w.hw.dev)
	}
	w.filters = fps + "scale=w=" + strconv.Itoa(w.outW) + ":h=" + strconv.Itoa(w.outH) + ":flags=bicubic,format=pix_fmts=yuv420p"
	return newVideoGraph(f, w.inTB, w.filters, nil)
}
