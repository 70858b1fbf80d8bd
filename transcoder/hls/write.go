package hls

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
)

// playlistVersion is the EXT-X-VERSION opkit writes: 3 allows decimal
// EXTINF durations.
const playlistVersion = 3

// NewMediaPlaylist returns a VOD media playlist of segs whose target
// duration is the longest segment rounded up to whole seconds. ended adds
// EXT-X-ENDLIST, saying no segment will be added.
func NewMediaPlaylist(segs []PlaylistSegment, ended bool) *Playlist {
	var longest time.Duration
	for _, s := range segs {
		longest = max(longest, s.Duration)
	}
	p := &Playlist{
		Kind:           MediaPlaylist,
		Version:        playlistVersion,
		TargetDuration: int((longest + time.Second - 1) / time.Second),
		Segments:       append([]PlaylistSegment(nil), segs...),
		Ended:          ended,
	}
	if ended {
		p.PlaylistType = "VOD"
	}
	return p
}

// NewMasterPlaylist returns a master playlist listing variants.
func NewMasterPlaylist(variants []Variant) *Playlist {
	return &Playlist{
		Kind:                MasterPlaylist,
		Version:             playlistVersion,
		IndependentSegments: true,
		Variants:            append([]Variant(nil), variants...),
	}
}

// Encode writes the playlist in the form ParsePlaylist reads. It fails
// (ErrBadPlaylist) for values a playlist cannot carry, such as a URI with a
// line break.
func (p *Playlist) Encode() ([]byte, error) {
	if err := p.checkEncodable(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("#EXTM3U\n")
	if p.Version > 0 {
		fmt.Fprintf(&b, "#EXT-X-VERSION:%d\n", p.Version)
	}
	if p.IndependentSegments {
		b.WriteString("#EXT-X-INDEPENDENT-SEGMENTS\n")
	}
	if p.Kind == MasterPlaylist {
		for _, v := range p.Variants {
			writeVariant(&b, v)
		}
		return b.Bytes(), nil
	}
	if p.TargetDuration > 0 {
		fmt.Fprintf(&b, "#EXT-X-TARGETDURATION:%d\n", p.TargetDuration)
	}
	if p.MediaSequence > 0 {
		fmt.Fprintf(&b, "#EXT-X-MEDIA-SEQUENCE:%d\n", p.MediaSequence)
	}
	if p.PlaylistType != "" {
		fmt.Fprintf(&b, "#EXT-X-PLAYLIST-TYPE:%s\n", p.PlaylistType)
	}
	for _, s := range p.Segments {
		if s.Discontinuity {
			b.WriteString("#EXT-X-DISCONTINUITY\n")
		}
		fmt.Fprintf(&b, "#EXTINF:%s,%s\n%s\n", formatSeconds(s.Duration), s.Title, s.URI)
	}
	if p.Ended {
		b.WriteString("#EXT-X-ENDLIST\n")
	}
	return b.Bytes(), nil
}

// WriteTo writes the encoded playlist to w.
func (p *Playlist) WriteTo(w io.Writer) (int64, error) {
	data, err := p.Encode()
	if err != nil {
		return 0, err
	}
	n, err := w.Write(data)
	return int64(n), err
}

func writeVariant(b *bytes.Buffer, v Variant) {
	fmt.Fprintf(b, "#EXT-X-STREAM-INF:BANDWIDTH=%d", v.Bandwidth)
	if v.AverageBandwidth > 0 {
		fmt.Fprintf(b, ",AVERAGE-BANDWIDTH=%d", v.AverageBandwidth)
	}
	if v.Width > 0 || v.Height > 0 {
		fmt.Fprintf(b, ",RESOLUTION=%dx%d", v.Width, v.Height)
	}
	if v.Codecs != "" {
		fmt.Fprintf(b, ",CODECS=%q", v.Codecs)
	}
	if v.FrameRate != "" {
		fmt.Fprintf(b, ",FRAME-RATE=%s", v.FrameRate)
	}
	fmt.Fprintf(b, "\n%s\n", v.URI)
}

// formatSeconds writes d in seconds exactly (to the nanosecond), with at
// least three decimals: 2s is "2.000", 1.001001s is "1.001001".
func formatSeconds(d time.Duration) string {
	s := fmt.Sprintf("%d.%09d", d/time.Second, d%time.Second)
	for strings.HasSuffix(s, "0") && len(s)-strings.IndexByte(s, '.') > 4 {
		s = s[:len(s)-1]
	}
	return s
}

func (p *Playlist) checkEncodable() error {
	bad := func(format string, a ...any) error {
		return &PlaylistError{Reason: "cannot encode: " + fmt.Sprintf(format, a...)}
	}
	for i, s := range p.Segments {
		if err := checkURI(s.URI); err != nil {
			return bad("segment %d: %v", i, err)
		}
		if hasControl(s.Title) || s.Title != strings.TrimRightFunc(s.Title, unicode.IsSpace) || s.Duration < 0 {
			return bad("segment %d: title with a control character or trailing space, or negative duration", i)
		}
	}
	for i, v := range p.Variants {
		if err := checkURI(v.URI); err != nil {
			return bad("variant %d: %v", i, err)
		}
		if hasControl(v.Codecs) || strings.Contains(v.Codecs, `"`) || hasControl(v.FrameRate) || strings.ContainsAny(v.FrameRate, `", `) {
			return bad("variant %d: CODECS or FRAME-RATE holds a quote or control character", i)
		}
	}
	return nil
}

func checkURI(uri string) error {
	if uri == "" || uri != strings.TrimSpace(uri) || strings.HasPrefix(uri, "#") || hasControl(uri) {
		return fmt.Errorf("URI %q is empty, starts with '#' or holds white space at its ends or a control character", truncate(uri, 64))
	}
	return nil
}
