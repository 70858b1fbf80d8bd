package ffmpeg

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/asticode/go-astiav"
)

// renditionMsg carries one reference to a video frame or one audio packet
// to a rendition worker, which owns it from then on. The frame is a decoded
// source picture, or a larger rendition's scaled picture when scaling
// cascades; srcW×srcH is always the source picture's size and tb the time
// base of the frame's timestamps.
type renditionMsg struct {
	frame      *astiav.Frame
	pkt        *astiav.Packet
	srcW, srcH int
	tb         astiav.Rational
}

func (m renditionMsg) free() {
	if m.frame != nil {
		m.frame.Free()
	}
	if m.pkt != nil {
		m.pkt.Free()
	}
}

// sourceInfo describes the segment's video stream to the workers.
type sourceInfo struct {
	tb  astiav.Rational // time base of frame timestamps
	fps astiav.Rational // nominal source frame rate
}

// audioInfo describes the audio stream a rendition's muxer carries. par is
// owned by the segment and only read by workers.
type audioInfo struct {
	par *astiav.CodecParameters
	tb  astiav.Rational
}

// minOutputSide is the smallest output width or height; SVT-AV1 needs 64.
const (
	minOutputSide = 32
	minAV1Side    = 64
)

// renditionWorker filters, encodes and muxes one rendition of one segment.
// It runs in its own goroutine and owns every C object it creates; all of
// them are freed before run returns.
type renditionWorker struct {
	spec  RenditionSpec
	opts  *Options
	src   sourceInfo
	audio *audioInfo // nil: no audio in the output
	hw    *hwState   // nil on the CPU path
	// warm is the session's kept state of this rendition (warm.go); nil
	// when the session is cold.
	warm *warmRendition
	in   chan renditionMsg
	fail context.CancelCauseFunc
	// children scale from this rendition's pictures instead of the source
	// (cascade); the worker forwards them every message and closes their
	// channels when it is done.
	children []*renditionWorker

	outW, outH int
	srcW, srcH int
	// budget is the segment's output budget, shared by its renditions;
	// encoded counts the frames sent to the encoder, up to maxFrames.
	budget    *outputBudget
	encoded   int64
	maxFrames int64

	c       closer
	graph   *videoGraph
	filters string // description of the last graph built
	enc     *astiav.CodecContext
	encKey  encoderKey
	encFPS  astiav.Rational
	mux     *astiav.FormatContext
	out     *memOutput
	aStream *astiav.Stream
	vStream *astiav.Stream
	pkt     *astiav.Packet
	filt    *astiav.Frame
	pending []*astiav.Packet // audio that arrived before the muxer opened

	frameTB        astiav.Rational // time base of the frames the graph puts out
	inTB           astiav.Rational // time base of the frames fed to the graph
	lastInPts      int64           // last timestamp fed to the graph, in inTB
	inStep         int64           // last increase between fed timestamps
	lastEncPts     int64           // in the encoder's time base
	lastAudioDts   int64
	minPts, maxPts int64
	busy           time.Duration
	res            RenditionResult
	err            error
}

// newRenditionWorker makes a worker whose queue holds depth messages: on the
// GPU path the decoder's surface pool is sized for that depth (see
// heldFrames).
func newRenditionWorker(spec RenditionSpec, opts *Options, src sourceInfo, audio *audioInfo, budget *outputBudget, fail context.CancelCauseFunc, depth int) *renditionWorker {
	return &renditionWorker{
		spec: spec, opts: opts, src: src, audio: audio, fail: fail,
		budget: budget, maxFrames: maxOutputFrames(spec, opts.Limits),
		in:           make(chan renditionMsg, max(depth, 1)),
		lastAudioDts: astiav.NoPtsValue,
		lastEncPts:   astiav.NoPtsValue,
		lastInPts:    astiav.NoPtsValue,
		minPts:       astiav.NoPtsValue,
		maxPts:       astiav.NoPtsValue,
	}
}

// run consumes messages until the channel closes. After an error it keeps
// draining (and freeing) messages so the sender never blocks.
func (w *renditionWorker) run() {
	defer w.c.close()
	defer w.freeGraph()
	defer w.freeEncoder()
	if w.pkt = astiav.AllocPacket(); w.pkt == nil {
		w.setErr(errors.New("allocating packet failed"))
	} else {
		w.c.add(w.pkt.Free)
	}
	if w.filt = astiav.AllocFrame(); w.filt == nil {
		w.setErr(errors.New("allocating frame failed"))
	} else {
		w.c.add(w.filt.Free)
	}
	w.c.add(func() {
		for _, p := range w.pending {
			p.Free()
		}
		w.pending = nil
	})
	defer w.closeChildren()
	for m := range w.in {
		if m.pkt != nil {
			w.forwardAudio(m.pkt)
		}
		if w.err == nil {
			start := time.Now()
			w.setErr(w.handle(&m))
			w.busy += time.Since(start)
		}
		m.free()
	}
	if w.err == nil {
		start := time.Now()
		w.setErr(w.finish())
		w.busy += time.Since(start)
	}
	w.res.Wall = w.busy
}

// forwardAudio hands a copy of an audio packet to every child.
func (w *renditionWorker) forwardAudio(p *astiav.Packet) {
	for _, c := range w.children {
		if ref := p.Clone(); ref != nil {
			c.in <- renditionMsg{pkt: ref}
		}
	}
}

// forwardVideo hands a reference to a scaled picture to every child, before
// it is encoded here, so the children scale and encode in parallel.
func (w *renditionWorker) forwardVideo(f *astiav.Frame) error {
	for _, c := range w.children {
		ref := f.Clone()
		if ref == nil {
			return errors.New("referencing frame failed")
		}
		c.in <- renditionMsg{frame: ref, srcW: w.srcW, srcH: w.srcH, tb: w.graph.outTB()}
	}
	return nil
}

func (w *renditionWorker) closeChildren() {
	for _, c := range w.children {
		close(c.in)
	}
}

func (w *renditionWorker) setErr(err error) {
	if err != nil && w.err == nil {
		w.err = fmt.Errorf("rendition %s: %w", w.spec.Name, err)
		w.fail(w.err)
	}
}

// handle takes ownership of what m carries; it clears the fields it keeps.
func (w *renditionWorker) handle(m *renditionMsg) error {
	if m.frame != nil {
		w.srcW, w.srcH = m.srcW, m.srcH
		if w.graph == nil {
			w.inTB = m.tb
		}
		return w.video(m.frame)
	}
	if w.mux == nil {
		w.pending = append(w.pending, m.pkt)
		m.pkt = nil
		return nil
	}
	return w.writeAudio(m.pkt)
}

func (w *renditionWorker) video(f *astiav.Frame) error {
	if w.outW == 0 {
		w.outW, w.outH = FitSize(w.srcW, w.srcH, w.spec.Width, w.spec.Height)
		// Sources of extreme shape would fit to a sliver some encoders
		// refuse (x265 below its block size): keep a floor, at a small
		// cost in aspect ratio.
		floor := minOutputSide
		if w.spec.Codec == CodecAV1 {
			floor = minAV1Side
		}
		w.outW, w.outH = max(w.outW, floor), max(w.outH, floor)
	}
	if w.graph == nil {
		w.graph, w.filters = w.warm.takeGraph(f, w.inTB, w.outW, w.outH)
		w.res.WarmGraph = w.graph != nil
	}
	if w.graph == nil || !w.graph.accepts(f) {
		if w.graph != nil {
			// The source changed mid-segment: flush the old graph into the
			// encoder, then scale the new pictures to the same output size.
			if err := w.flushGraph(); err != nil {
				return err
			}
			w.freeGraph()
		}
		g, err := w.newGraph(f)
		if err != nil {
			return err
		}
		w.graph = g
	}
	w.noteInput(f.Pts())
	if err := w.graph.src.BuffersrcAddFrame(f, 0); err != nil {
		return fmt.Errorf("%w: feeding filter graph: %w", ErrCorrupt, err)
	}
	return w.pull()
}

// pull moves every frame the graph has ready into the encoder.
func (w *renditionWorker) pull() error {
	for {
		err := w.graph.sink.BuffersinkGetFrame(w.filt, 0)
		if errors.Is(err, astiav.ErrEagain) || errors.Is(err, astiav.ErrEof) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: filtering: %w", ErrCorrupt, err)
		}
		if err := w.forwardVideo(w.filt); err != nil {
			w.filt.Unref()
			return err
		}
		err = w.encodeFrame(w.filt)
		w.filt.Unref()
		if err != nil {
			return err
		}
	}
}

func (w *renditionWorker) encodeFrame(f *astiav.Frame) error {
	if w.mux == nil {
		if err := w.open(f); err != nil {
			return err
		}
	}
	if err := w.countFrame(); err != nil {
		return err
	}
	// Keyframes follow the rendition's GOP, not the source's picture
	// types, from a forced IDR at the segment's first frame: the segment
	// decodes on its own even when its encoder was warm.
	pt := astiav.PictureTypeNone
	if w.encoded == 1 {
		pt = astiav.PictureTypeI
	}
	f.SetPictureType(pt)
	// The encoder counts time in frames (1/fps), as the ffmpeg CLI sets it
	// up: x264's rate control then sees the nominal frame rate.
	pts := astiav.RescaleQ(f.Pts(), w.frameTB, w.enc.TimeBase())
	if w.lastEncPts != astiav.NoPtsValue && pts <= w.lastEncPts {
		pts = w.lastEncPts + 1
	}
	w.lastEncPts = pts
	f.SetPts(pts)
	if err := w.enc.SendFrame(f); err != nil {
		return fmt.Errorf("encoding: %w", err)
	}
	return w.drainEncoder()
}

func (w *renditionWorker) drainEncoder() error {
	for {
		err := w.enc.ReceivePacket(w.pkt)
		if errors.Is(err, astiav.ErrEagain) || errors.Is(err, astiav.ErrEof) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("encoding: %w", err)
		}
		if err := w.writeVideo(); err != nil {
			return err
		}
	}
}

// open opens the encoder for the graph's output and the muxer behind it,
// then writes the audio that was waiting for the header.
func (w *renditionWorker) open(f *astiav.Frame) error {
	w.encFPS = w.src.fps
	if !w.spec.FPS.IsZero() {
		w.encFPS = astiav.NewRational(w.spec.FPS.Num, w.spec.FPS.Den)
	}
	w.frameTB = w.graph.outTB()
	sar := f.SampleAspectRatio()
	if sar.Num() <= 0 || sar.Den() <= 0 {
		sar = astiav.NewRational(1, 1)
	}
	p := encoderParams{
		spec: w.spec, opts: w.opts, width: f.Width(), height: f.Height(),
		pixFmt: f.PixelFormat(), sar: sar, tb: astiav.NewRational(w.encFPS.Den(), w.encFPS.Num()), fps: w.encFPS,
		global: w.opts.Format == FormatMP4,
	}
	if f.PixelFormat() == astiav.PixelFormatCuda {
		// Frames stay on the GPU: NVENC takes them with the sink's pool.
		fr, err := hwFramesOfSink(w.graph.sink)
		if err != nil || fr == nil {
			return fmt.Errorf("%w: no CUDA frames context after scale_cuda: %w", ErrEncoderOpen, err)
		}
		defer fr.free()
		p.gpuName, p.hwFrames = w.hw.encoderFor(w.spec.Codec), fr
	}
	if err := w.openEncoder(p); err != nil {
		return err
	}
	if err := w.openMuxer(); err != nil {
		return err
	}
	pending := w.pending
	w.pending = nil
	for i, p := range pending {
		if err := w.writeAudio(p); err != nil {
			for _, q := range pending[i+1:] {
				q.Free()
			}
			return err
		}
	}
	return nil
}

// finish flushes the graph, the encoder and the muxer, fills res, and
// gives back to the session what may stay warm.
func (w *renditionWorker) finish() error {
	keepGraph := w.graph != nil && w.warm != nil && w.graphHoldsNoFrame()
	if w.graph != nil && !keepGraph {
		if err := w.flushGraph(); err != nil {
			return err
		}
	}
	if w.enc == nil {
		return fmt.Errorf("%w: no frames reached the encoder", ErrCorrupt)
	}
	keepEnc, err := w.endEncoder()
	if err != nil {
		return err
	}
	if err := w.muxErr("writing trailer", w.mux.WriteTrailer()); err != nil {
		return err
	}
	data := detachOutput(w.out)
	w.res.Name = w.spec.Name
	w.res.Filters = w.filters
	w.res.Width, w.res.Height = w.enc.Width(), w.enc.Height()
	w.res.Pixels = w.res.Frames * int64(w.res.Width) * int64(w.res.Height)
	w.res.Bytes = int64(len(data))
	w.res.SHA256 = sha256.Sum256(data)
	w.res.Data = data
	if w.minPts != astiav.NoPtsValue {
		tb := w.enc.TimeBase()
		frame := astiav.RescaleQ(1, astiav.NewRational(w.encFPS.Den(), w.encFPS.Num()), tb)
		w.res.Duration = durationOf(w.maxPts-w.minPts+frame, tb)
	}
	if keepGraph {
		w.keepGraph()
	}
	if keepEnc {
		w.keepEncoder()
	}
	return nil
}

// durationOf converts ts units of tb to a time.Duration.
func durationOf(ts int64, tb astiav.Rational) time.Duration {
	return time.Duration(astiav.RescaleQ(ts, tb, astiav.NewRational(1, int(time.Second))))
}
