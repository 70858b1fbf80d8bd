package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/opkit-dev/opkit/ffmpeg"
	"github.com/opkit-dev/opkit/transcoder/hls"
)

// SyntheticPrefix starts a synthetic source description.
const SyntheticPrefix = "synthetic:"

// SegmentDuration is the length of a synthetic source's segments.
const SegmentDuration = 2 * time.Second

// ErrBadSource reports a source that cannot be benchmarked.
var ErrBadSource = errors.New("invalid benchmark source")

var syntheticRE = regexp.MustCompile(`^synthetic:([0-9]{1,4})x([0-9]{1,4})@([0-9]{1,6})(?:/([0-9]{1,6}))?$`)

// ParseSyntheticSource parses "synthetic:WxH@FPS" (FPS may be a fraction
// such as 30000/1001) into a spec of 2 s segments of moving test pattern
// with temporal noise and a stereo AAC tone, the kind of input a live
// stream gives.
func ParseSyntheticSource(s string, segments int) (ffmpeg.SyntheticSpec, error) {
	m := syntheticRE.FindStringSubmatch(s)
	if m == nil {
		return ffmpeg.SyntheticSpec{}, fmt.Errorf("%w: %q: want synthetic:WIDTHxHEIGHT@FPS, e.g. synthetic:1920x1080@30", ErrBadSource, s)
	}
	w, _ := strconv.Atoi(m[1])
	h, _ := strconv.Atoi(m[2])
	num, _ := strconv.Atoi(m[3])
	den := 1
	if m[4] != "" {
		den, _ = strconv.Atoi(m[4])
	}
	spec := ffmpeg.SyntheticSpec{
		Width: w, Height: h, FPS: ffmpeg.Rational{Num: num, Den: den},
		SegmentDuration: SegmentDuration, Segments: segments,
		Noise: true, Audio: true, Seed: 1,
	}
	if err := spec.Validate(); err != nil {
		return spec, fmt.Errorf("%w: %w", ErrBadSource, err)
	}
	return spec, nil
}

// SyntheticSegments generates spec's segments in memory.
func SyntheticSegments(ctx context.Context, spec ffmpeg.SyntheticSpec) ([]Segment, error) {
	segDur := time.Duration(int64(spec.SegmentFrames()) * int64(time.Second) * int64(spec.FPS.Den) / int64(spec.FPS.Num))
	segs := make([]Segment, 0, spec.Segments)
	err := ffmpeg.GenerateSegments(ctx, spec, func(i int, seg []byte) error {
		segs = append(segs, Segment{
			Name: fmt.Sprintf("synthetic-%05d.ts", i), Data: seg, Format: "mpegts", Duration: segDur,
		})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("generating synthetic source: %w", err)
	}
	return segs, nil
}

// LoadSegmentFiles reads media files into memory and probes each for its
// video duration. Reading and probing happen before the timed run.
func LoadSegmentFiles(ctx context.Context, paths []string) ([]Segment, error) {
	segs := make([]Segment, 0, len(paths))
	for _, p := range paths {
		data, err := readBounded(p, ffmpeg.DefaultLimits.MaxInputBytes)
		if err != nil {
			return nil, err
		}
		info, err := ffmpeg.ProbeContext(ctx, ffmpeg.Input{Data: data})
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrBadSource, p, err)
		}
		if info.Video.Duration <= 0 {
			return nil, fmt.Errorf("%w: %s: video has no duration", ErrBadSource, p)
		}
		segs = append(segs, Segment{
			Name: filepath.Base(p), Data: data, Format: formatHint(info.Format), Duration: info.Video.Duration,
		})
	}
	return segs, nil
}

// formatHint maps a demuxer name from Probe to the engine's format hint,
// or "" (probe again) for anything else.
func formatHint(demuxer string) string {
	switch {
	case demuxer == "mpegts" || demuxer == "flv":
		return demuxer
	case strings.Contains(demuxer, "mp4"):
		return "mp4"
	}
	return ""
}

func readBounded(path string, limit int64) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadSource, err)
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("%w: %s is %d bytes, above the %d byte segment limit", ErrBadSource, path, st.Size(), limit)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadSource, err)
	}
	return data, nil
}

// DumpPlaylist is the playlist DumpSegments writes next to the segments.
const DumpPlaylist = "index.m3u8"

// DumpSegments writes segs into dir as seg-00000.ts, ... and an HLS media
// playlist, index.m3u8, listing them, so that other tools (the ffmpeg CLI)
// can run on the very same bytes and `opkit bench --in dir/index.m3u8`
// can read them back.
func DumpSegments(dir string, segs []Segment) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("dump: %w", err)
	}
	entries := make([]hls.PlaylistSegment, 0, len(segs))
	for i, s := range segs {
		name := fmt.Sprintf("seg-%05d.ts", i)
		if err := os.WriteFile(filepath.Join(dir, name), s.Data, 0o644); err != nil {
			return fmt.Errorf("dump: %w", err)
		}
		entries = append(entries, hls.PlaylistSegment{URI: name, Duration: s.Duration})
	}
	pl, err := hls.NewMediaPlaylist(entries, true).Encode()
	if err != nil {
		return fmt.Errorf("dump: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, DumpPlaylist), pl, 0o644); err != nil {
		return fmt.Errorf("dump: %w", err)
	}
	return nil
}

// LoadPlaylist reads an HLS media playlist and the first limit segment
// files it lists (all of them when limit is 0; paths relative to the
// playlist's directory) into memory; see LoadSegmentFiles.
func LoadPlaylist(ctx context.Context, path string, limit int) ([]Segment, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadSource, err)
	}
	defer f.Close()
	pl, err := hls.ParsePlaylist(f)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrBadSource, path, err)
	}
	if pl.Kind != hls.MediaPlaylist || len(pl.Segments) == 0 {
		return nil, fmt.Errorf("%w: %s is not a media playlist with segments (give one variant's playlist)", ErrBadSource, path)
	}
	dir := filepath.Dir(path)
	entries := pl.Segments
	if limit > 0 && limit < len(entries) {
		entries = entries[:limit]
	}
	paths := make([]string, 0, len(entries))
	for _, s := range entries {
		if strings.Contains(s.URI, "://") || filepath.IsAbs(s.URI) {
			return nil, fmt.Errorf("%w: %s: segment %q: only relative file names are read", ErrBadSource, path, s.URI)
		}
		paths = append(paths, filepath.Join(dir, filepath.FromSlash(s.URI)))
	}
	return LoadSegmentFiles(ctx, paths)
}
