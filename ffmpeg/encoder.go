package ffmpeg

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/asticode/go-astiav"
)

// encoderParams is what a rendition's encoder is opened with; the picture
// side comes from the rendition's filter graph output.
type encoderParams struct {
	spec     RenditionSpec
	opts     *Options
	width    int
	height   int
	pixFmt   astiav.PixelFormat
	sar      astiav.Rational
	tb       astiav.Rational // time base of the frames sent to it
	fps      astiav.Rational // nominal output frame rate
	global   bool            // container wants global headers (MP4)
	gpuName  string          // NVENC encoder name, or "" for the CPU
	hwFrames *hwFrames       // CUDA frames pool of the input (NVENC)
}

// encoderName maps a codec family to the libavcodec encoder that serves it.
func encoderName(c Codec) string {
	switch c {
	case CodecHEVC:
		return "libx265"
	case CodecVP9:
		return "libvpx-vp9"
	case CodecAV1:
		return "libsvtav1"
	default:
		return "libx264"
	}
}

// gopFrames is the keyframe interval in frames: GOP seconds times the frame
// rate, at least 1. Intra renditions use 1; a zero GOP lets the encoder pick.
func gopFrames(spec RenditionSpec, fps astiav.Rational) int {
	if spec.Intra {
		return 1
	}
	if spec.GOP <= 0 || fps.Num() <= 0 || fps.Den() <= 0 {
		return 0
	}
	g := int(math.Round(spec.GOP.Seconds() * float64(fps.Num()) / float64(fps.Den())))
	return max(g, 1)
}

// encoder is the name of the libavcodec encoder the rendition opens.
func (p encoderParams) encoder() string {
	if p.gpuName != "" {
		return p.gpuName
	}
	return encoderName(p.spec.Codec)
}

// openVideoEncoder opens the rendition's video encoder.
func openVideoEncoder(p encoderParams) (*astiav.CodecContext, error) {
	name := p.encoder()
	codec := astiav.FindEncoderByName(name)
	if codec == nil {
		return nil, fmt.Errorf("%w: encoder %s is not built into libavcodec", ErrEncoderOpen, name)
	}
	cc := astiav.AllocCodecContext(codec)
	if cc == nil {
		return nil, errors.New("allocating encoder context failed")
	}
	cc.SetWidth(p.width)
	cc.SetHeight(p.height)
	cc.SetPixelFormat(p.pixFmt)
	cc.SetSampleAspectRatio(p.sar)
	cc.SetTimeBase(p.tb)
	cc.SetFramerate(p.fps)
	cc.SetBitRate(p.spec.Bitrate)
	if p.global {
		cc.SetFlags(cc.Flags().Add(astiav.CodecContextFlagGlobalHeader))
	}
	if p.hwFrames != nil {
		if err := setCodecHWFrames(cc, p.hwFrames); err != nil {
			cc.Free()
			return nil, fmt.Errorf("%w: %s: %w", ErrEncoderOpen, name, err)
		}
	}
	d := astiav.NewDictionary()
	defer d.Free()
	for _, kv := range encoderOptions(name, p) {
		if err := d.Set(kv[0], kv[1], 0); err != nil {
			cc.Free()
			return nil, fmt.Errorf("setting encoder option %s: %w", kv[0], err)
		}
	}
	if err := cc.Open(codec, d); err != nil {
		cc.Free()
		return nil, fmt.Errorf("%w: %s %dx%d: %w", ErrEncoderOpen, name, p.width, p.height, err)
	}
	return cc, nil
}

// encoderOptions are the AVOptions (generic and private) for one encoder.
// Rate control: average bitrate with a VBV of maxrate = 1.1 × bitrate and
// bufsize = 2 × bitrate, which keeps HLS peaks near the declared bandwidth.
func encoderOptions(name string, p encoderParams) [][2]string {
	s := p.spec
	g := gopFrames(s, p.fps)
	threads := "auto"
	if p.opts.Threads > 0 {
		threads = strconv.Itoa(p.opts.Threads)
	}
	bf := s.BFrames
	if s.Intra || s.Profile == "constrainedhigh" {
		bf = 0
	}
	maxrate := strconv.FormatInt(s.Bitrate*11/10, 10)
	bufsize := strconv.FormatInt(s.Bitrate*2, 10)
	o := [][2]string{{"threads", threads}}
	if g > 0 {
		o = append(o, [2]string{"g", strconv.Itoa(g)})
	}
	switch name {
	case "libx264":
		// forced-idr: the I picture forced at every segment's first frame
		// is an IDR, which a warm encoder's segments need (warm.go).
		o = append(o, [2]string{"preset", p.opts.Preset}, [2]string{"bf", strconv.Itoa(bf)},
			[2]string{"maxrate", maxrate}, [2]string{"bufsize", bufsize}, [2]string{"forced-idr", "1"})
		if p.opts.ZeroLatency {
			o = append(o, [2]string{"tune", "zerolatency"})
		}
		if g > 0 {
			// Fixed GOP: keyframes line up across renditions.
			o = append(o, [2]string{"keyint_min", strconv.Itoa(g)})
		}
		if prof := x264Profile(s.Profile); prof != "" {
			o = append(o, [2]string{"profile", prof})
		}
	case "libx265":
		// Closed GOPs: every keyframe an IDR, as with libx264, so each
		// GOP (and each segment) decodes on its own.
		xp := "log-level=error:open-gop=0:bframes=" + strconv.Itoa(bf)
		if g > 0 {
			xp += ":keyint=" + strconv.Itoa(g) + ":min-keyint=" + strconv.Itoa(g)
		}
		xp += ":vbv-maxrate=" + strconv.FormatInt(s.Bitrate*11/10/1000, 10) +
			":vbv-bufsize=" + strconv.FormatInt(s.Bitrate*2/1000, 10)
		o = append(o, [2]string{"preset", p.opts.Preset}, [2]string{"x265-params", xp}, [2]string{"forced-idr", "1"})
		if p.opts.ZeroLatency {
			o = append(o, [2]string{"tune", "zerolatency"})
		}
	case "libvpx-vp9":
		o = append(o, [2]string{"deadline", "realtime"}, [2]string{"cpu-used", "8"},
			[2]string{"row-mt", "1"}, [2]string{"maxrate", maxrate}, [2]string{"bufsize", bufsize})
	case "libsvtav1":
		o = append(o, [2]string{"preset", "10"})
	case "h264_nvenc", "hevc_nvenc":
		o = append(o, [2]string{"preset", "p4"}, [2]string{"tune", "ll"}, [2]string{"bf", strconv.Itoa(bf)},
			[2]string{"maxrate", maxrate}, [2]string{"bufsize", bufsize}, [2]string{"forced-idr", "1"})
		if prof := x264Profile(s.Profile); prof != "" && name == "h264_nvenc" {
			o = append(o, [2]string{"profile", prof})
		}
	}
	return o
}

// x264Profile maps a ladder profile name to the encoder's profile option.
// Constrained high is the high profile without B-frames.
func x264Profile(p string) string {
	switch p {
	case "baseline", "main", "high":
		return p
	case "constrainedhigh":
		return "high"
	}
	return ""
}
