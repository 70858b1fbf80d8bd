package ffmpeg

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/asticode/go-astiav"
)

// RetimeVideo remuxes the video of an MPEG-TS segment (audio is dropped)
// with its frames step apart instead of one frame duration: decode order
// and B-frame offsets are kept, scaled alike. It makes, from a generated
// segment, the timestamp flood that Limits.MaxFrameRate refuses (frames
// 1 ms apart), for tests and fuzzing.
func RetimeVideo(ctx context.Context, data []byte, step time.Duration) ([]byte, error) {
	if step <= 0 {
		return nil, fmt.Errorf("retime: %w: step %v", ErrBadOptions, step)
	}
	anchor := astiav.NoPtsValue
	video := func(st *astiav.Stream) bool { return st.CodecParameters().MediaType() == astiav.MediaTypeVideo }
	return remuxMPEGTS(ctx, data, video, func(p *astiav.Packet, in *astiav.Stream) bool {
		if anchor == astiav.NoPtsValue {
			anchor = p.Dts()
			if anchor == astiav.NoPtsValue {
				anchor = p.Pts()
			}
		}
		fps := in.AvgFrameRate()
		if fps.Num() <= 0 || fps.Den() <= 0 {
			fps = astiav.NewRational(30, 1)
		}
		frameTB := astiav.NewRational(fps.Den(), fps.Num())
		stepTS := astiav.RescaleQ(step.Microseconds(), astiav.NewRational(1, 1000000), in.TimeBase())
		retime := func(ts int64) int64 {
			if ts == astiav.NoPtsValue || anchor == astiav.NoPtsValue {
				return ts
			}
			return anchor + astiav.RescaleQ(ts-anchor, in.TimeBase(), frameTB)*stepTS
		}
		p.SetPts(retime(p.Pts()))
		p.SetDts(retime(p.Dts()))
		p.SetDuration(stepTS)
		return true
	})
}

// remuxMPEGTS copies the streams of an MPEG-TS segment that want accepts
// into a new MPEG-TS file, passing each of their packets to edit, which may
// change it (timestamps in its stream's time base) and drops it by
// returning false. Every C object is freed before it returns.
func remuxMPEGTS(ctx context.Context, data []byte, want func(*astiav.Stream) bool, edit func(*astiav.Packet, *astiav.Stream) bool) ([]byte, error) {
	dmx, err := openInput(ctx, Input{Data: data, FormatHint: "mpegts"})
	if err != nil {
		return nil, fmt.Errorf("remux: %w", err)
	}
	var c closer
	defer c.close()
	c.add(dmx.close)
	mux, err := astiav.AllocOutputFormatContext(nil, "mpegts", "")
	if err != nil || mux == nil {
		return nil, fmt.Errorf("remux: allocating muxer: %w", errors.Join(err, errors.New("no context")))
	}
	c.add(mux.Free)
	out, pb, err := newMemOutput()
	if err != nil {
		return nil, fmt.Errorf("remux: %w", err)
	}
	c.add(pb.Free)
	mux.SetPb(pb)
	streams, err := remuxStreams(dmx.fc, mux, want)
	if err != nil {
		return nil, err
	}
	opts := astiav.NewDictionary()
	c.add(opts.Free)
	_ = opts.Set("mpegts_copyts", "1", 0)
	if err := mux.WriteHeader(opts); err != nil {
		return nil, fmt.Errorf("remux: %w: write header: %w", ErrCorrupt, err)
	}
	if err := remuxPackets(dmx.fc, mux, streams, edit, &c); err != nil {
		return nil, err
	}
	if err := mux.WriteTrailer(); err != nil {
		return nil, fmt.Errorf("remux: %w: write trailer: %w", ErrCorrupt, err)
	}
	return bytes.Clone(detachOutput(out)), nil
}

// remuxStreams adds an output stream to mux for every input stream want
// accepts, keyed by the input stream's index.
func remuxStreams(in, mux *astiav.FormatContext, want func(*astiav.Stream) bool) (map[int]*astiav.Stream, error) {
	streams := map[int]*astiav.Stream{}
	for _, st := range in.Streams() {
		if !want(st) {
			continue
		}
		o := mux.NewStream(nil)
		if o == nil {
			return nil, errors.New("remux: adding stream failed")
		}
		if err := st.CodecParameters().Copy(o.CodecParameters()); err != nil {
			return nil, fmt.Errorf("remux: stream parameters: %w", err)
		}
		o.CodecParameters().SetCodecTag(0)
		o.SetTimeBase(st.TimeBase())
		streams[st.Index()] = o
	}
	return streams, nil
}

func remuxPackets(in, mux *astiav.FormatContext, streams map[int]*astiav.Stream, edit func(*astiav.Packet, *astiav.Stream) bool, c *closer) error {
	pkt := astiav.AllocPacket()
	if pkt == nil {
		return errors.New("remux: allocating packet failed")
	}
	c.add(pkt.Free)
	for in.ReadFrame(pkt) == nil {
		src := in.Streams()[pkt.StreamIndex()]
		o, ok := streams[pkt.StreamIndex()]
		if ok && edit(pkt, src) {
			pkt.RescaleTs(src.TimeBase(), o.TimeBase())
			pkt.SetStreamIndex(o.Index())
			if err := mux.WriteInterleavedFrame(pkt); err != nil {
				pkt.Unref()
				return fmt.Errorf("remux: %w: write packet: %w", ErrCorrupt, err)
			}
		}
		pkt.Unref()
	}
	return nil
}
