package ffmpeg

import (
	"context"
	"errors"
	"fmt"

	"github.com/asticode/go-astiav"
)

// streamCache is what probing found in a session's last probed segment, so
// that the next segments of the stream need not be probed again.
//
// avformat_find_stream_info reads and decodes the first packets of every
// segment: for H.264 it decodes seven pictures on one thread (about 25 ms
// for a 1080p segment on the development machine) while every other core
// waits for the first frame. The segments of one MPEG-TS stream carry the
// same programs, PIDs and codecs, so a warm session reads only the header
// (PAT/PMT) and, when the streams match, lends them the parameters probed
// before. Nothing else depends on them: the decoder follows in-band
// parameter sets, each frame is checked against the limits and scaled from
// its own size, and copied audio keeps its own headers (ADTS).
type streamCache struct {
	format  string
	streams []cachedStream
}

type cachedStream struct {
	id      int // the PID in MPEG-TS
	typ     astiav.MediaType
	codec   astiav.CodecID
	tb      astiav.Rational
	avgFPS  astiav.Rational
	realFPS astiav.Rational
	par     *astiav.CodecParameters // owned copy
}

// reusableFormat is the container whose segments may skip probing. In MP4
// and FLV the parameters live in a header that must be read anyway.
const reusableFormat = "mpegts"

// newStreamCache copies what probing found in fc. It returns nil when the
// format is not one whose probe results may be reused.
func newStreamCache(fc *astiav.FormatContext) *streamCache {
	name := formatName(fc)
	if name != reusableFormat {
		return nil
	}
	c := &streamCache{format: name}
	for _, st := range fc.Streams() {
		par := astiav.AllocCodecParameters()
		if par == nil || st.CodecParameters().Copy(par) != nil {
			if par != nil {
				par.Free()
			}
			c.free()
			return nil
		}
		c.streams = append(c.streams, cachedStream{
			id: st.ID(), typ: st.CodecParameters().MediaType(), codec: st.CodecParameters().CodecID(),
			tb: st.TimeBase(), avgFPS: st.AvgFrameRate(), realFPS: st.RFrameRate(), par: par,
		})
	}
	return c
}

func formatName(fc *astiav.FormatContext) string {
	if f := fc.InputFormat(); f != nil {
		return f.Name()
	}
	return ""
}

func (c *streamCache) free() {
	if c == nil {
		return
	}
	for _, s := range c.streams {
		s.par.Free()
	}
	c.streams = nil
}

// matches reports whether an unprobed fc has the same container and the same
// streams (PID, media type, codec and time base, in order) as the cache.
func (c *streamCache) matches(fc *astiav.FormatContext) bool {
	if c == nil || formatName(fc) != c.format || len(fc.Streams()) != len(c.streams) {
		return false
	}
	for i, st := range fc.Streams() {
		cs := c.streams[i]
		par := st.CodecParameters()
		if st.ID() != cs.id || par.MediaType() != cs.typ || par.CodecID() != cs.codec || st.TimeBase() != cs.tb {
			return false
		}
	}
	return true
}

// apply lends the cached parameters and frame rates to fc's streams.
func (c *streamCache) apply(fc *astiav.FormatContext) error {
	for i, st := range fc.Streams() {
		cs := c.streams[i]
		if err := cs.par.Copy(st.CodecParameters()); err != nil {
			return err
		}
		st.SetAvgFrameRate(cs.avgFPS)
		st.SetRFrameRate(cs.realFPS)
	}
	return nil
}

// openDemuxer opens a segment's input. It skips probing when the session
// holds a cache that fits (see streamCache) and probes otherwise. reused
// tells which happened.
func (s *Session) openDemuxer(ctx context.Context, in Input) (d *demuxer, reused bool, err error) {
	if s.streams == nil || !s.mayReuseStreams() {
		d, err = openInput(ctx, in)
		return d, false, err
	}
	if d, err = openInputUnprobed(ctx, in); err != nil {
		return nil, false, err
	}
	if s.streams.matches(d.fc) {
		if err = s.streams.apply(d.fc); err == nil {
			return d, true, nil
		}
	}
	if err = d.probe(ctx); err != nil {
		d.close()
		return nil, false, err
	}
	return d, false, nil
}

// mayReuseStreams reports whether this session may lend cached stream
// parameters to a segment. Audio that is re-encoded (AAC, or ADTS into
// MP4) is decoded with the stream's parameters, which must be this
// segment's; and a stream whose frame timing changed once is probed every
// time from then on (probeAlways).
func (s *Session) mayReuseStreams() bool {
	return !s.probeAlways && s.opts.Audio != AudioAAC && s.opts.Format == FormatMPEGTS
}

// errStaleStreams reports that a segment opened with cached stream
// parameters has another frame timing than the cache says: the segment
// is transcoded again, probed.
var errStaleStreams = errors.New("stream timing differs from the previous segment's")

// checkStep compares the first step between two video decode timestamps of
// a segment opened with cached parameters with the cached frame duration.
// It allows 1% and one tick of rounding.
func (seg *segment) checkStep(dts int64) error {
	if !seg.reused || seg.stepChecked || dts == astiav.NoPtsValue {
		return nil
	}
	if seg.lastVideoDts == astiav.NoPtsValue || dts <= seg.lastVideoDts {
		seg.lastVideoDts = dts
		return nil
	}
	seg.stepChecked = true
	step, want := dts-seg.lastVideoDts, seg.frameDur
	if diff := step - want; diff > want/100+1 || -diff > want/100+1 {
		return fmt.Errorf("%w: %d ticks between frames, %d expected", errStaleStreams, step, want)
	}
	return nil
}

// keepStreams replaces the session's cache with what this probed segment
// found.
func (s *Session) keepStreams(fc *astiav.FormatContext) {
	s.dropStreams()
	s.streams = newStreamCache(fc)
}

func (s *Session) dropStreams() {
	s.streams.free()
	s.streams = nil
}
