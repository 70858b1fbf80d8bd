package ffmpeg

//#cgo pkg-config: libavutil
//#include <stdlib.h>
//#include <libavutil/dict.h>
//#include <libavutil/frame.h>
import "C"

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"unsafe"

	"github.com/asticode/go-astiav"
)

// MaxPSNR is the value PSNR reports for identical pictures (zero error),
// where the true PSNR is infinite: it keeps results finite, comparable and
// JSON-encodable.
const MaxPSNR = 100.0

// ErrFrameMismatch says the two inputs of PSNR differ too much in frame
// count to be compared frame by frame.
var ErrFrameMismatch = errors.New("frame counts differ")

// PSNRResult is the quality of a distorted video against its reference, in
// dB, as libavfilter's psnr filter reports it: averages are the PSNR of the
// mean squared error over all compared frames.
type PSNRResult struct {
	Y    float64 // luma
	Avg  float64 // all planes, weighted by plane size
	MinY float64 // worst single frame, luma
	// Frames compared, and frames each input had.
	Frames, RefFrames, DistFrames int
}

// PSNR decodes the first video stream of ref and dist, scales each reference
// frame to the distorted size (bicubic) and compares them in order, frame by
// frame, through libavfilter's psnr filter. Both are compared as 8-bit
// 4:2:0. A frame-count difference above max(2, 2%) is ErrFrameMismatch;
// inputs that cannot be decoded give Probe's typed errors.
func PSNR(ref, dist Input) (PSNRResult, error) {
	return PSNRContext(context.Background(), ref, dist)
}

// PSNRContext is PSNR with a context that interrupts it.
func PSNRContext(ctx context.Context, ref, dist Input) (PSNRResult, error) {
	initLogging()
	c := &psnrCompare{}
	defer c.frees.close()
	if err := c.open(ctx, ref, dist); err != nil {
		return PSNRResult{}, fmt.Errorf("psnr: %w", err)
	}
	res, err := c.run(ctx)
	if err != nil {
		return PSNRResult{}, fmt.Errorf("psnr: %w", err)
	}
	return res, nil
}

// psnrCompare owns the decoders and the filter graph of one comparison.
type psnrCompare struct {
	frees              closer
	ref, dist          *videoDecoder
	rf, df, out        *astiav.Frame
	graph              *astiav.FilterGraph
	refSrc, distSrc    *astiav.FilterContext
	sink               *astiav.FilterContext
	n                  int64 // frames fed to each source
	refN, distN        int
	sumMSEY, sumMSEAvg float64
	minY               float64
	got                int
}

func (c *psnrCompare) open(ctx context.Context, ref, dist Input) error {
	var err error
	if c.ref, err = openVideoDecoder(ctx, ref); err != nil {
		return fmt.Errorf("reference: %w", err)
	}
	c.frees.add(c.ref.close)
	if c.dist, err = openVideoDecoder(ctx, dist); err != nil {
		return fmt.Errorf("distorted: %w", err)
	}
	c.frees.add(c.dist.close)
	for _, f := range []**astiav.Frame{&c.rf, &c.df, &c.out} {
		*f = astiav.AllocFrame()
		c.frees.add((*f).Free)
	}
	c.minY = MaxPSNR
	return nil
}

// run pairs the inputs' frames in decode-output order.
func (c *psnrCompare) run(ctx context.Context) (PSNRResult, error) {
	for {
		rerr := c.ref.next(ctx, c.rf)
		derr := c.dist.next(ctx, c.df)
		if rerr != nil && !errors.Is(rerr, io.EOF) {
			return PSNRResult{}, fmt.Errorf("reference: %w", rerr)
		}
		if derr != nil && !errors.Is(derr, io.EOF) {
			return PSNRResult{}, fmt.Errorf("distorted: %w", derr)
		}
		if rerr == nil {
			c.refN++
		}
		if derr == nil {
			c.distN++
		}
		if rerr != nil || derr != nil {
			c.rf.Unref()
			c.df.Unref()
			return c.finish(ctx, rerr == nil, derr == nil)
		}
		err := c.push()
		c.rf.Unref()
		c.df.Unref()
		if err != nil {
			return PSNRResult{}, err
		}
	}
}

// push feeds one pair of frames, building the graph on the first pair.
func (c *psnrCompare) push() error {
	if c.graph == nil {
		if err := c.buildGraph(); err != nil {
			return err
		}
	}
	// Timestamps are the pair's index, so the psnr filter pairs them by
	// order whatever the inputs' own timestamps are.
	c.rf.SetPts(c.n)
	c.df.SetPts(c.n)
	c.n++
	if err := c.refSrc.BuffersrcAddFrame(c.rf, astiav.NewBuffersrcFlags(astiav.BuffersrcFlagKeepRef)); err != nil {
		return fmt.Errorf("feeding reference frame %d: %w", c.n-1, err)
	}
	if err := c.distSrc.BuffersrcAddFrame(c.df, astiav.NewBuffersrcFlags(astiav.BuffersrcFlagKeepRef)); err != nil {
		return fmt.Errorf("feeding distorted frame %d: %w", c.n-1, err)
	}
	return c.pull()
}

// buildGraph sets up ref → scale → psnr ← dist for the first pair's sizes.
func (c *psnrCompare) buildGraph() (err error) {
	if c.graph = astiav.AllocFilterGraph(); c.graph == nil {
		return errors.New("allocating filter graph failed")
	}
	c.frees.add(c.graph.Free)
	if c.refSrc, err = newBufferSrc(c.graph, "ref", c.rf); err != nil {
		return err
	}
	if c.distSrc, err = newBufferSrc(c.graph, "dist", c.df); err != nil {
		return err
	}
	if c.sink, err = c.graph.NewFilterContext(astiav.FindFilterByName("buffersink"), "out", nil); err != nil {
		return fmt.Errorf("creating buffersink: %w", err)
	}
	outputs := inOutList([]string{"ref", "dist"}, []*astiav.FilterContext{c.refSrc, c.distSrc})
	defer outputs.Free()
	inputs := inOutList([]string{"out"}, []*astiav.FilterContext{c.sink})
	defer inputs.Free()
	desc := fmt.Sprintf("[ref]scale=w=%d:h=%d:flags=bicubic,format=yuv420p[r];"+
		"[dist]format=yuv420p[d];[d][r]psnr=eof_action=endall[out]", c.df.Width(), c.df.Height())
	if err := c.graph.Parse(desc, inputs, outputs); err != nil {
		return fmt.Errorf("parsing %q: %w", desc, err)
	}
	if err := c.graph.Configure(); err != nil {
		return fmt.Errorf("configuring %q: %w", desc, err)
	}
	return nil
}

// newBufferSrc creates a buffer source for frames like f.
func newBufferSrc(g *astiav.FilterGraph, name string, f *astiav.Frame) (*astiav.FilterContext, error) {
	sar := f.SampleAspectRatio()
	if sar.Num() <= 0 || sar.Den() <= 0 {
		sar = astiav.NewRational(1, 1)
	}
	src, err := g.NewFilterContext(astiav.FindFilterByName("buffer"), name, astiav.FilterArgs{
		"video_size":   fmt.Sprintf("%dx%d", f.Width(), f.Height()),
		"pix_fmt":      strconv.Itoa(int(f.PixelFormat())),
		"time_base":    "1/25",
		"pixel_aspect": sar.String(),
	})
	if err != nil {
		return nil, fmt.Errorf("creating %s buffer source: %w", name, err)
	}
	return src, nil
}

// inOutList builds the AVFilterInOut list naming the given pads.
func inOutList(names []string, ctxs []*astiav.FilterContext) *astiav.FilterInOut {
	var head *astiav.FilterInOut
	for i := len(names) - 1; i >= 0; i-- {
		l := astiav.AllocFilterInOut()
		l.SetName(names[i])
		l.SetFilterContext(ctxs[i])
		l.SetPadIdx(0)
		l.SetNext(head)
		head = l
	}
	return head
}

// pull reads every compared frame the graph has ready.
func (c *psnrCompare) pull() error {
	for {
		err := c.sink.BuffersinkGetFrame(c.out, astiav.NewBuffersinkFlags())
		if errors.Is(err, astiav.ErrEagain) || errors.Is(err, astiav.ErrEof) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("comparing: %w", err)
		}
		err = c.note()
		c.out.Unref()
		if err != nil {
			return err
		}
	}
}

// note adds one compared frame's squared errors from its metadata.
func (c *psnrCompare) note() error {
	y, okY := frameMetadataFloat(c.out, "lavfi.psnr.mse.y")
	avg, okAvg := frameMetadataFloat(c.out, "lavfi.psnr.mse_avg")
	if !okY || !okAvg {
		return errors.New("psnr filter set no mse metadata")
	}
	c.sumMSEY += y
	c.sumMSEAvg += avg
	c.minY = math.Min(c.minY, psnrFromMSE(y))
	c.got++
	return nil
}

// finish counts the frames the longer input has left, flushes the graph and
// computes the result.
func (c *psnrCompare) finish(ctx context.Context, refLeft, distLeft bool) (PSNRResult, error) {
	for refLeft || distLeft {
		if refLeft {
			c.rf.Unref()
			if refLeft = c.ref.next(ctx, c.rf) == nil; refLeft {
				c.refN++
			}
		}
		if distLeft {
			c.df.Unref()
			if distLeft = c.dist.next(ctx, c.df) == nil; distLeft {
				c.distN++
			}
		}
		if ctx.Err() != nil {
			return PSNRResult{}, ctx.Err()
		}
	}
	c.rf.Unref()
	c.df.Unref()
	if c.graph != nil {
		for _, src := range []*astiav.FilterContext{c.refSrc, c.distSrc} {
			if err := src.BuffersrcAddFrame(nil, astiav.NewBuffersrcFlags()); err != nil {
				return PSNRResult{}, fmt.Errorf("flushing: %w", err)
			}
		}
		if err := c.pull(); err != nil {
			return PSNRResult{}, err
		}
	}
	diff := max(c.refN-c.distN, c.distN-c.refN)
	if c.got == 0 || diff > max(2, max(c.refN, c.distN)/50) {
		return PSNRResult{}, fmt.Errorf("%w: reference %d, distorted %d frames, %d compared",
			ErrFrameMismatch, c.refN, c.distN, c.got)
	}
	return PSNRResult{
		Y:          psnrFromMSE(c.sumMSEY / float64(c.got)),
		Avg:        psnrFromMSE(c.sumMSEAvg / float64(c.got)),
		MinY:       c.minY,
		Frames:     c.got,
		RefFrames:  c.refN,
		DistFrames: c.distN,
	}, nil
}

// psnrFromMSE is 10·log10(255²/mse) for 8-bit samples, capped at MaxPSNR.
func psnrFromMSE(mse float64) float64 {
	if mse <= 0 {
		return MaxPSNR
	}
	return math.Min(MaxPSNR, 10*math.Log10(255*255/mse))
}

// frameMetadataFloat reads a number a filter left in a frame's metadata
// (go-astiav v0.16.0 has no accessor for AVFrame.metadata).
func frameMetadataFloat(f *astiav.Frame, key string) (float64, bool) {
	ck := C.CString(key)
	defer C.free(unsafe.Pointer(ck))
	cf := (*C.AVFrame)(f.UnsafePointer())
	e := C.av_dict_get(cf.metadata, ck, nil, 0)
	if e == nil {
		return 0, false
	}
	v, err := strconv.ParseFloat(C.GoString(e.value), 64)
	return v, err == nil
}
