package ffmpeg

//#cgo pkg-config: libavcodec
//#include <libavcodec/avcodec.h>
import "C"

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/asticode/go-astiav"
)

// videoDecoder demuxes an Input and decodes its first video stream, frame by
// frame, for Probe and PSNR. It notes what it sees of the first audio stream
// on the way. One goroutine owns it.
type videoDecoder struct {
	d      *demuxer
	vs, as *astiav.Stream // as is nil without audio
	cc     *astiav.CodecContext
	pkt    *astiav.Packet
	frees  closer

	flushed      bool // the decoder was sent its end-of-stream
	packets      int64
	firstKey     bool
	decodeErrors int

	audioPackets          int64
	audioFirst, audioLast int64
	audioLastDur          int64
}

// maxDecodeErrors bounds how many rejected packets a decode tolerates before
// it calls the input corrupt.
const maxDecodeErrors = 1000

func openVideoDecoder(ctx context.Context, in Input) (_ *videoDecoder, err error) {
	d, err := openInput(ctx, in)
	if err != nil {
		return nil, err
	}
	v := &videoDecoder{d: d}
	v.frees.add(d.close)
	defer func() {
		if err != nil {
			v.close()
		}
	}()
	for _, st := range d.fc.Streams() {
		switch st.CodecParameters().MediaType() {
		case astiav.MediaTypeVideo:
			if v.vs == nil {
				v.vs = st
			}
		case astiav.MediaTypeAudio:
			if v.as == nil {
				v.as = st
			}
		}
	}
	if v.vs == nil {
		return nil, ErrNoVideo
	}
	cp := v.vs.CodecParameters()
	if cp.Width()*cp.Height() > DefaultLimits.MaxPixels {
		return nil, fmt.Errorf("%w: %dx%d", ErrTooLarge, cp.Width(), cp.Height())
	}
	codec := astiav.FindDecoder(cp.CodecID())
	if codec == nil {
		return nil, fmt.Errorf("%w: no decoder for %s", ErrUnsupportedCodec, cp.CodecID())
	}
	if v.cc = astiav.AllocCodecContext(codec); v.cc == nil {
		return nil, errors.New("allocating decoder failed")
	}
	v.frees.add(v.cc.Free)
	if err := cp.ToCodecContext(v.cc); err != nil {
		return nil, fmt.Errorf("%w: decoder parameters: %w", ErrCorrupt, err)
	}
	v.cc.SetTimeBase(v.vs.TimeBase())
	if err := v.cc.Open(codec, nil); err != nil {
		return nil, fmt.Errorf("%w: opening %s decoder: %w", ErrUnsupportedCodec, codec.Name(), err)
	}
	v.pkt = astiav.AllocPacket()
	v.frees.add(v.pkt.Free)
	return v, nil
}

func (v *videoDecoder) close() { v.frees.close() }

// next decodes the next video frame into f, which the caller unrefs. It
// returns io.EOF after the last frame, the decoder drained.
func (v *videoDecoder) next(ctx context.Context, f *astiav.Frame) error {
	for {
		err := v.cc.ReceiveFrame(f)
		switch {
		case err == nil:
			if f.Width()*f.Height() > DefaultLimits.MaxPixels {
				return fmt.Errorf("%w: decoded frame %dx%d", ErrTooLarge, f.Width(), f.Height())
			}
			return nil
		case errors.Is(err, astiav.ErrEof):
			return io.EOF
		case errors.Is(err, astiav.ErrEagain):
		default:
			if v.decodeErrors++; v.decodeErrors > maxDecodeErrors {
				return fmt.Errorf("%w: decoding: %w", ErrCorrupt, err)
			}
			continue
		}
		if v.flushed {
			return io.EOF
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := v.sendPacket(ctx); err != nil {
			return err
		}
	}
}

// sendPacket reads up to the next video packet and sends it to the decoder,
// or sends end of stream when the input is exhausted.
func (v *videoDecoder) sendPacket(ctx context.Context) error {
	defer v.pkt.Unref()
	for {
		err := v.d.fc.ReadFrame(v.pkt)
		if errors.Is(err, astiav.ErrEof) {
			v.flushed = true
			if err := v.cc.SendPacket(nil); err != nil && !errors.Is(err, astiav.ErrEof) {
				return fmt.Errorf("%w: flushing decoder: %w", ErrCorrupt, err)
			}
			return nil
		}
		if err != nil {
			return v.d.wrap(ctx, "reading packet", err)
		}
		if v.as != nil && v.pkt.StreamIndex() == v.as.Index() {
			v.noteAudio()
		}
		if v.pkt.StreamIndex() == v.vs.Index() {
			break
		}
		v.pkt.Unref()
	}
	if v.packets == 0 {
		v.firstKey = v.pkt.Flags().Has(astiav.PacketFlagKey)
	}
	v.packets++
	if err := v.cc.SendPacket(v.pkt); err != nil {
		if v.decodeErrors++; v.decodeErrors > maxDecodeErrors {
			return fmt.Errorf("%w: decoding: %w", ErrCorrupt, err)
		}
	}
	return nil
}

func (v *videoDecoder) noteAudio() {
	pts := v.pkt.Pts()
	if pts == astiav.NoPtsValue {
		return
	}
	if v.audioPackets == 0 || pts < v.audioFirst {
		v.audioFirst = pts
	}
	if v.audioPackets == 0 || pts >= v.audioLast {
		v.audioLast, v.audioLastDur = pts, v.pkt.Duration()
	}
	v.audioPackets++
}

// mediaInfo fills what the demuxer knows before decoding.
func (v *videoDecoder) mediaInfo() *MediaInfo {
	info := &MediaInfo{}
	if f := v.d.fc.InputFormat(); f != nil {
		info.Format = f.Name()
	}
	if d := v.d.fc.Duration(); d > 0 && d != astiav.NoPtsValue {
		info.Duration = time.Duration(d) * time.Microsecond
	}
	cp := v.vs.CodecParameters()
	fr := v.vs.AvgFrameRate()
	info.Video = &StreamInfo{
		Index:     v.vs.Index(),
		Codec:     cp.CodecID().Name(),
		Profile:   profileName(cp.CodecID(), cp.Profile()),
		Width:     cp.Width(),
		Height:    cp.Height(),
		PixFmt:    cp.PixelFormat().Name(),
		FrameRate: Rational{fr.Num(), fr.Den()},
	}
	return info
}

// fillVideoTimes sets the video timestamps and counters once decoding is
// done.
func (v *videoDecoder) fillVideoTimes(s *StreamInfo, first, last int64) {
	tb := v.vs.TimeBase()
	s.FirstPTS = tsToDuration(first, tb)
	s.LastPTS = tsToDuration(last, tb)
	s.StartsWithKeyframe = v.firstKey
	s.DecodeErrors = v.decodeErrors
	var frameDur time.Duration
	if fr := s.FrameRate; !fr.IsZero() && fr.Num > 0 && fr.Den > 0 {
		frameDur = time.Duration(int64(time.Second) * int64(fr.Den) / int64(fr.Num))
	} else if s.Frames > 1 {
		frameDur = (s.LastPTS - s.FirstPTS) / time.Duration(s.Frames-1)
	}
	s.Duration = s.LastPTS - s.FirstPTS + frameDur
	// The decoder's view is more reliable than the container's.
	if w, h := v.cc.Width(), v.cc.Height(); w > 0 && h > 0 {
		s.Width, s.Height = w, h
	}
	if pf := v.cc.PixelFormat(); pf != astiav.PixelFormatNone {
		s.PixFmt = pf.Name()
	}
}

// fillAudio describes the first audio stream from its packets.
func (v *videoDecoder) fillAudio(info *MediaInfo) {
	if v.as == nil {
		return
	}
	cp := v.as.CodecParameters()
	tb := v.as.TimeBase()
	a := &StreamInfo{
		Index:      v.as.Index(),
		Codec:      cp.CodecID().Name(),
		Profile:    profileName(cp.CodecID(), cp.Profile()),
		Frames:     v.audioPackets,
		SampleRate: cp.SampleRate(),
		Channels:   cp.ChannelLayout().NbChannels(),
	}
	if v.audioPackets > 0 {
		a.FirstPTS = tsToDuration(v.audioFirst, tb)
		a.LastPTS = tsToDuration(v.audioLast, tb)
		a.Duration = tsToDuration(v.audioLast+v.audioLastDur-v.audioFirst, tb)
	}
	info.Audio = a
}

// tsToDuration converts a timestamp in time base tb, rounding to the
// nearest nanosecond without overflowing for 33-bit MPEG-TS clocks.
func tsToDuration(ts int64, tb astiav.Rational) time.Duration {
	if tb.Den() == 0 {
		return 0
	}
	return time.Duration(astiav.RescaleQ(ts, tb, astiav.NewRational(1, int(time.Second))))
}

// profileName is avcodec_profile_name, which go-astiav lacks.
func profileName(id astiav.CodecID, p astiav.Profile) string {
	name := C.avcodec_profile_name(C.enum_AVCodecID(id), C.int(p))
	if name == nil {
		return ""
	}
	return C.GoString(name)
}
