package ffmpeg

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"

	"github.com/asticode/go-astiav"
)

// decoder is a session's warm video decoder. It survives across segments
// while the codec and its extradata stay the same: at the end of a segment
// it is drained and reset with avcodec_flush_buffers instead of re-opened.
type decoder struct {
	cc      *astiav.CodecContext
	codecID astiav.CodecID
	extra   []byte        // extradataKey of the stream it was opened for
	frame   *astiav.Frame // reused for every decoded frame
}

// newDecoder opens a decoder for the stream described by par. maxPixels
// makes libavcodec itself refuse pictures larger than the session's limit.
// With hw it decodes with NVDEC where the codec allows, into CUDA frames;
// extraFrames is how many decoded frames the renditions may hold at once.
func newDecoder(par *astiav.CodecParameters, maxPixels int, hw *hwState, extraFrames int) (*decoder, error) {
	codec := astiav.FindDecoder(par.CodecID())
	if codec == nil {
		return nil, fmt.Errorf("%w: no decoder for %s", ErrUnsupportedCodec, par.CodecID())
	}
	cc := astiav.AllocCodecContext(codec)
	if cc == nil {
		return nil, errors.New("allocating decoder context failed")
	}
	d := &decoder{cc: cc, codecID: par.CodecID(), extra: extradataKey(par.ExtraData())}
	if err := par.ToCodecContext(cc); err != nil {
		d.free()
		return nil, fmt.Errorf("%w: decoder parameters: %w", ErrCorrupt, err)
	}
	threads := "auto"
	if hw != nil && useHWDecoder(cc, codec, hw, extraFrames) {
		threads = "1" // NVDEC does the work; frame threads only add surfaces in flight
	}
	opts := astiav.NewDictionary()
	defer opts.Free()
	_ = opts.Set("threads", threads, 0)
	_ = opts.Set("max_pixels", strconv.Itoa(maxPixels), 0)
	if err := cc.Open(codec, opts); err != nil {
		d.free()
		return nil, fmt.Errorf("%w: opening %s decoder: %w", ErrCorrupt, codec.Name(), err)
	}
	if d.frame = astiav.AllocFrame(); d.frame == nil {
		d.free()
		return nil, errors.New("allocating decoder frame failed")
	}
	return d, nil
}

// matches reports whether the decoder can go on decoding a stream with par.
func (d *decoder) matches(par *astiav.CodecParameters) bool {
	return d.codecID == par.CodecID() && bytes.Equal(d.extra, extradataKey(par.ExtraData()))
}

// annexB marks extradata made of start-code prefixed parameter sets.
var annexB = []byte("annex-b")

// extradataKey is what must stay equal for a decoder to be kept. Streams
// that carry their parameter sets in-band (MPEG-TS: no extradata, or
// Annex B parameter sets the demuxer copied out) all match: the decoder
// follows new SPS/PPS (a resolution change) by itself. Length-prefixed
// configurations (avcC/hvcC from MP4 and FLV) must match exactly.
func extradataKey(b []byte) []byte {
	if len(b) == 0 || bytes.HasPrefix(b, []byte{0, 0, 1}) || bytes.HasPrefix(b, []byte{0, 0, 0, 1}) {
		return annexB
	}
	return bytes.Clone(b)
}

// reset makes a drained decoder accept packets again. It reports false when
// the decoder must be re-created instead.
func (d *decoder) reset() bool {
	d.frame.Unref()
	return flushCodec(d.cc)
}

func (d *decoder) free() {
	if d.frame != nil {
		d.frame.Free()
		d.frame = nil
	}
	if d.cc != nil {
		d.cc.Free()
		d.cc = nil
	}
}
