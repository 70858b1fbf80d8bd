package transcoder

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/opkit-dev/opkit/ffmpeg"
	"github.com/opkit-dev/opkit/transcoder/decimal"
)

// Names of the built-in presets. Each is one rendition; a ladder lists
// several (see ParseLadderSpec).
const (
	P720p60fps16x9 = "P720p60fps16x9"
	P720p30fps16x9 = "P720p30fps16x9"
	P576p30fps16x9 = "P576p30fps16x9"
	P360p30fps16x9 = "P360p30fps16x9"
	P240p30fps16x9 = "P240p30fps16x9"
	P144p30fps16x9 = "P144p30fps16x9"
)

// BenchLadderName names the reference bench ladder in a ladder spec.
const BenchLadderName = "bench"

// presetGOP is the keyframe interval of the built-in presets: two seconds,
// a common HLS segment length, so every output segment can start with a
// keyframe.
const presetGOP = 2 * time.Second

var fps30, fps60 = ffmpeg.Rational{Num: 30, Den: 1}, ffmpeg.Rational{Num: 60, Den: 1}

// presets are the built-in renditions, largest first. Profile and B-frames
// are left to the encoder's defaults.
var presets = []ffmpeg.RenditionSpec{
	{Name: P720p60fps16x9, Width: 1280, Height: 720, Bitrate: 6_000_000, FPS: fps60, GOP: presetGOP},
	{Name: P720p30fps16x9, Width: 1280, Height: 720, Bitrate: 4_000_000, FPS: fps30, GOP: presetGOP},
	{Name: P576p30fps16x9, Width: 1024, Height: 576, Bitrate: 1_500_000, FPS: fps30, GOP: presetGOP},
	{Name: P360p30fps16x9, Width: 640, Height: 360, Bitrate: 1_200_000, FPS: fps30, GOP: presetGOP},
	{Name: P240p30fps16x9, Width: 426, Height: 240, Bitrate: 600_000, FPS: fps30, GOP: presetGOP},
	{Name: P144p30fps16x9, Width: 256, Height: 144, Bitrate: 400_000, FPS: fps30, GOP: presetGOP},
}

// Preset returns the built-in preset with the given name.
func Preset(name string) (ffmpeg.RenditionSpec, bool) {
	for _, p := range presets {
		if p.Name == name {
			return p, true
		}
	}
	return ffmpeg.RenditionSpec{}, false
}

// PresetNames lists the built-in presets, largest first.
func PresetNames() []string {
	names := make([]string, len(presets))
	for i, p := range presets {
		names[i] = p.Name
	}
	return names
}

// BenchLadder returns the reference bench ladder: 240p 250k, 360p 800k,
// 480p 1600k and 720p 3000k, all H.264 high profile without B-frames, at
// the source frame rate, with a one-second GOP.
func BenchLadder() Ladder {
	rung := func(name string, w, h int, kbps int64) ffmpeg.RenditionSpec {
		return ffmpeg.RenditionSpec{
			Name: name, Width: w, Height: h, Bitrate: kbps * 1000,
			GOP: time.Second, Profile: "high", Codec: ffmpeg.CodecH264,
		}
	}
	return Ladder{
		rung("240p", 426, 240, 250),
		rung("360p", 640, 360, 800),
		rung("480p", 854, 480, 1600),
		rung("720p", 1280, 720, 3000),
	}
}

// Bounds on a rendition; the engine enforces the same or wider ones.
const (
	MaxRenditions = 16
	MaxDimension  = 8192
	MinBitrate    = 10_000      // bits per second
	MaxBitrate    = 500_000_000 // bits per second
	MaxFPS        = 240
	MaxGOP        = time.Minute
	MaxBFrames    = 16
)

// ParseBitrate parses a bit rate in bits per second: a plain integer
// ("3000000"), or a decimal with a k, M or G suffix ("3000k", "3M", "1.5M").
// The result must lie in [MinBitrate, MaxBitrate].
func ParseBitrate(s string) (int64, error) {
	mult := int64(1)
	num := s
	if n := len(s); n > 0 {
		switch s[n-1] {
		case 'k', 'K':
			mult, num = 1_000, s[:n-1]
		case 'm', 'M':
			mult, num = 1_000_000, s[:n-1]
		case 'g', 'G':
			mult, num = 1_000_000_000, s[:n-1]
		}
	}
	v, ok := decimal.ParseScaled(num, mult)
	if !ok {
		return 0, fmt.Errorf("%q is not a bit rate (want e.g. 3000000, \"3000k\" or \"3M\")", s)
	}
	if err := checkBitrate(v); err != nil {
		return 0, err
	}
	return v, nil
}

func checkBitrate(v int64) error {
	if v < MinBitrate || v > MaxBitrate {
		return fmt.Errorf("%d bit/s is outside [%d, %d] (write kbit/s as \"3000k\")", v, MinBitrate, MaxBitrate)
	}
	return nil
}

// ParseFPS parses a frame rate: "0" (pass the source rate through), an
// integer ("30") or a ratio ("30000/1001").
func ParseFPS(s string) (ffmpeg.Rational, error) {
	bad := fmt.Errorf("%q is not a frame rate (want 0 for the source rate, 30 or \"30000/1001\")", s)
	n, d, isRatio := strings.Cut(s, "/")
	if !decimal.AllDigits(n) || len(n) > 9 || (isRatio && (!decimal.AllDigits(d) || len(d) > 9)) {
		return ffmpeg.Rational{}, bad
	}
	num, _ := strconv.Atoi(n)
	den := 1
	if isRatio {
		den, _ = strconv.Atoi(d)
	}
	switch {
	case num == 0 && !isRatio:
		return ffmpeg.Rational{}, nil
	case num == 0 || den == 0:
		return ffmpeg.Rational{}, bad
	}
	r := ffmpeg.Rational{Num: num, Den: den}
	if err := checkFPS(r); err != nil {
		return ffmpeg.Rational{}, err
	}
	return r, nil
}

func checkFPS(r ffmpeg.Rational) error {
	if r == (ffmpeg.Rational{}) {
		return nil
	}
	if r.Num <= 0 || r.Den <= 0 || r.Num > MaxFPS*r.Den || r.Num*1001 < r.Den {
		return fmt.Errorf("%d/%d is outside (1/1001, %d] frames per second", r.Num, r.Den, MaxFPS)
	}
	return nil
}

// ParseGOP parses a keyframe interval: "intra" (every frame a keyframe) or
// a number of seconds ("2", "0.5"); "0" leaves the choice to the encoder.
func ParseGOP(s string) (gop time.Duration, intra bool, err error) {
	if strings.EqualFold(s, "intra") {
		return 0, true, nil
	}
	ns, ok := decimal.ParseScaled(s, int64(time.Second))
	if !ok || time.Duration(ns) > MaxGOP {
		return 0, false, fmt.Errorf("%q is not a GOP (want \"intra\" or seconds in [0, %v])", s, MaxGOP.Seconds())
	}
	return time.Duration(ns), false, nil
}

// ParseCodec maps an encoder name as written in a ladder (H.264, HEVC, VP9,
// AV1; case-insensitive, with the aliases h264, avc, h265, h.265) to the
// engine's codec; empty means H.264.
func ParseCodec(s string) (ffmpeg.Codec, error) {
	switch strings.ToLower(s) {
	case "", "h.264", "h264", "avc":
		return ffmpeg.CodecH264, nil
	case "hevc", "h.265", "h265":
		return ffmpeg.CodecHEVC, nil
	case "vp9":
		return ffmpeg.CodecVP9, nil
	case "av1":
		return ffmpeg.CodecAV1, nil
	}
	return "", fmt.Errorf("%q is not an encoder (want H.264, HEVC, VP9 or AV1)", s)
}

// ParseProfile normalises a codec profile: baseline, main, high or
// constrainedhigh, case-insensitive, also in go-livepeer's spelling
// ("H264ConstrainedHigh"). Empty or "none" leaves it to the encoder.
func ParseProfile(s string) (string, error) {
	p := strings.ToLower(s)
	p = strings.TrimPrefix(p, "h264")
	switch p {
	case "", "none":
		return "", nil
	case "baseline", "main", "high", "constrainedhigh":
		return p, nil
	}
	return "", fmt.Errorf("%q is not a profile (want baseline, main, high or constrainedhigh)", s)
}

// knownLadders lists what a ladder spec may name, for error messages.
func knownLadders() string {
	names := append(PresetNames(), BenchLadderName)
	sort.Strings(names)
	return strings.Join(names, ", ")
}
