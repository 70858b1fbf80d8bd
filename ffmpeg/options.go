package ffmpeg

import (
	"fmt"
	"regexp"
	"time"
)

// Bounds on options; anything outside is ErrBadOptions.
const (
	maxRenditions = 16
	maxDimension  = 8192
	maxBitrate    = 500_000_000
	maxFPS        = 240
	maxBFrames    = 16
	maxThreads    = 64
	// maxSourceFrameRate bounds Limits.MaxFrameRate.
	maxSourceFrameRate = 1000
)

var presetName = regexp.MustCompile(`^[a-z0-9]{1,16}$`)

// x264Presets are the speed presets libx264 and libx265 share.
var x264Presets = map[string]bool{
	"ultrafast": true, "superfast": true, "veryfast": true, "faster": true, "fast": true,
	"medium": true, "slow": true, "slower": true, "veryslow": true, "placebo": true,
}

// withDefaults returns o with zero fields set to their documented defaults.
func (o Options) withDefaults() Options {
	if o.Format == "" {
		o.Format = FormatMPEGTS
	}
	if o.Audio == "" {
		o.Audio = AudioCopy
	}
	if o.Preset == "" {
		o.Preset = "veryfast"
	}
	if o.Limits.MaxInputBytes == 0 {
		o.Limits.MaxInputBytes = DefaultLimits.MaxInputBytes
	}
	if o.Limits.MaxDuration == 0 {
		o.Limits.MaxDuration = DefaultLimits.MaxDuration
	}
	if o.Limits.MaxPixels == 0 {
		o.Limits.MaxPixels = DefaultLimits.MaxPixels
	}
	if o.Limits.MaxFrameRate == 0 {
		o.Limits.MaxFrameRate = DefaultLimits.MaxFrameRate
	}
	if o.Limits.MaxOutputBytes == 0 {
		o.Limits.MaxOutputBytes = DefaultLimits.MaxOutputBytes
	}
	r := make([]RenditionSpec, len(o.Renditions))
	copy(r, o.Renditions)
	for i := range r {
		if r[i].Codec == "" {
			r[i].Codec = CodecH264
		}
		if r[i].Name == "" {
			r[i].Name = fmt.Sprintf("%dx%d", r[i].Width, r[i].Height)
		}
	}
	o.Renditions = r
	return o
}

// validate checks options that withDefaults has filled in. Every error wraps
// ErrBadOptions.
func (o Options) validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrBadOptions, fmt.Sprintf(format, a...))
	}
	if n := len(o.Renditions); n == 0 || n > maxRenditions {
		return bad("need 1 to %d renditions, got %d", maxRenditions, n)
	}
	switch o.Format {
	case FormatMPEGTS, FormatMP4:
	default:
		return bad("unknown output format %q", o.Format)
	}
	switch o.Audio {
	case AudioCopy, AudioAAC, AudioDrop:
	default:
		return bad("unknown audio mode %q", o.Audio)
	}
	if !presetName.MatchString(o.Preset) {
		return bad("preset %q is not a preset name", o.Preset)
	}
	if o.Threads < 0 || o.Threads > maxThreads {
		return bad("threads %d out of range [0, %d]", o.Threads, maxThreads)
	}
	if o.GPUDevice < 0 || (!o.UseGPU && o.GPUDevice != 0) {
		return bad("gpu device %d (use gpu %v): want an index >= 0, with UseGPU", o.GPUDevice, o.UseGPU)
	}
	l := o.Limits
	if l.MaxInputBytes < 0 || l.MaxDuration < 0 || l.MaxPixels < 0 || l.MaxOutputBytes < 0 {
		return bad("negative limits %+v", l)
	}
	if l.MaxFrameRate < 1 || l.MaxFrameRate > maxSourceFrameRate {
		return bad("max frame rate %d out of range [1, %d]", l.MaxFrameRate, maxSourceFrameRate)
	}
	names := make(map[string]bool, len(o.Renditions))
	for i, r := range o.Renditions {
		if names[r.Name] {
			return bad("rendition %d: duplicate name %q", i, r.Name)
		}
		names[r.Name] = true
		if err := r.validate(o); err != nil {
			return fmt.Errorf("rendition %d (%s): %w", i, r.Name, err)
		}
	}
	return nil
}

func (r RenditionSpec) validate(o Options) error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrBadOptions, fmt.Sprintf(format, a...))
	}
	if r.Width < 2 || r.Height < 2 || r.Width > maxDimension || r.Height > maxDimension {
		return bad("size %dx%d out of range [2, %d]", r.Width, r.Height, maxDimension)
	}
	if r.Bitrate <= 0 || r.Bitrate > maxBitrate {
		return bad("bitrate %d out of range (0, %d]", r.Bitrate, maxBitrate)
	}
	if !r.FPS.IsZero() {
		if r.FPS.Num < 0 || r.FPS.Den < 0 || r.FPS.Num > maxFPS*r.FPS.Den || r.FPS.Num*1001 < r.FPS.Den {
			return bad("fps %d/%d out of range", r.FPS.Num, r.FPS.Den)
		}
	}
	if r.GOP < 0 || r.GOP > time.Minute {
		return bad("gop %v out of range [0, 1m]", r.GOP)
	}
	if r.BFrames < 0 || r.BFrames > maxBFrames {
		return bad("b-frames %d out of range [0, %d]", r.BFrames, maxBFrames)
	}
	if o.ZeroLatency && r.BFrames > 0 && (r.Codec == CodecH264 || r.Codec == CodecHEVC) {
		return bad("zero latency takes no b-frames, got %d", r.BFrames)
	}
	switch r.Codec {
	case CodecH264:
		switch r.Profile {
		case "", "baseline", "main", "high", "constrainedhigh":
		default:
			return bad("h264 profile %q", r.Profile)
		}
		if r.Profile == "baseline" && r.BFrames > 0 {
			return bad("baseline profile has no b-frames")
		}
	case CodecHEVC:
		if r.Profile != "" && r.Profile != "main" {
			return bad("hevc profile %q (only main)", r.Profile)
		}
	case CodecVP9, CodecAV1:
		if o.Format != FormatMP4 {
			return bad("%s needs mp4 output", r.Codec)
		}
		if r.Profile != "" {
			return bad("%s takes no profile", r.Codec)
		}
	default:
		return bad("unknown codec %q", r.Codec)
	}
	if (r.Codec == CodecH264 || r.Codec == CodecHEVC) && !x264Presets[o.Preset] {
		return bad("preset %q is not an x264/x265 preset", o.Preset)
	}
	return nil
}
