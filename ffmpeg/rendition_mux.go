package ffmpeg

import (
	"errors"
	"fmt"

	"github.com/asticode/go-astiav"
)

// The rendition worker's muxer: one in-memory MPEG-TS or MP4 file per
// segment, whose bytes count against the segment's output budget.

func (w *renditionWorker) writeVideo() error {
	defer w.pkt.Unref()
	pts := w.pkt.Pts()
	if pts != astiav.NoPtsValue {
		if w.minPts == astiav.NoPtsValue || pts < w.minPts {
			w.minPts = pts
		}
		if w.maxPts == astiav.NoPtsValue || pts > w.maxPts {
			w.maxPts = pts
		}
	}
	w.res.Frames++
	w.pkt.RescaleTs(w.enc.TimeBase(), w.vStream.TimeBase())
	w.pkt.SetStreamIndex(w.vStream.Index())
	return w.muxErr("muxing video", w.mux.WriteInterleavedFrame(w.pkt))
}

// writeAudio muxes one audio packet (and frees it). Packets without
// timestamps or whose DTS does not increase are dropped: the muxer would
// refuse them, and one bad packet must not fail the segment.
func (w *renditionWorker) writeAudio(p *astiav.Packet) error {
	defer p.Free()
	if w.aStream == nil {
		return nil
	}
	if p.Dts() == astiav.NoPtsValue {
		p.SetDts(p.Pts())
	}
	if p.Dts() == astiav.NoPtsValue || (w.lastAudioDts != astiav.NoPtsValue && p.Dts() <= w.lastAudioDts) {
		return nil
	}
	if p.Pts() == astiav.NoPtsValue || p.Pts() < p.Dts() {
		p.SetPts(p.Dts())
	}
	w.lastAudioDts = p.Dts()
	p.RescaleTs(w.audio.tb, w.aStream.TimeBase())
	p.SetStreamIndex(w.aStream.Index())
	return w.muxErr("muxing audio", w.mux.WriteInterleavedFrame(p))
}

func (w *renditionWorker) openMuxer() error {
	mux, err := astiav.AllocOutputFormatContext(nil, string(w.opts.Format), "")
	if err != nil || mux == nil {
		return fmt.Errorf("allocating %s muxer: %w", w.opts.Format, errors.Join(err, errors.New("no context")))
	}
	w.mux = mux
	w.c.add(mux.Free)
	out, pb, err := newMemOutput()
	if err != nil {
		return err
	}
	w.out = out
	out.budget = w.budget
	w.c.add(pb.Free)
	mux.SetPb(pb)
	if w.vStream = mux.NewStream(nil); w.vStream == nil {
		return errors.New("adding video stream failed")
	}
	if err := w.vStream.CodecParameters().FromCodecContext(w.enc); err != nil {
		return fmt.Errorf("video stream parameters: %w", err)
	}
	w.vStream.SetTimeBase(w.enc.TimeBase())
	if w.audio != nil {
		if w.aStream = mux.NewStream(nil); w.aStream == nil {
			return errors.New("adding audio stream failed")
		}
		if err := w.audio.par.Copy(w.aStream.CodecParameters()); err != nil {
			return fmt.Errorf("audio stream parameters: %w", err)
		}
		w.aStream.CodecParameters().SetCodecTag(0)
		w.aStream.SetTimeBase(w.audio.tb)
	}
	d := astiav.NewDictionary()
	defer d.Free()
	switch w.opts.Format {
	case FormatMPEGTS:
		// Keep the session's timestamps instead of shifting them by the
		// muxer's default 1.4 s delay.
		_ = d.Set("mpegts_copyts", "1", 0)
		// As the ffmpeg CLI does (-muxdelay 0.7): lets the muxer pack
		// several audio frames into one PES, saving ~15 kb/s of headers.
		_ = d.Set("max_delay", "700000", 0)
	case FormatMP4:
		// A plain MP4 (moov after the media, written by seeking back in
		// memory) gets exact edit lists; a fragmented one with an empty moov
		// folds the audio priming delay into the first video sample.
		_ = d.Set("use_editlist", "1", 0)
	}
	return w.muxErr("writing "+string(w.opts.Format)+" header", mux.WriteHeader(d))
}

// detachOutput returns what m collected and drops m's reference to it.
// go-astiav v0.16.0 never removes an IO context's callbacks from its handler
// table, so anything the callbacks reach lives on after IOContext.Free.
func detachOutput(m *memOutput) []byte {
	b := m.Bytes()
	m.buf = nil
	return b
}
