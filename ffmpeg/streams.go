package ffmpeg

import "github.com/asticode/go-astiav"

// What the engine accepts from a segment's streams: the video codecs, the
// audio it can carry, and the frame rate it believes.

// supportedVideoCodec lists the source codecs the engine accepts.
func supportedVideoCodec(id astiav.CodecID) bool {
	switch id {
	case astiav.CodecIDH264, astiav.CodecIDHevc, astiav.CodecIDVp9,
		astiav.CodecIDMpeg2Video, astiav.CodecIDMpeg4, astiav.CodecIDVp8, astiav.CodecIDFlv1:
	default:
		if id.Name() != "av1" { // go-astiav v0.16.0 has no CodecIDAv1
			return false
		}
	}
	return astiav.FindDecoder(id) != nil
}

// audioUsable reports whether an audio stream can go into the outputs in
// the given mode: copied as is, or decoded and re-encoded to AAC.
func audioUsable(par *astiav.CodecParameters, mode AudioMode) bool {
	if par.SampleRate() <= 0 || par.Channels() <= 0 {
		return false
	}
	switch mode {
	case AudioCopy:
		switch par.CodecID() {
		case astiav.CodecIDAac, astiav.CodecIDMp3, astiav.CodecIDAc3, astiav.CodecIDEac3:
			return true
		}
	case AudioAAC:
		return astiav.FindDecoder(par.CodecID()) != nil
	}
	return false
}

// guessFPS is the stream's nominal frame rate, or 30 when it has none or an
// implausible one.
func guessFPS(fc *astiav.FormatContext, st *astiav.Stream) astiav.Rational {
	for _, r := range []astiav.Rational{st.AvgFrameRate(), fc.GuessFrameRate(st, nil)} {
		if r.Num() > 0 && r.Den() > 0 && r.Float64() >= 1 && r.Float64() <= maxFPS {
			return r
		}
	}
	return astiav.NewRational(30, 1)
}
