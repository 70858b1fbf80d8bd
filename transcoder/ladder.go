package transcoder

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/opkit-dev/opkit/ffmpeg"
)

// Ladder is an ordered list of renditions, as the engine takes them.
type Ladder []ffmpeg.RenditionSpec

// ErrBadLadder is wrapped by every error about a ladder.
var ErrBadLadder = errors.New("invalid ladder")

// LadderError says which rendition and which field of a ladder is invalid.
// It wraps ErrBadLadder and the underlying reason.
type LadderError struct {
	Index int    // rendition index, -1 when about the ladder as a whole
	Name  string // rendition name where known
	Field string // field name as written in a ladder file; empty when about the whole rendition
	Err   error
}

func (e *LadderError) Error() string {
	var b strings.Builder
	b.WriteString("ladder")
	if e.Index >= 0 {
		fmt.Fprintf(&b, ": rendition %d", e.Index)
		if e.Name != "" {
			fmt.Fprintf(&b, " (%s)", e.Name)
		}
	}
	if e.Field != "" {
		fmt.Fprintf(&b, ": %s", e.Field)
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	return b.String()
}

func (e *LadderError) Unwrap() []error { return []error{ErrBadLadder, e.Err} }

// renditionName is what a rendition name must look like: it names an
// output directory, so it is a single safe path element.
var renditionName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)

// Validate checks the ladder: 1 to MaxRenditions renditions with unique,
// path-safe names, each within the bounds.
func (l Ladder) Validate() error {
	if n := len(l); n == 0 || n > MaxRenditions {
		return &LadderError{Index: -1, Err: fmt.Errorf("need 1 to %d renditions, got %d", MaxRenditions, n)}
	}
	seen := make(map[string]int, len(l))
	for i, r := range l {
		if j, dup := seen[r.Name]; dup {
			return &LadderError{Index: i, Name: r.Name, Field: "name", Err: fmt.Errorf("duplicate of rendition %d", j)}
		}
		seen[r.Name] = i
		if field, err := validateRendition(r); err != nil {
			return &LadderError{Index: i, Name: r.Name, Field: field, Err: err}
		}
	}
	return nil
}

// validateRendition checks one rendition and returns the offending field.
func validateRendition(r ffmpeg.RenditionSpec) (field string, err error) {
	if !renditionName.MatchString(r.Name) {
		return "name", fmt.Errorf("%q: want 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit", r.Name)
	}
	if err := checkDimension(r.Width); err != nil {
		return "width", err
	}
	if err := checkDimension(r.Height); err != nil {
		return "height", err
	}
	if err := checkBitrate(r.Bitrate); err != nil {
		return "bitrate", err
	}
	if err := checkFPS(r.FPS); err != nil {
		return "fps", err
	}
	if r.GOP < 0 || r.GOP > MaxGOP {
		return "gop", fmt.Errorf("%v is outside [0, %v]", r.GOP, MaxGOP)
	}
	if r.BFrames < 0 || r.BFrames > MaxBFrames {
		return "bframes", fmt.Errorf("%d is outside [0, %d]", r.BFrames, MaxBFrames)
	}
	return checkCodecProfile(r)
}

func checkDimension(v int) error {
	if v < 2 || v > MaxDimension || v%2 != 0 {
		return fmt.Errorf("%d: want an even number in [2, %d]", v, MaxDimension)
	}
	return nil
}

func checkCodecProfile(r ffmpeg.RenditionSpec) (string, error) {
	switch r.Codec {
	case "", ffmpeg.CodecH264:
		if _, err := ParseProfile(r.Profile); err != nil {
			return "profile", err
		}
		if r.Profile == "baseline" && r.BFrames > 0 {
			return "bframes", errors.New("the baseline profile has no B-frames")
		}
	case ffmpeg.CodecHEVC:
		if r.Profile != "" && r.Profile != "main" {
			return "profile", fmt.Errorf("%q: HEVC takes only main", r.Profile)
		}
	case ffmpeg.CodecVP9, ffmpeg.CodecAV1:
		if r.Profile != "" {
			return "profile", fmt.Errorf("%q: %s takes no profile", r.Profile, r.Codec)
		}
	default:
		return "encoder", fmt.Errorf("%q is not an encoder", r.Codec)
	}
	return "", nil
}

// Specs returns a copy of the ladder for ffmpeg.Options.
func (l Ladder) Specs() []ffmpeg.RenditionSpec {
	return append([]ffmpeg.RenditionSpec(nil), l...)
}

// Names lists the rendition names in order.
func (l Ladder) Names() []string {
	names := make([]string, len(l))
	for i, r := range l {
		names[i] = r.Name
	}
	return names
}

// NeedsMP4 reports whether some rendition's codec can only be written in
// MP4 (VP9, AV1).
func (l Ladder) NeedsMP4() bool {
	for _, r := range l {
		if r.Codec == ffmpeg.CodecVP9 || r.Codec == ffmpeg.CodecAV1 {
			return true
		}
	}
	return false
}

// ParseLadderSpec parses a comma-separated list of preset names
// ("P720p30fps16x9,P360p30fps16x9") and ladder names ("bench") into one
// validated ladder.
func ParseLadderSpec(spec string) (Ladder, error) {
	var l Ladder
	for i, item := range strings.Split(spec, ",") {
		name := strings.TrimSpace(item)
		if name == BenchLadderName {
			l = append(l, BenchLadder()...)
			continue
		}
		p, ok := Preset(name)
		if !ok {
			return nil, &LadderError{Index: -1, Err: fmt.Errorf("item %d %q is not a preset or ladder (known: %s)", i, name, knownLadders())}
		}
		l = append(l, p)
	}
	if err := l.Validate(); err != nil {
		return nil, err
	}
	return l, nil
}
