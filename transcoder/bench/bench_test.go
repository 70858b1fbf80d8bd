package bench

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opkit-dev/opkit/ffmpeg"
)

// testLadder is a small ladder that keeps the real encodes fast.
func testLadder() []ffmpeg.RenditionSpec {
	return []ffmpeg.RenditionSpec{
		{Name: "low", Width: 192, Height: 108, Bitrate: 150_000, GOP: time.Second, Profile: "high"},
		{Name: "mid", Width: 320, Height: 180, Bitrate: 300_000, GOP: time.Second, Profile: "high"},
	}
}

// tinySource generates n segments of 320x240 at 30 fps, each dur long.
func tinySource(t *testing.T, n int, dur time.Duration) []Segment {
	t.Helper()
	spec, err := ParseSyntheticSource("synthetic:320x240@30", n)
	if err != nil {
		t.Fatal(err)
	}
	spec.SegmentDuration = dur
	segs, err := SyntheticSegments(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	if len(segs) != n {
		t.Fatalf("generated %d segments, want %d", len(segs), n)
	}
	return segs
}

func openEngine(t *testing.T) OpenFunc {
	return func(int) (SegmentTranscoder, error) {
		return ffmpeg.NewSession(ffmpeg.Options{Renditions: testLadder(), Preset: "ultrafast"})
	}
}

// TestBenchReportsWhatTheOutputsHold runs the real engine on two concurrent
// sessions and checks every number the benchmark reports against the
// outputs, re-opened with ffmpeg.Probe.
func TestBenchReportsWhatTheOutputsHold(t *testing.T) {
	src := tinySource(t, 3, time.Second)
	type out struct {
		rec SegmentRecord
		res *ffmpeg.SegmentResult
	}
	var mu sync.Mutex
	var outs []out
	cfg := Config{
		Source: src, Count: 4, Sessions: 2, Open: openEngine(t),
		OnSegment: func(r SegmentRecord, res *ffmpeg.SegmentResult) {
			mu.Lock()
			defer mu.Unlock()
			outs = append(outs, out{r, res})
		},
	}
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := res.Summary
	if s.Segments != 8 || s.Failed != 0 || len(res.Records) != 8 || len(outs) != 8 {
		t.Fatalf("segments %d failed %d records %d callbacks %d, want 8/0/8/8", s.Segments, s.Failed, len(res.Records), len(outs))
	}
	var decoded, encoded int64
	var srcDur time.Duration
	for _, o := range outs {
		r := o.rec
		seg := src[r.Segment%len(src)]
		if r.Source != seg.Name || r.SourceDuration != seg.Duration {
			t.Errorf("session %d segment %d: source %s %v, want %s %v", r.Session, r.Segment, r.Source, r.SourceDuration, seg.Name, seg.Duration)
		}
		srcInfo, err := ffmpeg.Probe(ffmpeg.Input{Data: seg.Data})
		if err != nil {
			t.Fatal(err)
		}
		if r.DecodedFrames != srcInfo.Video.Frames {
			t.Errorf("session %d segment %d: reported %d decoded frames, source has %d", r.Session, r.Segment, r.DecodedFrames, srcInfo.Video.Frames)
		}
		if r.Transcode < o.res.Wall || r.Transcode != r.Done-r.Submitted || r.Latency != r.Transcode {
			t.Errorf("segment times: transcode %v (engine %v) submitted %v done %v latency %v", r.Transcode, o.res.Wall, r.Submitted, r.Done, r.Latency)
		}
		if len(r.Renditions) != len(o.res.Renditions) {
			t.Fatalf("%d renditions recorded, engine gave %d", len(r.Renditions), len(o.res.Renditions))
		}
		for i, rr := range r.Renditions {
			info, err := ffmpeg.Probe(ffmpeg.Input{Data: o.res.Renditions[i].Data})
			if err != nil {
				t.Fatalf("probing %s: %v", rr.Name, err)
			}
			if rr.Frames != info.Video.Frames || rr.Width != info.Video.Width || rr.Height != info.Video.Height ||
				rr.Bytes != int64(len(o.res.Renditions[i].Data)) {
				t.Errorf("%s: reported %dx%d %d frames %d bytes, output has %dx%d %d frames %d bytes", rr.Name,
					rr.Width, rr.Height, rr.Frames, rr.Bytes, info.Video.Width, info.Video.Height, info.Video.Frames, len(o.res.Renditions[i].Data))
			}
			if d := rr.Duration - info.Video.Duration; d < -time.Millisecond || d > time.Millisecond {
				t.Errorf("%s: reported duration %v, output lasts %v", rr.Name, rr.Duration, info.Video.Duration)
			}
			if d := rr.Duration - r.SourceDuration; d < -time.Millisecond || d > time.Millisecond {
				t.Errorf("%s: output lasts %v, source segment %v", rr.Name, rr.Duration, r.SourceDuration)
			}
			encoded += info.Video.Frames
		}
		decoded += srcInfo.Video.Frames
		srcDur += seg.Duration
	}
	if s.DecodedFrames != decoded || s.EncodedFrames != encoded || s.SourceDuration != srcDur {
		t.Errorf("summary: decoded %d encoded %d source %v; outputs: %d %d %v", s.DecodedFrames, s.EncodedFrames, s.SourceDuration, decoded, encoded, srcDur)
	}
	if s.Wall <= 0 || s.CPUUse <= 0 || s.PeakRSS <= 0 {
		t.Errorf("wall %v cpu %v rss %v: want all positive", s.Wall, s.CPUUse, s.PeakRSS)
	}
	if runtime.GOOS == "linux" && !s.PeakRSSOfRun {
		t.Errorf("peak RSS is the process's, not the run's: /proc/self/clear_refs reset failed")
	}
	var maxDone time.Duration
	for _, r := range res.Records {
		maxDone = max(maxDone, r.Done)
	}
	if s.Wall < maxDone {
		t.Errorf("wall %v ends before the last segment finished at %v", s.Wall, maxDone)
	}
}

// manualClock is a clock that moves only when told: SleepUntil jumps to its
// target, and Advance moves it on.
type manualClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Time
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *manualClock) SleepUntil(ctx context.Context, t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, t)
	if t.After(c.now) {
		c.now = t
	}
	return ctx.Err()
}

func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// timedSession runs the real engine and then moves the manual clock on by
// cost, so that the benchmark sees each segment take exactly cost.
type timedSession struct {
	*ffmpeg.Session
	clk  *manualClock
	cost time.Duration
}

func (s timedSession) Transcode(ctx context.Context, in ffmpeg.Input) (*ffmpeg.SegmentResult, error) {
	res, err := s.Session.Transcode(ctx, in)
	s.clk.Advance(s.cost)
	return res, err
}

func TestBenchLivePacing(t *testing.T) {
	src := tinySource(t, 3, 2*time.Second)
	sec := func(f float64) time.Duration { return time.Duration(f * float64(time.Second)) }
	tests := []struct {
		name                              string
		live                              bool
		cost                              time.Duration
		arrival, submitted, done, latency []time.Duration
		wall                              time.Duration
		realTimeSegs                      int
		wantSleeps                        []time.Duration
	}{
		{
			name: "live, faster than real time", live: true, cost: sec(0.5),
			arrival: []time.Duration{0, sec(2), sec(4)}, submitted: []time.Duration{0, sec(2), sec(4)},
			done: []time.Duration{sec(0.5), sec(2.5), sec(4.5)}, latency: []time.Duration{sec(0.5), sec(0.5), sec(0.5)},
			wall: sec(4.5), realTimeSegs: 3, wantSleeps: []time.Duration{0, sec(2), sec(4)},
		},
		{
			name: "live, slower than real time: segments queue", live: true, cost: sec(3),
			arrival: []time.Duration{0, sec(2), sec(4)}, submitted: []time.Duration{0, sec(3), sec(6)},
			done: []time.Duration{sec(3), sec(6), sec(9)}, latency: []time.Duration{sec(3), sec(4), sec(5)},
			wall: sec(9), realTimeSegs: 0, wantSleeps: []time.Duration{0, sec(2), sec(4)},
		},
		{
			name: "batch, back to back", live: false, cost: sec(3),
			arrival: []time.Duration{0, sec(3), sec(6)}, submitted: []time.Duration{0, sec(3), sec(6)},
			done: []time.Duration{sec(3), sec(6), sec(9)}, latency: []time.Duration{sec(3), sec(3), sec(3)},
			wall: sec(9), realTimeSegs: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			clk := &manualClock{now: t0}
			open := func(int) (SegmentTranscoder, error) {
				s, err := ffmpeg.NewSession(ffmpeg.Options{Renditions: testLadder(), Preset: "ultrafast"})
				return timedSession{Session: s, clk: clk, cost: tt.cost}, err
			}
			res, err := Run(context.Background(), Config{Source: src, Sessions: 1, Live: tt.live, Open: open, Clock: clk})
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range res.Records {
				if r.Err != "" {
					t.Fatalf("segment %d: %s", i, r.Err)
				}
				if r.Arrival != tt.arrival[i] || r.Submitted != tt.submitted[i] || r.Done != tt.done[i] ||
					r.Latency != tt.latency[i] || r.Transcode != tt.cost {
					t.Errorf("segment %d: arrival %v submitted %v done %v latency %v transcode %v; want %v %v %v %v %v", i,
						r.Arrival, r.Submitted, r.Done, r.Latency, r.Transcode, tt.arrival[i], tt.submitted[i], tt.done[i], tt.latency[i], tt.cost)
				}
			}
			s := res.Summary
			if s.Wall != tt.wall || s.RealTimeSegments != tt.realTimeSegs || s.Live != tt.live {
				t.Errorf("wall %v realtime segments %d live %v, want %v %d %v", s.Wall, s.RealTimeSegments, s.Live, tt.wall, tt.realTimeSegs, tt.live)
			}
			if want := 6 * time.Second; s.SourceDuration != want {
				t.Errorf("source duration %v, want %v", s.SourceDuration, want)
			}
			if len(clk.sleeps) != len(tt.wantSleeps) {
				t.Fatalf("clock asked to sleep %d times, want %d", len(clk.sleeps), len(tt.wantSleeps))
			}
			for i, at := range clk.sleeps {
				if at.Sub(t0) != tt.wantSleeps[i] {
					t.Errorf("sleep %d until +%v, want +%v", i, at.Sub(t0), tt.wantSleeps[i])
				}
			}
		})
	}
}

func TestBenchBadSegmentIsCountedNotFatal(t *testing.T) {
	src := tinySource(t, 2, time.Second)
	bad := Segment{Name: "garbage.ts", Data: bytes.Repeat([]byte{0x47, 1, 2, 3}, 2000), Format: "mpegts", Duration: time.Second}
	src = []Segment{src[0], bad, src[1]}
	res, err := Run(context.Background(), Config{Source: src, Sessions: 1, Open: openEngine(t)})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Summary
	if s.Segments != 2 || s.Failed != 1 || res.Records[1].Err == "" || res.Records[2].Err != "" {
		t.Fatalf("segments %d failed %d, records %+v", s.Segments, s.Failed, res.Records)
	}
	if s.SourceDuration != 2*time.Second {
		t.Errorf("source duration %v counts the failed segment", s.SourceDuration)
	}
}

func TestBenchCancel(t *testing.T) {
	src := tinySource(t, 2, time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Run(ctx, Config{Source: src, Sessions: 2, Live: true, Open: openEngine(t)})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled run: %v, want context.Canceled", err)
	}
}

func TestBenchConfigValidate(t *testing.T) {
	ok := Config{
		Source:   []Segment{{Name: "a", Data: []byte{1}, Duration: time.Second}},
		Sessions: 1, Open: func(int) (SegmentTranscoder, error) { return nil, errors.New("unused") },
	}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, mut := range map[string]func(*Config){
		"no source":      func(c *Config) { c.Source = nil },
		"zero sessions":  func(c *Config) { c.Sessions = 0 },
		"negative count": func(c *Config) { c.Count = -1 },
		"no transcoder":  func(c *Config) { c.Open = nil },
		"no duration":    func(c *Config) { c.Source = []Segment{{Name: "a", Data: []byte{1}}} },
		"empty segment":  func(c *Config) { c.Source = []Segment{{Name: "a", Duration: time.Second}} },
	} {
		c := ok
		mut(&c)
		if err := c.Validate(); !errors.Is(err, ErrBadConfig) {
			t.Errorf("%s: %v, want ErrBadConfig", name, err)
		}
	}
}

func TestBenchOpenFailureClosesOpened(t *testing.T) {
	var closed int
	open := func(i int) (SegmentTranscoder, error) {
		if i == 2 {
			return nil, ffmpeg.ErrNoGPU
		}
		s, err := ffmpeg.NewSession(ffmpeg.Options{Renditions: testLadder()})
		return closeCounter{s, &closed}, err
	}
	src := []Segment{{Name: "a", Data: []byte{1}, Duration: time.Second}}
	_, err := Run(context.Background(), Config{Source: src, Sessions: 3, Open: open})
	if !errors.Is(err, ffmpeg.ErrNoGPU) || closed != 2 {
		t.Fatalf("err %v, %d sessions closed; want ErrNoGPU and 2", err, closed)
	}
}

type closeCounter struct {
	*ffmpeg.Session
	n *int
}

func (c closeCounter) Close() error { *c.n++; return c.Session.Close() }

func TestSyntheticSourceParse(t *testing.T) {
	tests := []struct {
		in      string
		w, h    int
		fps     ffmpeg.Rational
		wantErr bool
	}{
		{in: "synthetic:1920x1080@30", w: 1920, h: 1080, fps: ffmpeg.Rational{Num: 30, Den: 1}},
		{in: "synthetic:1280x720@30000/1001", w: 1280, h: 720, fps: ffmpeg.Rational{Num: 30000, Den: 1001}},
		{in: "synthetic:1920x1080", wantErr: true},
		{in: "synthetic:1921x1080@30", wantErr: true},
		{in: "synthetic:8x8@30", wantErr: true},
		{in: "synthetic:1920x1080@0", wantErr: true},
		{in: "testsrc:1920x1080@30", wantErr: true},
		{in: "synthetic:1920x1080@30/0", wantErr: true},
	}
	for _, tt := range tests {
		spec, err := ParseSyntheticSource(tt.in, 5)
		if tt.wantErr {
			if !errors.Is(err, ErrBadSource) {
				t.Errorf("%s: %v, want ErrBadSource", tt.in, err)
			}
			continue
		}
		if err != nil || spec.Width != tt.w || spec.Height != tt.h || spec.FPS != tt.fps || spec.Segments != 5 ||
			spec.SegmentDuration != SegmentDuration || !spec.Noise || !spec.Audio {
			t.Errorf("%s: %+v %v", tt.in, spec, err)
		}
	}
}

func TestDumpAndLoadRoundTrip(t *testing.T) {
	src := tinySource(t, 2, time.Second)
	dir := filepath.Join(t.TempDir(), "dump")
	if err := DumpSegments(dir, src); err != nil {
		t.Fatal(err)
	}
	pl, err := os.ReadFile(filepath.Join(dir, DumpPlaylist))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"#EXTM3U", "#EXT-X-TARGETDURATION:1", "seg-00000.ts", "seg-00001.ts", "#EXT-X-ENDLIST"} {
		if !strings.Contains(string(pl), want) {
			t.Errorf("playlist lacks %q:\n%s", want, pl)
		}
	}
	first, err := LoadPlaylist(context.Background(), filepath.Join(dir, DumpPlaylist), 1)
	if err != nil || len(first) != 1 || !bytes.Equal(first[0].Data, src[0].Data) {
		t.Fatalf("loading the first segment: %d segments, %v", len(first), err)
	}
	back, err := LoadPlaylist(context.Background(), filepath.Join(dir, DumpPlaylist), 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range src {
		if !bytes.Equal(back[i].Data, src[i].Data) || back[i].Duration != src[i].Duration || back[i].Format != "mpegts" {
			t.Errorf("segment %d: loaded %s %v %q (%d bytes), dumped %v (%d bytes)", i, back[i].Name, back[i].Duration,
				back[i].Format, len(back[i].Data), src[i].Duration, len(src[i].Data))
		}
	}
	if len(back) != len(src) {
		t.Fatalf("loaded %d segments, dumped %d", len(back), len(src))
	}
	if _, err := LoadSegmentFiles(context.Background(), []string{filepath.Join(dir, DumpPlaylist)}); !errors.Is(err, ErrBadSource) {
		t.Errorf("loading a playlist as media: %v, want ErrBadSource", err)
	}
	remote := filepath.Join(dir, "remote.m3u8")
	if err := os.WriteFile(remote, []byte("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\nhttp://example.invalid/a.ts\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadPlaylist(context.Background(), remote, 0); !errors.Is(err, ErrBadSource) {
		t.Errorf("playlist with a URL: %v, want ErrBadSource", err)
	}
}
