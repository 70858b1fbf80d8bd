package transcoder

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/opkit-dev/opkit/ffmpeg"
	"github.com/opkit-dev/opkit/transcoder/hls"
)

// ErrRemoteSegment reports a playlist entry that is not a local file.
var ErrRemoteSegment = errors.New("only local segment files are read")

// OpenInput returns the segments of path: the segments an HLS media
// playlist lists (a .m3u8/.m3u file, or any file starting with #EXTM3U), or
// the file itself as a single segment.
func OpenInput(path string) ([]StreamSegment, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("input: %w", err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("input %s: not a regular file", path)
	}
	if isPlaylistFile(path) {
		return PlaylistSegments(path)
	}
	return []StreamSegment{{Index: 0, Name: filepath.Base(path), Input: ffmpeg.Input{Path: path}}}, nil
}

func isPlaylistFile(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".m3u8", ".m3u":
		return true
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 10)
	n, _ := f.Read(head)
	head = bytes.TrimPrefix(head[:n], []byte("\xef\xbb\xbf"))
	return bytes.HasPrefix(head, []byte("#EXTM3U"))
}

// PlaylistSegments reads an HLS media playlist and returns its segments as
// local files, resolved against the playlist's directory (see
// ResolveSegmentURI).
func PlaylistSegments(path string) ([]StreamSegment, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("input: %w", err)
	}
	defer f.Close()
	pl, err := hls.ParsePlaylist(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if pl.Kind != hls.MediaPlaylist {
		return nil, fmt.Errorf("%s: %w: a master playlist; give one variant's media playlist", path, hls.ErrBadPlaylist)
	}
	if len(pl.Segments) == 0 {
		return nil, fmt.Errorf("%s: %w: no segments", path, hls.ErrBadPlaylist)
	}
	segs := make([]StreamSegment, len(pl.Segments))
	for i, s := range pl.Segments {
		p, err := ResolveSegmentURI(path, s.URI)
		if err != nil {
			return nil, fmt.Errorf("%s: segment %d: %w", path, i, err)
		}
		segs[i] = StreamSegment{Index: i, Name: s.URI, Input: ffmpeg.Input{Path: p}, Declared: s.Duration}
	}
	return segs, nil
}

// ResolveSegmentURI turns a segment URI from the playlist at playlistPath
// into a local file path: a relative URI is resolved against the
// playlist's directory, percent-escapes are decoded, and an absolute path
// is kept. URLs with a scheme or host (http://, file://) and query strings
// are refused with ErrRemoteSegment.
func ResolveSegmentURI(playlistPath, uri string) (string, error) {
	u, err := url.Parse(uri)
	if err != nil {
		return "", fmt.Errorf("segment URI %q: %w", uri, err)
	}
	if u.Scheme != "" || u.Host != "" || u.Opaque != "" {
		return "", fmt.Errorf("segment URI %q: %w (download it first, or give a local playlist)", uri, ErrRemoteSegment)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("segment URI %q: %w: query or fragment on a file name", uri, ErrRemoteSegment)
	}
	p := filepath.FromSlash(u.Path)
	if p == "" {
		return "", fmt.Errorf("segment URI %q: empty path", uri)
	}
	if filepath.IsAbs(p) {
		return filepath.Clean(p), nil
	}
	return filepath.Join(filepath.Dir(playlistPath), p), nil
}
