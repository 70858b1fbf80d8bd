package transcoder

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/opkit-dev/opkit/ffmpeg"
	"github.com/opkit-dev/opkit/transcoder/hls"
)

// PlaylistName is the file name of the master playlist in the output
// directory and of each rendition's media playlist in its subdirectory.
const PlaylistName = "index.m3u8"

// OutputWriter writes a stream's renditions into a directory:
//
//	DIR/<rendition>/<n>.ts     segment n of each rendition (.mp4 for MP4)
//	DIR/<rendition>/index.m3u8 media playlist of each rendition
//	DIR/index.m3u8             master playlist
//
// Every file is written to a temporary name and renamed into place, so a
// reader never sees half a file. Playlists are written by Finish; MP4
// output (standalone fragmented files, not HLS fMP4) gets no playlists.
type OutputWriter struct {
	dir    string
	format ffmpeg.OutputFormat
	ladder Ladder
	state  map[string]*renditionOutput
}

// renditionOutput accumulates what one rendition's playlists need.
type renditionOutput struct {
	entries       []hls.PlaylistSegment
	width, height int
	peakBPS       int64
	bytes         int64
	duration      time.Duration
	frames        int64
	codecs        string
}

// NewOutputWriter creates dir and one subdirectory per rendition.
func NewOutputWriter(dir string, format ffmpeg.OutputFormat, ladder Ladder) (*OutputWriter, error) {
	if err := ladder.Validate(); err != nil {
		return nil, err
	}
	w := &OutputWriter{dir: dir, format: format, ladder: ladder, state: map[string]*renditionOutput{}}
	for _, r := range ladder {
		if err := os.MkdirAll(filepath.Join(dir, r.Name), 0o755); err != nil {
			return nil, fmt.Errorf("output: %w", err)
		}
		w.state[r.Name] = &renditionOutput{}
	}
	return w, nil
}

// SegmentPath is where segment n of a rendition is written.
func (w *OutputWriter) SegmentPath(rendition string, n int) string {
	return filepath.Join(w.dir, rendition, w.segmentFile(n))
}

func (w *OutputWriter) segmentFile(n int) string {
	ext := ".ts"
	if w.format == ffmpeg.FormatMP4 {
		ext = ".mp4"
	}
	return strconv.Itoa(n) + ext
}

// WriteSegment writes every rendition of one segment.
func (w *OutputWriter) WriteSegment(seg StreamSegment, res *ffmpeg.SegmentResult) error {
	for _, r := range res.Renditions {
		st, ok := w.state[r.Name]
		if !ok {
			return fmt.Errorf("output: result for unknown rendition %q", r.Name)
		}
		if err := writeFileAtomic(w.SegmentPath(r.Name, seg.Index), r.Data); err != nil {
			return fmt.Errorf("output: %w", err)
		}
		st.add(w.segmentFile(seg.Index), r, res.SourceDuration)
		if st.codecs == "" && w.format == ffmpeg.FormatMPEGTS {
			st.codecs = hls.TSCodecs(r.Data)
		}
	}
	return nil
}

func (st *renditionOutput) add(uri string, r ffmpeg.RenditionResult, sourceDur time.Duration) {
	d := r.Duration
	if d <= 0 {
		d = sourceDur
	}
	st.entries = append(st.entries, hls.PlaylistSegment{URI: uri, Duration: d})
	if r.Width*r.Height > st.width*st.height {
		st.width, st.height = r.Width, r.Height
	}
	if d > 0 {
		st.peakBPS = max(st.peakBPS, bitsPerSecond(r.Bytes, d))
	}
	st.bytes += r.Bytes
	st.duration += d
	st.frames += r.Frames
}

// bitsPerSecond is bytes over d, rounded up.
func bitsPerSecond(bytes int64, d time.Duration) int64 {
	return int64(math.Ceil(float64(bytes) * 8 / d.Seconds()))
}

// Finish writes the media playlists and the master playlist for the
// segments written so far. complete marks the media playlists ended
// (EXT-X-ENDLIST); an interrupted run leaves it off.
func (w *OutputWriter) Finish(complete bool) error {
	if w.format != ffmpeg.FormatMPEGTS {
		return nil
	}
	variants := make([]hls.Variant, 0, len(w.ladder))
	for _, r := range w.ladder {
		st := w.state[r.Name]
		if len(st.entries) == 0 {
			continue
		}
		data, err := hls.NewMediaPlaylist(st.entries, complete).Encode()
		if err != nil {
			return fmt.Errorf("output: %s playlist: %w", r.Name, err)
		}
		if err := writeFileAtomic(filepath.Join(w.dir, r.Name, PlaylistName), data); err != nil {
			return fmt.Errorf("output: %w", err)
		}
		variants = append(variants, st.variant(r.Name+"/"+PlaylistName))
	}
	if len(variants) == 0 {
		return nil
	}
	data, err := hls.NewMasterPlaylist(variants).Encode()
	if err != nil {
		return fmt.Errorf("output: master playlist: %w", err)
	}
	return writeFileAtomic(filepath.Join(w.dir, PlaylistName), data)
}

func (st *renditionOutput) variant(uri string) hls.Variant {
	v := hls.Variant{URI: uri, Bandwidth: st.peakBPS, Width: st.width, Height: st.height, Codecs: st.codecs}
	if st.duration > 0 {
		v.AverageBandwidth = bitsPerSecond(st.bytes, st.duration)
		v.FrameRate = strconv.FormatFloat(float64(st.frames)/st.duration.Seconds(), 'f', 3, 64)
	}
	return v
}

// writeFileAtomic writes data to a temporary file next to path and renames
// it into place.
func writeFileAtomic(path string, data []byte) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, os.Remove(f.Name()))
		}
	}()
	if _, err := f.Write(data); err != nil {
		return errors.Join(err, f.Close())
	}
	if err := f.Chmod(0o644); err != nil {
		return errors.Join(err, f.Close())
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// MasterPath is where Finish writes the master playlist.
func (w *OutputWriter) MasterPath() string { return filepath.Join(w.dir, PlaylistName) }

// SegmentDir writes one stream's segments as DIR/<n>.ts, each atomically,
// and Finish adds the media playlist DIR/index.m3u8 listing them: the
// input layout `opkit transcode --in DIR/index.m3u8` reads.
type SegmentDir struct {
	dir     string
	entries []hls.PlaylistSegment
}

// NewSegmentDir creates dir.
func NewSegmentDir(dir string) (*SegmentDir, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("segment dir: %w", err)
	}
	return &SegmentDir{dir: dir}, nil
}

// Add writes the next segment, of media duration d.
func (s *SegmentDir) Add(data []byte, d time.Duration) error {
	name := strconv.Itoa(len(s.entries)) + ".ts"
	if err := writeFileAtomic(filepath.Join(s.dir, name), data); err != nil {
		return fmt.Errorf("segment dir: %w", err)
	}
	s.entries = append(s.entries, hls.PlaylistSegment{URI: name, Duration: d})
	return nil
}

// Finish writes the media playlist and returns its path.
func (s *SegmentDir) Finish() (string, error) {
	data, err := hls.NewMediaPlaylist(s.entries, true).Encode()
	if err != nil {
		return "", fmt.Errorf("segment dir: %w", err)
	}
	path := filepath.Join(s.dir, PlaylistName)
	if err := writeFileAtomic(path, data); err != nil {
		return "", fmt.Errorf("segment dir: %w", err)
	}
	return path, nil
}
