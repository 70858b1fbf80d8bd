package hls

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// appleExample is the media playlist example of RFC 8216 section 8.3 with
// a discontinuity and a comment added.
const appleExample = `#EXTM3U
#EXT-X-VERSION:3
#EXT-X-TARGETDURATION:8
#EXT-X-MEDIA-SEQUENCE:2680
# a comment

#EXTINF:7.975,
https://priv.example.com/fileSequence2680.ts
#EXT-X-DISCONTINUITY
#EXTINF:7.941,title here
https://priv.example.com/fileSequence2681.ts
#EXTINF:7.975,
https://priv.example.com/fileSequence2682.ts
`

func TestParseMediaPlaylist(t *testing.T) {
	p, err := ParsePlaylist(strings.NewReader(appleExample))
	if err != nil {
		t.Fatal(err)
	}
	want := &Playlist{
		Kind: MediaPlaylist, Version: 3, TargetDuration: 8, MediaSequence: 2680,
		Segments: []PlaylistSegment{
			{URI: "https://priv.example.com/fileSequence2680.ts", Duration: 7975 * time.Millisecond},
			{URI: "https://priv.example.com/fileSequence2681.ts", Duration: 7941 * time.Millisecond, Title: "title here", Discontinuity: true},
			{URI: "https://priv.example.com/fileSequence2682.ts", Duration: 7975 * time.Millisecond},
		},
	}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("got  %+v\nwant %+v", p, want)
	}
}

// masterExample is RFC 8216 section 8.4 plus attributes opkit writes.
const masterExample = `#EXTM3U
#EXT-X-STREAM-INF:BANDWIDTH=1280000,AVERAGE-BANDWIDTH=1000000
http://example.com/low.m3u8
#EXT-X-STREAM-INF:BANDWIDTH=2560000,AVERAGE-BANDWIDTH=2000000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2",FRAME-RATE=29.970
http://example.com/mid.m3u8
#EXT-X-STREAM-INF:BANDWIDTH=65000,CODECS="mp4a.40.5",SOMETHING=else
http://example.com/audio-only.m3u8
`

func TestParseMasterPlaylist(t *testing.T) {
	p, err := ParsePlaylist(strings.NewReader(masterExample))
	if err != nil {
		t.Fatal(err)
	}
	want := []Variant{
		{URI: "http://example.com/low.m3u8", Bandwidth: 1280000, AverageBandwidth: 1000000},
		{URI: "http://example.com/mid.m3u8", Bandwidth: 2560000, AverageBandwidth: 2000000, Width: 1280, Height: 720,
			Codecs: "avc1.64001f,mp4a.40.2", FrameRate: "29.970"},
		{URI: "http://example.com/audio-only.m3u8", Bandwidth: 65000, Codecs: "mp4a.40.5"},
	}
	if p.Kind != MasterPlaylist || !reflect.DeepEqual(p.Variants, want) {
		t.Errorf("got %+v\nwant variants %+v", p, want)
	}
}

func TestPlaylistRoundTrip(t *testing.T) {
	media := NewMediaPlaylist([]PlaylistSegment{
		{URI: "0.ts", Duration: 2 * time.Second},
		{URI: "1.ts", Duration: 2002 * time.Millisecond},
		{URI: "sub dir/2.ts", Duration: 1001001 * time.Microsecond, Discontinuity: true, Title: "x, y"},
	}, true)
	if media.TargetDuration != 3 {
		t.Errorf("target duration %d, want ceil(2.002) = 3", media.TargetDuration)
	}
	master := NewMasterPlaylist([]Variant{
		{URI: "720p/index.m3u8", Bandwidth: 3300000, AverageBandwidth: 3000000, Width: 1280, Height: 720, Codecs: "avc1.640028,mp4a.40.2", FrameRate: "30.000"},
		{URI: "240p/index.m3u8", Bandwidth: 280000, Width: 240, Height: 426},
	})
	for name, p := range map[string]*Playlist{"media": media, "master": master, "appleMedia": mustParse(t, appleExample), "appleMaster": mustParse(t, masterExample)} {
		t.Run(name, func(t *testing.T) {
			data, err := p.Encode()
			if err != nil {
				t.Fatal(err)
			}
			back, err := ParsePlaylist(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("reparsing:\n%s\n%v", data, err)
			}
			if !reflect.DeepEqual(back, p) {
				t.Errorf("round trip changed the playlist:\n%s\n got %+v\nwant %+v", data, back, p)
			}
		})
	}
	data, _ := media.Encode()
	wantText := "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:3\n#EXT-X-PLAYLIST-TYPE:VOD\n" +
		"#EXTINF:2.000,\n0.ts\n#EXTINF:2.002,\n1.ts\n#EXT-X-DISCONTINUITY\n#EXTINF:1.001001,x, y\nsub dir/2.ts\n#EXT-X-ENDLIST\n"
	if string(data) != wantText {
		t.Errorf("media playlist text:\n%s\nwant\n%s", data, wantText)
	}
}

func mustParse(t *testing.T, s string) *Playlist {
	t.Helper()
	p, err := ParsePlaylist(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestParsePlaylistErrors(t *testing.T) {
	tests := []struct {
		name string
		text string
		line int
	}{
		{"empty", "", 0},
		{"no header", "#EXTINF:1,\na.ts\n", 1},
		{"uri without extinf", "#EXTM3U\na.ts\n", 2},
		{"extinf at end", "#EXTM3U\n#EXTINF:1,\n", 2},
		{"two extinf", "#EXTM3U\n#EXTINF:1,\n#EXTINF:2,\na.ts\n", 3},
		{"negative duration", "#EXTM3U\n#EXTINF:-1,\na.ts\n", 2},
		{"exponent duration", "#EXTM3U\n#EXTINF:1e3,\na.ts\n", 2},
		{"huge duration", "#EXTM3U\n#EXTINF:99999,\na.ts\n", 2},
		{"bad target", "#EXTM3U\n#EXT-X-TARGETDURATION:x\n", 2},
		{"target twice", "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-TARGETDURATION:3\n", 3},
		{"mixed kinds", "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\na.m3u8\n#EXTINF:1,\na.ts\n", 4},
		{"no bandwidth", "#EXTM3U\n#EXT-X-STREAM-INF:RESOLUTION=2x2\na.m3u8\n", 2},
		{"bad resolution", "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,RESOLUTION=big\na.m3u8\n", 2},
		{"unterminated quote", "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS=\"avc1\na.m3u8\n", 2},
		{"duplicate attribute", "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,BANDWIDTH=2\na.m3u8\n", 2},
		{"control character", "#EXTM3U\n#EXTINF:1,\na\x00.ts\n", 3},
		{"playlist type", "#EXTM3U\n#EXT-X-PLAYLIST-TYPE:LIVE\n", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePlaylist(strings.NewReader(tt.text))
			var pe *PlaylistError
			if !errors.As(err, &pe) || !errors.Is(err, ErrBadPlaylist) {
				t.Fatalf("err = %v, want a *PlaylistError", err)
			}
			if pe.Line != tt.line {
				t.Errorf("error on line %d, want %d: %v", pe.Line, tt.line, err)
			}
		})
	}
}

func TestParsePlaylistTooLarge(t *testing.T) {
	big := "#EXTM3U\n" + strings.Repeat("#", MaxPlaylistSize)
	if _, err := ParsePlaylist(strings.NewReader(big)); !errors.Is(err, ErrBadPlaylist) {
		t.Errorf("err = %v, want ErrBadPlaylist", err)
	}
}

func TestEncodeRejects(t *testing.T) {
	for name, p := range map[string]*Playlist{
		"uri line break": NewMediaPlaylist([]PlaylistSegment{{URI: "a\nb.ts", Duration: time.Second}}, true),
		"uri comment":    NewMediaPlaylist([]PlaylistSegment{{URI: "#a.ts", Duration: time.Second}}, true),
		"codecs quote":   NewMasterPlaylist([]Variant{{URI: "a.m3u8", Bandwidth: 1, Codecs: `a"b`}}),
	} {
		if _, err := p.Encode(); !errors.Is(err, ErrBadPlaylist) {
			t.Errorf("%s: err = %v, want ErrBadPlaylist", name, err)
		}
	}
}

// FuzzParsePlaylist checks that the parser never panics or errs without a
// PlaylistError, and that whatever it accepts encodes and reads back equal.
func FuzzParsePlaylist(f *testing.F) {
	f.Add([]byte(appleExample))
	f.Add([]byte(masterExample))
	f.Add([]byte("#EXTM3U\n#EXT-X-ENDLIST\n#EXTINF:0.5\n\xef\xbb\xbfa.ts\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePlaylist(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrBadPlaylist) {
				t.Fatalf("error %v does not wrap ErrBadPlaylist", err)
			}
			return
		}
		out, err := p.Encode()
		if err != nil {
			t.Fatalf("accepted playlist does not encode: %v", err)
		}
		back, err := ParsePlaylist(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("cannot reparse\n%s\n%v", out, err)
		}
		if !reflect.DeepEqual(back, p) {
			t.Fatalf("round trip changed the playlist:\n%s\n got %+v\nwant %+v", out, back, p)
		}
	})
}
