package ffmpeg

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/asticode/go-astiav"
)

// segment is one Transcode call: the demuxer, the fan-out to the rendition
// workers, and the counters. The calling goroutine owns the demuxer and the
// session's decoder; each worker owns its own filter graph, encoder and muxer.
type segment struct {
	s      *Session
	ctx    context.Context // cancelled when a worker fails
	cancel context.CancelCauseFunc
	c      closer

	dmx          *demuxer
	vIdx, aIdx   int
	vTB, aTB     astiav.Rational
	fps          astiav.Rational
	frameDur     int64 // nominal frame duration in vTB
	maxDur       int64 // Limits.MaxDuration in vTB
	audio        *audioInfo
	aac          *audioTranscoder // AudioAAC only
	pkt          *astiav.Packet
	workers      []*renditionWorker // every rendition, in ladder order
	roots        []*renditionWorker // those fed from the decoder
	wg           sync.WaitGroup
	pendingAudio []*astiav.Packet // audio read before the first video frame

	started      bool
	offset       int64 // timeline offset in vTB
	offset90     int64
	first, last  int64 // source timestamps of the first and last frame kept
	minDelta     int64
	srcW, srcH   int
	videoPackets int
	keyPackets   int
	cudaFrames   bool   // the decoder put out CUDA frames (NVDEC)
	decName      string // the decoder's name
	cpuReason    error  // the decoder's cpuReason (GPU session on the CPU)
	decodeErrs   int
	decoded      int64
	pixels       int64
	dropped      int

	// reused: the streams' parameters came from the session's cache
	// instead of probing; the first DTS step is checked against it.
	reused       bool
	stepChecked  bool
	lastVideoDts int64
}

// openSegment opens the input and checks it against the limits before any
// decoding. On error everything opened so far is released.
func (s *Session) openSegment(ctx context.Context, in Input) (_ *segment, err error) {
	sctx, cancel := context.WithCancelCause(ctx)
	seg := &segment{s: s, ctx: sctx, cancel: cancel, vIdx: -1, aIdx: -1,
		first: astiav.NoPtsValue, last: astiav.NoPtsValue, lastVideoDts: astiav.NoPtsValue}
	defer func() {
		if err != nil {
			seg.close()
		}
	}()
	if seg.dmx, seg.reused, err = s.openDemuxer(sctx, in); err != nil {
		return nil, seg.ctxErr(err)
	}
	seg.c.add(seg.dmx.close)
	if err = seg.pickStreams(); err != nil {
		return nil, err
	}
	if !seg.reused && s.mayReuseStreams() {
		s.keepStreams(seg.dmx.fc)
	}
	if err = seg.prepareDecoder(); err != nil {
		return nil, err
	}
	seg.decName, seg.cpuReason = s.dec.name, s.dec.cpuReason
	if seg.pkt = astiav.AllocPacket(); seg.pkt == nil {
		return nil, errors.New("allocating packet failed")
	}
	seg.c.add(seg.pkt.Free)
	seg.startWorkers()
	return seg, nil
}

// ctxErr prefers the context's error (cancellation, or a worker's failure)
// over the error it caused.
func (seg *segment) ctxErr(err error) error {
	if cause := context.Cause(seg.ctx); cause != nil {
		if errors.Is(cause, context.Canceled) || errors.Is(cause, context.DeadlineExceeded) {
			return fmt.Errorf("transcode: %w", cause)
		}
		return cause
	}
	return err
}

// pickStreams selects the first video stream and, unless audio is dropped,
// the first usable audio stream, and checks the input-level limits.
func (seg *segment) pickStreams() error {
	fc := seg.dmx.fc
	lim := seg.s.opts.Limits
	for _, st := range fc.Streams() {
		par := st.CodecParameters()
		switch par.MediaType() {
		case astiav.MediaTypeVideo:
			if seg.vIdx < 0 {
				seg.vIdx = st.Index()
			}
		case astiav.MediaTypeAudio:
			if seg.aIdx < 0 && audioUsable(par, seg.s.opts.Audio) {
				seg.aIdx = st.Index()
			}
		}
	}
	if seg.vIdx < 0 {
		return ErrNoVideo
	}
	vs := fc.Streams()[seg.vIdx]
	par := vs.CodecParameters()
	if !supportedVideoCodec(par.CodecID()) {
		return fmt.Errorf("%w: %s", ErrUnsupportedCodec, par.CodecID())
	}
	if int64(par.Width())*int64(par.Height()) > int64(lim.MaxPixels) {
		return fmt.Errorf("%w: %dx%d exceeds %d pixels", ErrTooLarge, par.Width(), par.Height(), lim.MaxPixels)
	}
	if d := fc.Duration(); d > 0 && d/1000 > lim.MaxDuration.Milliseconds() {
		return fmt.Errorf("%w: %v, limit %v", ErrTooLong, time.Duration(d)*time.Microsecond, lim.MaxDuration)
	}
	seg.vTB = vs.TimeBase()
	if seg.vTB.Num() <= 0 || seg.vTB.Den() <= 0 {
		return fmt.Errorf("%w: video time base %s", ErrCorrupt, seg.vTB)
	}
	seg.fps = guessFPS(fc, vs)
	seg.frameDur = max(astiav.RescaleQ(1, astiav.NewRational(seg.fps.Den(), seg.fps.Num()), seg.vTB), 1)
	seg.maxDur = astiav.RescaleQ(lim.MaxDuration.Microseconds(), astiav.NewRational(1, 1000000), seg.vTB)
	if seg.aIdx >= 0 {
		as := fc.Streams()[seg.aIdx]
		seg.aTB = as.TimeBase()
		if seg.aTB.Num() <= 0 || seg.aTB.Den() <= 0 {
			seg.aIdx = -1
		} else {
			seg.audio = &audioInfo{par: as.CodecParameters(), tb: seg.aTB}
		}
	}
	if seg.aIdx >= 0 && (seg.s.opts.Audio == AudioAAC || seg.needsAACRemux()) {
		seg.openAAC()
	}
	return nil
}

// needsAACRemux reports whether copied audio is ADTS AAC going into MP4.
// MP4 wants raw AAC with its config in the (empty) moov written before the
// first packet, which go-astiav v0.16.0 cannot get out of aac_adtstoasc, so
// such audio is re-encoded instead.
func (seg *segment) needsAACRemux() bool {
	par := seg.dmx.fc.Streams()[seg.aIdx].CodecParameters()
	return seg.s.opts.Format == FormatMP4 && par.CodecID() == astiav.CodecIDAac && len(par.ExtraData()) == 0
}

// openAAC sets up the AAC re-encode. Audio that cannot be decoded is left
// out of the outputs rather than failing the segment: the video decides.
func (seg *segment) openAAC() {
	as := seg.dmx.fc.Streams()[seg.aIdx]
	a, err := newAudioTranscoder(as.CodecParameters(), seg.aTB)
	if err != nil {
		seg.aIdx, seg.audio = -1, nil
		return
	}
	seg.aac = a
	seg.c.add(a.free)
	seg.aTB = a.tb()
	seg.audio = &audioInfo{par: a.par, tb: seg.aTB}
}

// prepareDecoder keeps the session's decoder when it fits this stream and
// opens a new one otherwise. On a GPU session a decoder that opens on the
// CPU is logged as a warning with its reason.
func (seg *segment) prepareDecoder() error {
	s := seg.s
	par := seg.dmx.fc.Streams()[seg.vIdx].CodecParameters()
	if s.dec != nil && s.dec.matches(par) {
		return nil
	}
	s.dropDecoder()
	dec, err := newDecoder(par, s.decoderPlan(par))
	if err != nil {
		return err
	}
	if dec.cpuReason != nil {
		warnHWFallback(dec.cpuReason)
	}
	s.dec = dec
	return nil
}

func (seg *segment) startWorkers() {
	o := &seg.s.opts
	src := sourceInfo{tb: seg.vTB, fps: seg.fps}
	budget := &outputBudget{limit: o.Limits.MaxOutputBytes}
	dec := seg.s.dec
	warm := seg.s.warmSlots()
	for i, spec := range o.Renditions {
		w := newRenditionWorker(spec, o, src, seg.audio, budget, seg.cancel, dec.depth)
		w.hw = seg.s.hw
		if warm != nil {
			w.warm = warm[i]
		}
		seg.workers = append(seg.workers, w)
	}
	// CUDA frames are scaled by each rendition's own scale_cuda.
	cascade := !o.DirectScale && dec.hw == nil
	for i, p := range cascadeParents(o.Renditions, cascade) {
		if p < 0 {
			seg.roots = append(seg.roots, seg.workers[i])
		} else {
			seg.workers[p].children = append(seg.workers[p].children, seg.workers[i])
		}
	}
	for _, w := range seg.workers {
		seg.wg.Add(1)
		go func() {
			defer seg.wg.Done()
			w.run()
		}()
	}
}

// stopWorkers closes the root workers' channels (each worker closes its
// children's) and waits for all of them, once.
func (seg *segment) stopWorkers() {
	for _, w := range seg.roots {
		close(w.in)
	}
	seg.wg.Wait()
	seg.workers, seg.roots = nil, nil
}

func (seg *segment) close() {
	seg.stopWorkers()
	for _, p := range seg.pendingAudio {
		p.Free()
	}
	seg.pendingAudio = nil
	seg.c.close()
	seg.cancel(nil)
}

// run demuxes and decodes the whole segment, feeding the workers, then
// drains the decoder and collects the renditions.
func (seg *segment) run() (*SegmentResult, error) {
	if err := seg.demux(); err != nil {
		return nil, seg.ctxErr(err)
	}
	if err := seg.drainDecoder(); err != nil {
		return nil, seg.ctxErr(err)
	}
	if seg.aac != nil {
		if err := seg.aac.push(nil, seg.queueAudio); err != nil {
			return nil, seg.ctxErr(err)
		}
	}
	if err := seg.checkDecoded(); err != nil {
		return nil, err
	}
	workers := seg.workers
	seg.stopWorkers()
	res := &SegmentResult{
		SourceWidth: seg.srcW, SourceHeight: seg.srcH,
		DecodedFrames: seg.decoded, DecodedPixels: seg.pixels,
		Decoder: seg.decName,
	}
	if seg.cudaFrames {
		res.DecoderHW = astiav.PixelFormatCuda.Name()
	}
	if seg.s.hw != nil && !seg.cudaFrames {
		res.HWFallback = HWFallbackOf(seg.cpuReason)
		if res.HWFallback == HWFallbackNone {
			res.HWFallback = HWFallbackDecoderInit // NVDEC set up, yet software frames came out
		}
	}
	for _, w := range workers {
		if w.err != nil {
			return nil, w.err
		}
		res.Renditions = append(res.Renditions, w.res)
	}
	if err := seg.ctx.Err(); err != nil {
		return nil, seg.ctxErr(err)
	}
	dur := seg.frameDur
	if seg.minDelta > 0 {
		dur = seg.minDelta
	}
	res.SourceDuration = durationOf(seg.last-seg.first+dur, seg.vTB)
	tb90 := astiav.NewRational(1, 90000)
	seg.s.tl.commit(seg.offset90, astiav.RescaleQ(seg.last+seg.offset, seg.vTB, tb90), astiav.RescaleQ(dur, seg.vTB, tb90))
	return res, nil
}

func (seg *segment) checkDecoded() error {
	switch {
	case seg.decoded > 0:
		return nil
	case seg.videoPackets == 0:
		return fmt.Errorf("%w: the video stream has no packets", ErrNoVideo)
	case seg.keyPackets == 0:
		return fmt.Errorf("%w: none of %d video packets is a keyframe", ErrNoKeyframe, seg.videoPackets)
	case seg.decodeErrs > 0:
		return fmt.Errorf("%w: %d video packets, %d decode errors, no picture", ErrCorrupt, seg.videoPackets, seg.decodeErrs)
	}
	return fmt.Errorf("%w: %d video packets gave no picture", ErrNoKeyframe, seg.videoPackets)
}

// demux reads every packet of the input. A read error other than the end of
// input ends the segment like the end of input does (a truncated segment
// still gives what it holds), unless the context is done.
func (seg *segment) demux() error {
	for {
		if err := seg.ctx.Err(); err != nil {
			return err
		}
		if err := seg.dmx.fc.ReadFrame(seg.pkt); err != nil {
			if seg.ctx.Err() != nil {
				return seg.ctx.Err()
			}
			return nil
		}
		if err := seg.handlePacket(); err != nil {
			return err
		}
	}
}

func (seg *segment) handlePacket() error {
	defer seg.pkt.Unref()
	switch seg.pkt.StreamIndex() {
	case seg.vIdx:
		seg.videoPackets++
		if seg.pkt.Flags().Has(astiav.PacketFlagKey) {
			seg.keyPackets++
		}
		if err := seg.checkStep(seg.pkt.Dts()); err != nil {
			return err
		}
		return seg.decode(seg.pkt)
	case seg.aIdx:
		if seg.aac != nil {
			return seg.aac.push(seg.pkt, seg.queueAudio)
		}
		p := seg.pkt.Clone()
		if p == nil {
			return errors.New("cloning audio packet failed")
		}
		return seg.queueAudio(p)
	}
	return nil
}

// queueAudio sends an output audio packet to the workers, or keeps it until
// the first video frame has placed the segment on the timeline. It takes
// ownership of p.
func (seg *segment) queueAudio(p *astiav.Packet) error {
	if !seg.started {
		seg.pendingAudio = append(seg.pendingAudio, p)
		return nil
	}
	return seg.sendAudio(p)
}
