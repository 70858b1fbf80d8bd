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
	name    string        // libavcodec decoder name, e.g. "h264"
	extra   []byte        // extradataKey of the stream it was opened for
	frame   *astiav.Frame // reused for every decoded frame
	// depth is the rendition queue depth segments use with this decoder:
	// on the GPU, what its surface pool was planned for.
	depth int
	// hw is set when the decoder decodes with NVDEC; nil on the CPU.
	hw *hwDecode
	// cpuReason says, on a GPU session, why this decoder runs on the CPU
	// (an ErrHW* error); nil otherwise.
	cpuReason error
}

// decoderConfig is how a decoder is opened; see Session.decoderPlan.
type decoderConfig struct {
	maxPixels int
	hw        *hwState // decode with NVDEC on this device; nil: on the CPU
	depth     int      // rendition queue depth
	fps       bool     // a rendition changes the frame rate
	cpuReason error    // a GPU session's reason to decode on the CPU
}

// newDecoder opens a decoder for the stream described by par. maxPixels
// makes libavcodec itself refuse pictures larger than the session's limit.
// With cfg.hw it decodes with NVDEC where the codec allows, into CUDA
// frames, on one thread (frame threads only add surfaces); a decoder that
// stays on the CPU, from the start or because the codec or device is not
// usable, lets libavcodec pick its threads.
func newDecoder(par *astiav.CodecParameters, cfg decoderConfig) (*decoder, error) {
	codec := astiav.FindDecoder(par.CodecID())
	if codec == nil {
		return nil, fmt.Errorf("%w: no decoder for %s", ErrUnsupportedCodec, par.CodecID())
	}
	cc := astiav.AllocCodecContext(codec)
	if cc == nil {
		return nil, errors.New("allocating decoder context failed")
	}
	d := &decoder{cc: cc, codecID: par.CodecID(), name: codec.Name(), extra: extradataKey(par.ExtraData()),
		depth: max(cfg.depth, 1), cpuReason: cfg.cpuReason}
	if err := par.ToCodecContext(cc); err != nil {
		d.free()
		return nil, fmt.Errorf("%w: decoder parameters: %w", ErrCorrupt, err)
	}
	threads := "auto"
	if cfg.hw != nil {
		if err := d.setupHW(codec, cfg.hw.dev, d.depth, cfg.fps); err != nil {
			d.cpuReason = err
		} else {
			threads = "1"
		}
	}
	if d.hw == nil {
		d.depth = defaultQueueDepth
	}
	opts := astiav.NewDictionary()
	defer opts.Free()
	_ = opts.Set("threads", threads, 0)
	_ = opts.Set("max_pixels", strconv.Itoa(cfg.maxPixels), 0)
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

// hwFallback is the error that ends a segment when the GPU decoder went to
// software in get_format; nil while it decodes on the GPU or on a CPU
// decoder.
func (d *decoder) hwFallback() error {
	if d.hw == nil || d.hw.fallback == nil {
		return nil
	}
	return fmt.Errorf("%w: %w", errHWFallback, d.hw.fallback)
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
		if d.hw != nil {
			d.cc.SetPixelFormatCallback(nil) // drops go-astiav's reference to the callback
		}
		d.cc.Free()
		d.cc = nil
	}
}
