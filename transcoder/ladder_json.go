package transcoder

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/opkit-dev/opkit/ffmpeg"
)

// MaxLadderFileSize bounds a ladder file.
const MaxLadderFileSize = 1 << 20

// ReadLadderFile reads and parses a JSON ladder file (see ParseLadder).
func ReadLadderFile(path string) (Ladder, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading ladder file: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxLadderFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading ladder file %s: %w", path, err)
	}
	l, err := ParseLadder(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return l, nil
}

// ParseLadder parses a JSON ladder: an array of objects with the fields
//
//	name     string, required; names the output directory
//	width    integer, required; even, 2..8192 (landscape bounding box)
//	height   integer, required; even, 2..8192
//	bitrate  integer bits per second, or a string "3000k", "3M"; required
//	fps      0 or absent (source rate), an integer, or a string "30000/1001"
//	gop      seconds (number or numeric string), or "intra"; 0 or absent: encoder default
//	profile  baseline, main, high or constrainedhigh; absent: encoder default
//	encoder  H.264 (default), HEVC, VP9 or AV1
//	bframes  integer 0..16; absent: none
//
// Parsing is strict: unknown or repeated fields, wrong types and values out
// of bounds are errors (*LadderError) naming the rendition and the field.
func ParseLadder(data []byte) (Ladder, error) {
	if len(data) > MaxLadderFileSize {
		return nil, &LadderError{Index: -1, Err: fmt.Errorf("larger than %d bytes", MaxLadderFileSize)}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var raws []json.RawMessage
	if err := dec.Decode(&raws); err != nil {
		return nil, &LadderError{Index: -1, Err: fmt.Errorf("want a JSON array of renditions: %w", err)}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &LadderError{Index: -1, Err: errors.New("trailing data after the array")}
	}
	if n := len(raws); n == 0 || n > MaxRenditions {
		return nil, &LadderError{Index: -1, Err: fmt.Errorf("need 1 to %d renditions, got %d", MaxRenditions, n)}
	}
	l := make(Ladder, len(raws))
	for i, raw := range raws {
		r, err := parseRendition(i, raw)
		if err != nil {
			return nil, err
		}
		l[i] = r
	}
	if err := l.Validate(); err != nil {
		return nil, err
	}
	return l, nil
}

// fieldSetter decodes one JSON field into a rendition.
type fieldSetter func(r *ffmpeg.RenditionSpec, v json.RawMessage) error

var ladderFields = map[string]fieldSetter{
	"name":    func(r *ffmpeg.RenditionSpec, v json.RawMessage) error { return decodeString(v, &r.Name) },
	"width":   func(r *ffmpeg.RenditionSpec, v json.RawMessage) error { return decodeInt(v, &r.Width) },
	"height":  func(r *ffmpeg.RenditionSpec, v json.RawMessage) error { return decodeInt(v, &r.Height) },
	"bitrate": setBitrate,
	"fps":     setFPS,
	"gop":     setGOP,
	"profile": setProfile,
	"encoder": setEncoder,
	"bframes": func(r *ffmpeg.RenditionSpec, v json.RawMessage) error { return decodeInt(v, &r.BFrames) },
}

var requiredFields = []string{"name", "width", "height", "bitrate"}

func parseRendition(i int, raw json.RawMessage) (ffmpeg.RenditionSpec, error) {
	var r ffmpeg.RenditionSpec
	fail := func(field string, err error) (ffmpeg.RenditionSpec, error) {
		return ffmpeg.RenditionSpec{}, &LadderError{Index: i, Name: r.Name, Field: field, Err: err}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return fail("", errors.New("want a JSON object"))
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fail("", err)
		}
		key, _ := tok.(string)
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			return fail(key, err)
		}
		set, ok := ladderFields[key]
		switch {
		case !ok:
			return fail(key, errors.New("unknown field (want name, width, height, bitrate, fps, gop, profile, encoder, bframes)"))
		case seen[key]:
			return fail(key, errors.New("field given twice"))
		}
		seen[key] = true
		if err := set(&r, val); err != nil {
			return fail(key, err)
		}
	}
	for _, f := range requiredFields {
		if !seen[f] {
			return fail(f, errors.New("missing"))
		}
	}
	return r, nil
}

// jsonText returns the raw value as a string when it is a JSON string, and
// as its literal text (a number) otherwise.
func jsonText(v json.RawMessage) (text string, isString bool, err error) {
	v = bytes.TrimSpace(v)
	if len(v) > 0 && v[0] == '"' {
		err = json.Unmarshal(v, &text)
		return text, true, err
	}
	if len(v) == 0 || !(v[0] == '-' || (v[0] >= '0' && v[0] <= '9')) {
		return "", false, fmt.Errorf("want a number or a string, got %s", truncate(string(v), 32))
	}
	return string(v), false, nil
}

func decodeString(v json.RawMessage, dst *string) error {
	s, isString, err := jsonText(v)
	if err != nil || !isString {
		return fmt.Errorf("want a string, got %s", truncate(string(v), 32))
	}
	*dst = s
	return nil
}

func decodeInt(v json.RawMessage, dst *int) error {
	s, isString, err := jsonText(v)
	if err != nil || isString {
		return fmt.Errorf("want an integer, got %s", truncate(string(v), 32))
	}
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return fmt.Errorf("want an integer, got %s", truncate(s, 32))
	}
	*dst = int(n)
	return nil
}

func setBitrate(r *ffmpeg.RenditionSpec, v json.RawMessage) error {
	s, _, err := jsonText(v)
	if err != nil {
		return err
	}
	r.Bitrate, err = ParseBitrate(s)
	return err
}

func setFPS(r *ffmpeg.RenditionSpec, v json.RawMessage) error {
	s, _, err := jsonText(v)
	if err != nil {
		return err
	}
	r.FPS, err = ParseFPS(s)
	return err
}

func setGOP(r *ffmpeg.RenditionSpec, v json.RawMessage) error {
	s, _, err := jsonText(v)
	if err != nil {
		return err
	}
	r.GOP, r.Intra, err = ParseGOP(s)
	return err
}

func setProfile(r *ffmpeg.RenditionSpec, v json.RawMessage) error {
	var s string
	if err := decodeString(v, &s); err != nil {
		return err
	}
	p, err := ParseProfile(s)
	r.Profile = p
	return err
}

func setEncoder(r *ffmpeg.RenditionSpec, v json.RawMessage) error {
	var s string
	if err := decodeString(v, &s); err != nil {
		return err
	}
	c, err := ParseCodec(s)
	r.Codec = c
	return err
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// jsonRendition is the encoded form of one rendition.
type jsonRendition struct {
	Name    string `json:"name"`
	Width   int    `json:"width"`
	Height  int    `json:"height"`
	Bitrate int64  `json:"bitrate"`
	FPS     any    `json:"fps,omitempty"`
	GOP     any    `json:"gop,omitempty"`
	Profile string `json:"profile,omitempty"`
	Encoder string `json:"encoder,omitempty"`
	BFrames int    `json:"bframes,omitempty"`
}

// codecNames are the names MarshalJSON writes, as ladder files spell them.
var codecNames = map[ffmpeg.Codec]string{
	ffmpeg.CodecH264: "H.264", ffmpeg.CodecHEVC: "HEVC", ffmpeg.CodecVP9: "VP9", ffmpeg.CodecAV1: "AV1",
}

// MarshalJSON writes the ladder in the format ParseLadder reads.
func (l Ladder) MarshalJSON() ([]byte, error) {
	out := make([]jsonRendition, len(l))
	for i, r := range l {
		j := jsonRendition{Name: r.Name, Width: r.Width, Height: r.Height, Bitrate: r.Bitrate,
			Profile: r.Profile, Encoder: codecNames[r.Codec], BFrames: r.BFrames}
		if !r.FPS.IsZero() {
			j.FPS = fmt.Sprintf("%d/%d", r.FPS.Num, r.FPS.Den)
		}
		switch {
		case r.Intra:
			j.GOP = "intra"
		case r.GOP > 0:
			j.GOP = json.Number(strings.TrimRight(strings.TrimRight(fmt.Sprintf("%d.%09d", r.GOP/1e9, r.GOP%1e9), "0"), "."))
		}
		out[i] = j
	}
	return json.Marshal(out)
}
