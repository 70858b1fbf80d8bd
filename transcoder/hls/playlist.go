package hls

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/opkit-dev/opkit/transcoder/decimal"
)

// PlaylistKind says whether an HLS playlist lists segments or variants.
type PlaylistKind int

const (
	MediaPlaylist  PlaylistKind = iota // #EXTINF segments
	MasterPlaylist                     // #EXT-X-STREAM-INF variants
)

// Playlist is an HLS playlist (RFC 8216): a media playlist (Segments) or a
// master playlist (Variants). Tags opkit does not use are skipped when
// reading, as the RFC asks of clients.
type Playlist struct {
	Kind    PlaylistKind
	Version int // EXT-X-VERSION; 0 when absent

	// Media playlists.
	TargetDuration int // EXT-X-TARGETDURATION, whole seconds
	MediaSequence  int64
	PlaylistType   string // EXT-X-PLAYLIST-TYPE: "", "VOD" or "EVENT"
	Ended          bool   // EXT-X-ENDLIST
	Segments       []PlaylistSegment

	// Master playlists.
	IndependentSegments bool // EXT-X-INDEPENDENT-SEGMENTS
	Variants            []Variant
}

// PlaylistSegment is one #EXTINF entry.
type PlaylistSegment struct {
	URI           string
	Duration      time.Duration
	Title         string
	Discontinuity bool // preceded by EXT-X-DISCONTINUITY
}

// Variant is one #EXT-X-STREAM-INF entry.
type Variant struct {
	URI              string
	Bandwidth        int64 // peak bits per second
	AverageBandwidth int64 // 0 when absent
	Width, Height    int   // RESOLUTION; 0 when absent
	Codecs           string
	FrameRate        string // FRAME-RATE as written, e.g. "29.970"; empty when absent
}

// ErrBadPlaylist is wrapped by every error about a playlist's content.
var ErrBadPlaylist = errors.New("invalid playlist")

// PlaylistError says which line of a playlist is invalid. It wraps
// ErrBadPlaylist.
type PlaylistError struct {
	Line   int // 1-based; 0 when about the playlist as a whole
	Reason string
}

func (e *PlaylistError) Error() string {
	if e.Line == 0 {
		return "playlist: " + e.Reason
	}
	return fmt.Sprintf("playlist line %d: %s", e.Line, e.Reason)
}

func (e *PlaylistError) Unwrap() error { return ErrBadPlaylist }

// Bounds on what ParsePlaylist accepts.
const (
	MaxPlaylistSize     = 4 << 20
	MaxPlaylistEntries  = 100_000
	maxSegmentDuration  = time.Hour
	maxTargetDuration   = 3600
	maxPlaylistLineSize = 64 << 10
)

// ParsePlaylist reads an HLS playlist of at most MaxPlaylistSize bytes.
func ParsePlaylist(r io.Reader) (*Playlist, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxPlaylistSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading playlist: %w", err)
	}
	if len(data) > MaxPlaylistSize {
		return nil, &PlaylistError{Reason: fmt.Sprintf("larger than %d bytes", MaxPlaylistSize)}
	}
	p := &playlistParser{pl: &Playlist{}}
	return p.parse(data)
}

// ParseFile reads the playlist at path; see ParsePlaylist.
func ParseFile(path string) (*Playlist, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParsePlaylist(f)
}

type playlistParser struct {
	pl         *Playlist
	line       int
	pendingInf *PlaylistSegment // EXTINF waiting for its URI
	pendingVar *Variant         // STREAM-INF waiting for its URI
	disc       bool
	seen       map[string]bool
	kindSet    bool
}

func (p *playlistParser) fail(format string, a ...any) error {
	return &PlaylistError{Line: p.line, Reason: fmt.Sprintf(format, a...)}
}

func (p *playlistParser) parse(data []byte) (*Playlist, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), maxPlaylistLineSize)
	for sc.Scan() {
		p.line++
		raw := strings.TrimSuffix(sc.Text(), "\r")
		if hasControl(raw) {
			return nil, p.fail("control character in line (RFC 8216 forbids them)")
		}
		line := strings.TrimSpace(raw)
		if p.line == 1 {
			if line != "#EXTM3U" {
				return nil, p.fail("want #EXTM3U first, got %q", truncate(line, 32))
			}
			continue
		}
		if err := p.parseLine(line); err != nil {
			return nil, err
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &PlaylistError{Line: p.line + 1, Reason: err.Error()}
	}
	if p.line == 0 {
		return nil, &PlaylistError{Reason: "empty"}
	}
	if p.pendingInf != nil || p.pendingVar != nil {
		return nil, p.fail("tag without a URI after it at the end")
	}
	return p.pl, nil
}

func (p *playlistParser) parseLine(line string) error {
	switch {
	case line == "":
		return nil
	case strings.HasPrefix(line, "#EXT"):
		return p.parseTag(line)
	case strings.HasPrefix(line, "#"):
		return nil // comment
	}
	return p.parseURI(line)
}

// setKind records the playlist kind, rejecting a mix of the two.
func (p *playlistParser) setKind(k PlaylistKind) error {
	if p.kindSet && p.pl.Kind != k {
		return p.fail("mixes media segment and variant stream tags")
	}
	p.kindSet, p.pl.Kind = true, k
	return nil
}

func (p *playlistParser) once(tag string) error {
	if p.seen == nil {
		p.seen = map[string]bool{}
	}
	if p.seen[tag] {
		return p.fail("%s given twice", tag)
	}
	p.seen[tag] = true
	return nil
}

func (p *playlistParser) parseTag(line string) error {
	name, value, _ := strings.Cut(line, ":")
	switch name {
	case "#EXTINF":
		return p.parseExtinf(value)
	case "#EXT-X-STREAM-INF":
		return p.parseStreamInf(value)
	case "#EXT-X-DISCONTINUITY":
		p.disc = true
		return p.setKind(MediaPlaylist)
	case "#EXT-X-ENDLIST":
		p.pl.Ended = true
		return p.setKind(MediaPlaylist)
	case "#EXT-X-INDEPENDENT-SEGMENTS":
		p.pl.IndependentSegments = true
		return nil
	case "#EXT-X-VERSION":
		return p.intTag(name, value, 1, 12, func(v int64) { p.pl.Version = int(v) })
	case "#EXT-X-TARGETDURATION":
		return p.mediaIntTag(name, value, 0, maxTargetDuration, func(v int64) { p.pl.TargetDuration = int(v) })
	case "#EXT-X-MEDIA-SEQUENCE":
		return p.mediaIntTag(name, value, 0, math.MaxInt32, func(v int64) { p.pl.MediaSequence = v })
	case "#EXT-X-PLAYLIST-TYPE":
		if value != "VOD" && value != "EVENT" {
			return p.fail("%s %q: want VOD or EVENT", name, truncate(value, 32))
		}
		p.pl.PlaylistType = value
		return errors.Join(p.once(name), p.setKind(MediaPlaylist))
	}
	return nil // other tags: ignored
}

func (p *playlistParser) intTag(name, value string, lo, hi int64, set func(int64)) error {
	if err := p.once(name); err != nil {
		return err
	}
	v, err := strconv.ParseInt(value, 10, 64)
	if err != nil || v < lo || v > hi || !decimal.AllDigits(value) {
		return p.fail("%s %q: want an integer in [%d, %d]", name, truncate(value, 32), lo, hi)
	}
	set(v)
	return nil
}

func (p *playlistParser) mediaIntTag(name, value string, lo, hi int64, set func(int64)) error {
	if err := p.setKind(MediaPlaylist); err != nil {
		return err
	}
	return p.intTag(name, value, lo, hi, set)
}

func (p *playlistParser) checkPending() error {
	if p.pendingInf != nil || p.pendingVar != nil {
		return p.fail("tag where a URI was expected")
	}
	if len(p.pl.Segments)+len(p.pl.Variants) >= MaxPlaylistEntries {
		return p.fail("more than %d entries", MaxPlaylistEntries)
	}
	return nil
}

func (p *playlistParser) parseExtinf(value string) error {
	if err := errors.Join(p.setKind(MediaPlaylist), p.checkPending()); err != nil {
		return err
	}
	durText, title, _ := strings.Cut(value, ",")
	d, ok := decimal.ParseScaled(strings.TrimSpace(durText), int64(time.Second))
	if !ok || time.Duration(d) > maxSegmentDuration {
		return p.fail("EXTINF duration %q: want seconds in [0, %v]", truncate(durText, 32), maxSegmentDuration.Seconds())
	}
	p.pendingInf = &PlaylistSegment{Duration: time.Duration(d), Title: title, Discontinuity: p.disc}
	p.disc = false
	return nil
}

func (p *playlistParser) parseStreamInf(value string) error {
	if err := errors.Join(p.setKind(MasterPlaylist), p.checkPending()); err != nil {
		return err
	}
	attrs, err := parseAttributes(value)
	if err != nil {
		return p.fail("EXT-X-STREAM-INF: %v", err)
	}
	v := &Variant{Codecs: attrs["CODECS"], FrameRate: attrs["FRAME-RATE"]}
	bw, ok := attrs["BANDWIDTH"]
	if !ok {
		return p.fail("EXT-X-STREAM-INF without BANDWIDTH")
	}
	if v.Bandwidth, err = parseBandwidth(bw); err != nil {
		return p.fail("BANDWIDTH: %v", err)
	}
	if abw, ok := attrs["AVERAGE-BANDWIDTH"]; ok {
		if v.AverageBandwidth, err = parseBandwidth(abw); err != nil {
			return p.fail("AVERAGE-BANDWIDTH: %v", err)
		}
	}
	if res, ok := attrs["RESOLUTION"]; ok {
		if v.Width, v.Height, err = parseResolution(res); err != nil {
			return p.fail("RESOLUTION: %v", err)
		}
	}
	if v.FrameRate != "" {
		if _, ok := decimal.ParseScaled(v.FrameRate, 1e9); !ok {
			return p.fail("FRAME-RATE %q: want a decimal number", truncate(v.FrameRate, 32))
		}
	}
	p.pendingVar = v
	return nil
}

func parseBandwidth(s string) (int64, error) {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 || v > 1<<40 || !decimal.AllDigits(s) {
		return 0, fmt.Errorf("%q: want bits per second", truncate(s, 32))
	}
	return v, nil
}

func parseResolution(s string) (w, h int, err error) {
	ws, hs, ok := strings.Cut(s, "x")
	if !ok || !decimal.AllDigits(ws) || !decimal.AllDigits(hs) || len(ws) > 5 || len(hs) > 5 {
		return 0, 0, fmt.Errorf("%q: want WIDTHxHEIGHT", truncate(s, 32))
	}
	w, _ = strconv.Atoi(ws)
	h, _ = strconv.Atoi(hs)
	return w, h, nil
}

// parseAttributes parses an RFC 8216 attribute list: NAME=value pairs
// separated by commas, where a value may be a quoted string holding commas.
// Quotes are removed from quoted values.
func parseAttributes(s string) (map[string]string, error) {
	attrs := map[string]string{}
	for s != "" {
		name, rest, ok := strings.Cut(s, "=")
		if !ok || name == "" || strings.ContainsAny(name, "\", ") {
			return nil, fmt.Errorf("attribute %q has no NAME=", truncate(s, 32))
		}
		var value string
		if strings.HasPrefix(rest, `"`) {
			end := strings.IndexByte(rest[1:], '"')
			if end < 0 {
				return nil, fmt.Errorf("attribute %s: unterminated quoted string", name)
			}
			value, rest = rest[1:1+end], rest[2+end:]
		} else {
			end := strings.IndexByte(rest, ',')
			if end < 0 {
				end = len(rest)
			}
			value, rest = rest[:end], rest[end:]
			if strings.Contains(value, `"`) {
				return nil, fmt.Errorf("attribute %s: stray quote", name)
			}
		}
		if rest != "" && rest[0] != ',' {
			return nil, fmt.Errorf("attribute %s: text after the quoted string", name)
		}
		if _, dup := attrs[name]; dup {
			return nil, fmt.Errorf("attribute %s given twice", name)
		}
		attrs[name] = value
		s = strings.TrimPrefix(rest, ",")
	}
	return attrs, nil
}

func (p *playlistParser) parseURI(line string) error {
	switch {
	case p.pendingInf != nil:
		p.pendingInf.URI = line
		p.pl.Segments = append(p.pl.Segments, *p.pendingInf)
		p.pendingInf = nil
	case p.pendingVar != nil:
		p.pendingVar.URI = line
		p.pl.Variants = append(p.pl.Variants, *p.pendingVar)
		p.pendingVar = nil
	default:
		return p.fail("URI %q without #EXTINF or #EXT-X-STREAM-INF before it", truncate(line, 64))
	}
	return nil
}

// hasControl reports whether s holds a control character (U+0000 to U+001F,
// U+007F to U+009F), which RFC 8216 forbids in playlists.
func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || (r >= 0x7f && r <= 0x9f) {
			return true
		}
	}
	return false
}

// truncate shortens s, quoted in an error message, to n bytes.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
