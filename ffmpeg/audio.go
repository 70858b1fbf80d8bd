package ffmpeg

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/asticode/go-astiav"
)

// aacRates are the sampling rates the AAC encoder takes; other sources are
// resampled to 48 kHz.
var aacRates = map[int]bool{96000: true, 88200: true, 64000: true, 48000: true, 44100: true,
	32000: true, 24000: true, 22050: true, 16000: true, 12000: true, 11025: true, 8000: true}

// aacBitrate is the bitrate of re-encoded audio.
const aacBitrate = 128_000

// audioTranscoder re-encodes a segment's audio to AAC once, for every
// rendition (AudioAAC). It is owned by the segment goroutine and freed with
// the segment.
type audioTranscoder struct {
	c         closer
	dec, enc  *astiav.CodecContext
	g         *astiav.FilterGraph
	src, sink *astiav.FilterContext
	inTB      astiav.Rational
	frame     *astiav.Frame
	filt      *astiav.Frame
	pkt       *astiav.Packet
	par       *astiav.CodecParameters // the encoder's, for the muxers
}

// newAudioTranscoder opens decoder, resampling graph and AAC encoder for the
// stream par in time base tb.
func newAudioTranscoder(par *astiav.CodecParameters, tb astiav.Rational) (_ *audioTranscoder, err error) {
	a := &audioTranscoder{inTB: tb}
	defer func() {
		if err != nil {
			a.free()
		}
	}()
	codec := astiav.FindDecoder(par.CodecID())
	if codec == nil {
		return nil, fmt.Errorf("%w: no audio decoder for %s", ErrUnsupportedCodec, par.CodecID())
	}
	if a.dec = astiav.AllocCodecContext(codec); a.dec == nil {
		return nil, errors.New("allocating audio decoder failed")
	}
	a.c.add(a.dec.Free)
	if err := par.ToCodecContext(a.dec); err != nil {
		return nil, fmt.Errorf("%w: audio parameters: %w", ErrCorrupt, err)
	}
	if err := a.dec.Open(codec, nil); err != nil {
		return nil, fmt.Errorf("%w: opening audio decoder: %w", ErrCorrupt, err)
	}
	rate, layout := 48000, astiav.ChannelLayoutStereo
	if aacRates[par.SampleRate()] {
		rate = par.SampleRate()
	}
	if par.Channels() == 1 {
		layout = astiav.ChannelLayoutMono
	}
	if err := a.openEncoder(rate, layout); err != nil {
		return nil, err
	}
	for _, p := range []**astiav.Frame{&a.frame, &a.filt} {
		if *p = astiav.AllocFrame(); *p == nil {
			return nil, errors.New("allocating audio frame failed")
		}
		a.c.add((*p).Free)
	}
	if a.pkt = astiav.AllocPacket(); a.pkt == nil {
		return nil, errors.New("allocating audio packet failed")
	}
	a.c.add(a.pkt.Free)
	return a, nil
}

func (a *audioTranscoder) openEncoder(rate int, layout astiav.ChannelLayout) error {
	codec := astiav.FindEncoder(astiav.CodecIDAac)
	if codec == nil {
		return fmt.Errorf("%w: no AAC encoder", ErrEncoderOpen)
	}
	if a.enc = astiav.AllocCodecContext(codec); a.enc == nil {
		return errors.New("allocating AAC encoder failed")
	}
	a.c.add(a.enc.Free)
	a.enc.SetSampleRate(rate)
	a.enc.SetChannelLayout(layout)
	a.enc.SetChannels(layout.NbChannels())
	a.enc.SetSampleFormat(astiav.SampleFormatFltp)
	a.enc.SetTimeBase(astiav.NewRational(1, rate))
	a.enc.SetBitRate(aacBitrate)
	if err := a.enc.Open(codec, nil); err != nil {
		return fmt.Errorf("%w: aac: %w", ErrEncoderOpen, err)
	}
	a.par = astiav.AllocCodecParameters()
	if a.par == nil {
		return errors.New("allocating audio parameters failed")
	}
	a.c.add(a.par.Free)
	return a.par.FromCodecContext(a.enc)
}

// tb is the time base of the packets the transcoder puts out.
func (a *audioTranscoder) tb() astiav.Rational { return a.enc.TimeBase() }

// buildGraph creates the resampling graph for the first decoded frame.
func (a *audioTranscoder) buildGraph(f *astiav.Frame) error {
	if a.g = astiav.AllocFilterGraph(); a.g == nil {
		return errors.New("allocating audio filter graph failed")
	}
	a.c.add(func() { freeGraph(a.g, a.src, a.sink) })
	args := astiav.FilterArgs{
		"time_base":   strconv.Itoa(a.inTB.Num()) + "/" + strconv.Itoa(a.inTB.Den()),
		"sample_rate": strconv.Itoa(f.SampleRate()),
		"sample_fmt":  f.SampleFormat().Name(),
	}
	if l := f.ChannelLayout(); l.Valid() {
		args["channel_layout"] = l.String()
	} else {
		args["channels"] = strconv.Itoa(l.NbChannels())
	}
	var err error
	if a.src, err = a.g.NewFilterContext(astiav.FindFilterByName("abuffer"), "in", args); err != nil {
		return fmt.Errorf("%w: audio source %v: %w", ErrCorrupt, args, err)
	}
	if a.sink, err = a.g.NewFilterContext(astiav.FindFilterByName("abuffersink"), "out", nil); err != nil {
		return fmt.Errorf("creating audio sink: %w", err)
	}
	outputs, inputs := astiav.AllocFilterInOut(), astiav.AllocFilterInOut()
	defer outputs.Free()
	defer inputs.Free()
	outputs.SetName("in")
	outputs.SetFilterContext(a.src)
	inputs.SetName("out")
	inputs.SetFilterContext(a.sink)
	desc := "aresample=" + strconv.Itoa(a.enc.SampleRate()) +
		",aformat=sample_fmts=fltp:channel_layouts=" + a.enc.ChannelLayout().String() +
		",asetnsamples=n=" + strconv.Itoa(a.enc.FrameSize()) + ":p=0"
	if err := a.g.Parse(desc, inputs, outputs); err != nil {
		return fmt.Errorf("parsing audio graph: %w", err)
	}
	if err := a.g.Configure(); err != nil {
		return fmt.Errorf("%w: configuring audio graph: %w", ErrCorrupt, err)
	}
	return nil
}

// push decodes p (nil: end of input) and emits every AAC packet that is
// ready. Undecodable audio is skipped; the video decides the segment.
func (a *audioTranscoder) push(p *astiav.Packet, emit func(*astiav.Packet) error) error {
	if err := a.dec.SendPacket(p); err != nil && !errors.Is(err, astiav.ErrEof) {
		return nil
	}
	for {
		err := a.dec.ReceiveFrame(a.frame)
		if errors.Is(err, astiav.ErrEagain) || errors.Is(err, astiav.ErrEof) {
			break
		}
		if err != nil {
			return nil
		}
		err = a.filter(a.frame, emit)
		a.frame.Unref()
		if err != nil {
			return err
		}
	}
	if p != nil || a.g == nil {
		return nil
	}
	if err := a.filter(nil, emit); err != nil {
		return err
	}
	if err := a.enc.SendFrame(nil); err != nil {
		return fmt.Errorf("flushing aac encoder: %w", err)
	}
	return a.receive(emit)
}

func (a *audioTranscoder) filter(f *astiav.Frame, emit func(*astiav.Packet) error) error {
	if a.g == nil {
		if err := a.buildGraph(f); err != nil {
			return err
		}
	}
	if err := a.src.BuffersrcAddFrame(f, astiav.NewBuffersrcFlags(astiav.BuffersrcFlagKeepRef)); err != nil {
		return nil // a frame whose format changed mid-segment: drop it
	}
	for {
		err := a.sink.BuffersinkGetFrame(a.filt, 0)
		if errors.Is(err, astiav.ErrEagain) || errors.Is(err, astiav.ErrEof) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: audio filter: %w", ErrCorrupt, err)
		}
		err = a.enc.SendFrame(a.filt)
		a.filt.Unref()
		if err != nil {
			return fmt.Errorf("aac encoding: %w", err)
		}
		if err := a.receive(emit); err != nil {
			return err
		}
	}
}

func (a *audioTranscoder) receive(emit func(*astiav.Packet) error) error {
	for {
		err := a.enc.ReceivePacket(a.pkt)
		if errors.Is(err, astiav.ErrEagain) || errors.Is(err, astiav.ErrEof) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("aac encoding: %w", err)
		}
		p := a.pkt.Clone()
		a.pkt.Unref()
		if p == nil {
			return errors.New("cloning aac packet failed")
		}
		if err := emit(p); err != nil {
			return err
		}
	}
}

func (a *audioTranscoder) free() { a.c.close() }
