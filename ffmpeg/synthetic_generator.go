package ffmpeg

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/asticode/go-astiav"
)

// generator owns the C objects of one GenerateSegments call; it is used by a
// single goroutine.
type generator struct {
	spec     SyntheticSpec
	segFr    int
	frees    closer
	video    *sourceGraph
	audio    *sourceGraph // nil without audio
	venc     *astiav.CodecContext
	aenc     *astiav.CodecContext
	frame    *astiav.Frame
	pkt      *astiav.Packet
	pending  [][]*astiav.Packet // packets by segment, index - next
	next     int                // next segment to emit
	vDoneSeg int                // video packets seen up to this segment
	aDoneSeg int                // audio packets seen up to this segment
	aSamples int64              // audio samples sent to the encoder
}

func newGenerator(spec SyntheticSpec) (g *generator, err error) {
	g = &generator{spec: spec, segFr: spec.SegmentFrames(), vDoneSeg: -1, aDoneSeg: -1}
	defer func() {
		if err != nil {
			g.free()
		}
	}()
	g.frame = astiav.AllocFrame()
	g.frees.add(g.frame.Free)
	g.pkt = astiav.AllocPacket()
	g.frees.add(g.pkt.Free)
	if g.video, err = newSourceGraph(videoSourceDesc(spec), "buffersink"); err != nil {
		return nil, fmt.Errorf("synthetic video source: %w", err)
	}
	g.frees.add(g.video.free)
	if g.venc, err = openSyntheticVideo(spec, g.segFr); err != nil {
		return nil, err
	}
	g.frees.add(g.venc.Free)
	if !spec.Audio {
		g.aDoneSeg = spec.Segments
	}
	if spec.Audio {
		desc := fmt.Sprintf("sine=frequency=440:sample_rate=%d:samples_per_frame=%d,"+
			"aformat=sample_fmts=fltp:channel_layouts=stereo", synthSampleRate, synthAACFrame)
		if g.audio, err = newSourceGraph(desc, "abuffersink"); err != nil {
			return nil, fmt.Errorf("synthetic audio source: %w", err)
		}
		g.frees.add(g.audio.free)
		if g.aenc, err = openSyntheticAAC(); err != nil {
			return nil, err
		}
		g.frees.add(g.aenc.Free)
	}
	return g, nil
}

func videoSourceDesc(spec SyntheticSpec) string {
	desc := fmt.Sprintf("testsrc2=size=%dx%d:rate=%d/%d", spec.Width, spec.Height, spec.FPS.Num, spec.FPS.Den)
	if spec.Noise {
		// Temporal + uniform noise on every plane; the seed makes it
		// reproducible.
		desc += fmt.Sprintf(",noise=alls=10:allf=t+u:all_seed=%d", spec.Seed&0x7fffffff)
	}
	return desc + ",format=" + spec.pixFmt()
}

// openSyntheticVideo opens libx264, or libx265 for CodecHEVC, with a
// keyframe at every segment start and nowhere else, like a live encoder
// feeding an HLS packager; x265 repeats its parameter sets at each one so
// that every segment decodes on its own.
func openSyntheticVideo(spec SyntheticSpec, segFr int) (*astiav.CodecContext, error) {
	name, paramsKey, params := "libx264", "x264-params", ""
	if spec.Codec == CodecHEVC {
		name, paramsKey, params = "libx265", "x265-params", ":repeat-headers=1:log-level=error"
	}
	codec := astiav.FindEncoderByName(name)
	if codec == nil {
		return nil, fmt.Errorf("synthetic video: %w: %s not in this libavcodec", ErrEncoderOpen, name)
	}
	cc := astiav.AllocCodecContext(codec)
	if cc == nil {
		return nil, errors.New("synthetic video: allocating codec context failed")
	}
	cc.SetWidth(spec.Width)
	cc.SetHeight(spec.Height)
	cc.SetPixelFormat(astiav.FindPixelFormatByName(spec.pixFmt()))
	cc.SetTimeBase(astiav.NewRational(1, mpegtsClock))
	cc.SetFramerate(astiav.NewRational(spec.FPS.Num, spec.FPS.Den))
	cc.SetSampleAspectRatio(astiav.NewRational(1, 1))
	cc.SetGopSize(segFr)
	if spec.Bitrate > 0 {
		cc.SetBitRate(spec.Bitrate)
	}
	cc.SetFlags(cc.Flags().Add(astiav.CodecContextFlagClosedGop))
	opts := astiav.NewDictionary()
	defer opts.Free()
	keyint := strconv.Itoa(segFr)
	for k, v := range map[string]string{
		"preset":     "fast",
		"forced-idr": "1",
		paramsKey:    "keyint=" + keyint + ":min-keyint=" + keyint + ":scenecut=0:open-gop=0" + params,
	} {
		if err := opts.Set(k, v, 0); err != nil {
			cc.Free()
			return nil, fmt.Errorf("synthetic video: option %s: %w", k, err)
		}
	}
	if err := cc.Open(codec, opts); err != nil {
		cc.Free()
		return nil, fmt.Errorf("synthetic video: %w: %s: %w", ErrEncoderOpen, name, err)
	}
	return cc, nil
}

func openSyntheticAAC() (*astiav.CodecContext, error) {
	codec := astiav.FindEncoderByName("aac")
	if codec == nil {
		return nil, fmt.Errorf("synthetic audio: %w: aac not in this libavcodec", ErrEncoderOpen)
	}
	cc := astiav.AllocCodecContext(codec)
	if cc == nil {
		return nil, errors.New("synthetic audio: allocating codec context failed")
	}
	cc.SetSampleFormat(astiav.SampleFormatFltp)
	cc.SetSampleRate(synthSampleRate)
	cc.SetChannelLayout(astiav.ChannelLayoutStereo)
	cc.SetTimeBase(astiav.NewRational(1, synthSampleRate))
	cc.SetBitRate(128000)
	if err := cc.Open(codec, nil); err != nil {
		cc.Free()
		return nil, fmt.Errorf("synthetic audio: %w: aac: %w", ErrEncoderOpen, err)
	}
	return cc, nil
}

func (g *generator) free() {
	for _, seg := range g.pending {
		for _, p := range seg {
			p.Free()
		}
	}
	g.pending = nil
	g.frees.close()
}

// run encodes every frame, routing packets to segments, and emits each
// segment once both encoders have moved past its end.
func (g *generator) run(ctx context.Context, emit func(int, []byte) error) error {
	total := g.spec.Segments * g.segFr
	for n := 0; n < total; n++ {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("generate segments: %w", err)
		}
		if err := g.encodeVideoFrame(n); err != nil {
			return err
		}
		if err := g.encodeAudioUntil(n + 1); err != nil {
			return err
		}
		if err := g.emitReady(emit); err != nil {
			return err
		}
	}
	if err := g.drain(g.venc, astiav.MediaTypeVideo); err != nil {
		return err
	}
	g.vDoneSeg = g.spec.Segments
	if g.aenc != nil {
		if err := g.drain(g.aenc, astiav.MediaTypeAudio); err != nil {
			return err
		}
	}
	g.aDoneSeg = g.spec.Segments
	return g.emitReady(emit)
}

func (g *generator) encodeVideoFrame(n int) error {
	defer g.frame.Unref()
	if err := g.video.sink.BuffersinkGetFrame(g.frame, astiav.NewBuffersinkFlags()); err != nil {
		return fmt.Errorf("synthetic video: pulling frame %d: %w", n, err)
	}
	g.frame.SetPts(g.spec.framePTS(n))
	g.frame.SetPictureType(astiav.PictureTypeNone)
	if n%g.segFr == 0 {
		g.frame.SetPictureType(astiav.PictureTypeI)
	}
	if err := g.venc.SendFrame(g.frame); err != nil {
		return fmt.Errorf("synthetic video: encoding frame %d: %w", n, err)
	}
	return g.receive(g.venc, astiav.MediaTypeVideo)
}

// encodeAudioUntil feeds the audio encoder up to the time of video frame n.
func (g *generator) encodeAudioUntil(n int) error {
	if g.aenc == nil {
		return nil
	}
	limit := int64(g.spec.FrameTime(n)-SyntheticStart) * synthSampleRate / int64(time.Second)
	for g.aSamples < limit {
		if err := g.encodeAudioFrame(); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) encodeAudioFrame() error {
	defer g.frame.Unref()
	if err := g.audio.sink.BuffersinkGetFrame(g.frame, astiav.NewBuffersinkFlags()); err != nil {
		return fmt.Errorf("synthetic audio: pulling frame: %w", err)
	}
	g.frame.SetPts(int64(SyntheticStart)*synthSampleRate/int64(time.Second) + g.aSamples)
	g.aSamples += int64(g.frame.NbSamples())
	if err := g.aenc.SendFrame(g.frame); err != nil {
		return fmt.Errorf("synthetic audio: encoding: %w", err)
	}
	return g.receive(g.aenc, astiav.MediaTypeAudio)
}

func (g *generator) drain(cc *astiav.CodecContext, mt astiav.MediaType) error {
	if err := cc.SendFrame(nil); err != nil {
		return fmt.Errorf("synthetic %s: flushing encoder: %w", mt, err)
	}
	return g.receive(cc, mt)
}

// receive moves every packet the encoder has ready into its segment.
func (g *generator) receive(cc *astiav.CodecContext, mt astiav.MediaType) error {
	for {
		err := cc.ReceivePacket(g.pkt)
		if errors.Is(err, astiav.ErrEagain) || errors.Is(err, astiav.ErrEof) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("synthetic %s: receiving packet: %w", mt, err)
		}
		seg := g.segmentOf(g.pkt.Pts(), cc.TimeBase(), mt == astiav.MediaTypeVideo)
		if mt == astiav.MediaTypeVideo {
			g.vDoneSeg = max(g.vDoneSeg, seg-1)
			g.pkt.SetStreamIndex(0)
		} else {
			g.aDoneSeg = max(g.aDoneSeg, seg-1)
			g.pkt.SetStreamIndex(1)
		}
		g.pkt.RescaleTs(cc.TimeBase(), astiav.NewRational(1, mpegtsClock))
		for len(g.pending) <= seg-g.next {
			g.pending = append(g.pending, nil)
		}
		g.pending[seg-g.next] = append(g.pending[seg-g.next], g.pkt.Clone())
		g.pkt.Unref()
	}
}

// segmentOf maps a timestamp to the segment it falls in, clamped to the
// segments not yet emitted and to the generated range (AAC priming puts the
// first audio packet slightly early). Video timestamps are frame times and
// round to the nearest frame; audio timestamps round down.
func (g *generator) segmentOf(pts int64, tb astiav.Rational, video bool) int {
	// Position in units of 1/(fps*tb.Den) seconds, relative to the start.
	num := int64(g.spec.FPS.Num)
	pos := pts*int64(tb.Num())*num - int64(SyntheticStart)*int64(tb.Den())*num/int64(time.Second)
	unit := int64(tb.Den()) * int64(g.spec.FPS.Den) // one frame
	if video {
		pos += unit / 2
	}
	seg := 0
	if pos > 0 {
		seg = int(pos / unit / int64(g.segFr))
	}
	return min(max(seg, g.next), g.spec.Segments-1)
}

// emitReady muxes and emits the segments both encoders have finished.
func (g *generator) emitReady(emit func(int, []byte) error) error {
	for len(g.pending) > 0 && g.next <= g.vDoneSeg && g.next <= g.aDoneSeg {
		pkts := g.pending[0]
		g.pending = g.pending[1:]
		data, err := muxSynthetic(g.venc, g.aenc, pkts)
		for _, p := range pkts {
			p.Free()
		}
		if err != nil {
			return fmt.Errorf("synthetic segment %d: %w", g.next, err)
		}
		if err := emit(g.next, data); err != nil {
			return err
		}
		g.next++
	}
	return nil
}

// muxSynthetic writes one segment's packets (stream 0 video, 1 audio, in the
// 90 kHz clock) as a self-contained MPEG-TS segment.
func muxSynthetic(venc, aenc *astiav.CodecContext, pkts []*astiav.Packet) (_ []byte, err error) {
	fc, err := astiav.AllocOutputFormatContext(nil, "mpegts", "")
	if err != nil {
		return nil, fmt.Errorf("allocating mpegts muxer: %w", err)
	}
	defer fc.Free()
	out, pb, err := newMemOutput()
	if err != nil {
		return nil, err
	}
	defer pb.Free()
	fc.SetPb(pb)
	encs := []*astiav.CodecContext{venc}
	if aenc != nil {
		encs = append(encs, aenc)
	}
	for _, enc := range encs {
		st := fc.NewStream(nil)
		if st == nil {
			return nil, errors.New("adding stream failed")
		}
		if err := st.CodecParameters().FromCodecContext(enc); err != nil {
			return nil, fmt.Errorf("copying codec parameters: %w", err)
		}
		st.SetTimeBase(astiav.NewRational(1, mpegtsClock))
	}
	if err := fc.WriteHeader(nil); err != nil {
		return nil, fmt.Errorf("writing header: %w", err)
	}
	for _, p := range pkts {
		st := fc.Streams()[p.StreamIndex()]
		p.RescaleTs(astiav.NewRational(1, mpegtsClock), st.TimeBase())
		if err := fc.WriteInterleavedFrame(p); err != nil {
			return nil, fmt.Errorf("writing packet: %w", err)
		}
	}
	if err := fc.WriteTrailer(); err != nil {
		return nil, fmt.Errorf("writing trailer: %w", err)
	}
	return out.Bytes(), nil
}
