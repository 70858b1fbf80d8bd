package solver_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/opkit-dev/opkit/claims"
	"github.com/opkit-dev/opkit/claims/archive"
	"github.com/opkit-dev/opkit/claims/solver"
	"github.com/opkit-dev/opkit/ffmpeg"
	"github.com/opkit-dev/opkit/transcoder"
)

var checkLadder = []string{transcoder.P240p30fps16x9, transcoder.P144p30fps16x9}

// presetProfiles resolves the built-in presets by profile id.
func presetProfiles(id string) (ffmpeg.RenditionSpec, bool) {
	for _, name := range transcoder.PresetNames() {
		if claims.ProfileID(name) == id {
			return transcoder.Preset(name)
		}
	}
	return ffmpeg.RenditionSpec{}, false
}

// sources generates n consecutive noisy 2-second 640x360 segments.
func sources(t *testing.T, n int) [][]byte {
	t.Helper()
	var segs [][]byte
	spec := ffmpeg.SyntheticSpec{Width: 640, Height: 360, FPS: ffmpeg.Rational{Num: 30, Den: 1}, SegmentDuration: 2 * time.Second,
		Segments: n, Noise: true, Seed: 7}
	if err := ffmpeg.GenerateSegments(context.Background(), spec, func(_ int, b []byte) error {
		segs = append(segs, append([]byte(nil), b...))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return segs
}

// transcode encodes src with ladder names as a transcoder would, changing
// the specs with edit first.
func transcode(t *testing.T, src []byte, opts ffmpeg.Options, edit func(*ffmpeg.RenditionSpec)) []archive.Rendition {
	t.Helper()
	return transcodeStream(t, [][]byte{src}, opts, edit)
}

// transcodeStream encodes the segments in order through one session and
// returns the last one's renditions: with warm encoders, what a transcoder
// sends for a segment in the middle of a stream.
func transcodeStream(t *testing.T, segs [][]byte, opts ffmpeg.Options, edit func(*ffmpeg.RenditionSpec)) []archive.Rendition {
	t.Helper()
	for _, name := range checkLadder {
		s, _ := transcoder.Preset(name)
		if edit != nil {
			edit(&s)
		}
		opts.Renditions = append(opts.Renditions, s)
	}
	sess, err := ffmpeg.NewSession(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	var res *ffmpeg.SegmentResult
	for _, src := range segs {
		if res, err = sess.Transcode(context.Background(), ffmpeg.Input{Data: src}); err != nil {
			t.Fatal(err)
		}
	}
	out := make([]archive.Rendition, len(res.Renditions))
	for i, r := range res.Renditions {
		out[i] = archive.Rendition{Name: r.Name, Data: r.Data}
	}
	return out
}

type checkWorld struct {
	t       *testing.T
	arch    *archive.Archive
	checker *solver.TranscodeChecker
	nextSeg uint64
}

func newCheckWorld(t *testing.T) *checkWorld {
	a, err := archive.Open(filepath.Join(t.TempDir(), "segments"))
	if err != nil {
		t.Fatal(err)
	}
	return &checkWorld{t: t, arch: a, checker: &solver.TranscodeChecker{Segments: a, Profiles: presetProfiles}}
}

// request keeps src and rends as a transcoder's archive does and returns
// the request a claim of them raises.
func (w *checkWorld) request(src []byte, rends []archive.Rendition) solver.Request {
	w.t.Helper()
	seg := w.nextSeg
	w.nextSeg++
	h, err := w.arch.Keep(1, seg, src, rends)
	if err != nil {
		w.t.Fatal(err)
	}
	return solver.Request{ID: seg, Job: 1, Seg: seg, StreamID: "s", Options: claims.TranscodingOptions(checkLadder...),
		DataHash: crypto.Keccak256Hash(src), TranscodedDataHash: h}
}

func (w *checkWorld) check(r solver.Request) (solver.Verdict, error) {
	return w.checker.Check(context.Background(), r)
}

// Honest renditions pass, also when the transcoder's encoder settings
// (threads, preset, scaler path) made other bytes than the solver's.
func TestCheckPassesHonestEncodes(t *testing.T) {
	w := newCheckWorld(t)
	src := sources(t, 1)[0]
	for name, opts := range map[string]ffmpeg.Options{
		"same settings":   {},
		"one thread":      {Threads: 1, DirectScale: true},
		"faster preset":   {Preset: "faster"},
		"audio and scale": {Threads: 3, DirectScale: true, Preset: "superfast"},
		"zero latency":    {ZeroLatency: true},
	} {
		v, err := w.check(w.request(src, transcode(t, src, opts, nil)))
		if err != nil || !v.Pass {
			t.Errorf("%s: %+v, %v; want a pass", name, v, err)
		}
		t.Logf("%s: %s", name, v.Reason)
	}
	// A stream's second segment from a warm zero-latency encoder (opkit
	// node --zero-latency), judged on its own.
	srcs := sources(t, 2)
	v, err := w.check(w.request(srcs[1], transcodeStream(t, srcs, ffmpeg.Options{ZeroLatency: true}, nil)))
	if err != nil || !v.Pass {
		t.Errorf("warm zero latency: %+v, %v; want a pass", v, err)
	}
	t.Logf("warm zero latency: %s", v.Reason)
}

// Renditions that hash to what was claimed but are not the segment's
// transcode fail: another segment's pictures, a starved encode, the wrong
// size, a frame rate that drops frames.
func TestCheckFailsDishonestEncodes(t *testing.T) {
	w := newCheckWorld(t)
	srcs := sources(t, 2)
	cases := map[string][]archive.Rendition{
		"another segment": transcode(t, srcs[1], ffmpeg.Options{}, nil),
		"starved bitrate": transcode(t, srcs[0], ffmpeg.Options{}, func(s *ffmpeg.RenditionSpec) { s.Bitrate = 40_000 }),
		"wrong size":      transcode(t, srcs[0], ffmpeg.Options{}, func(s *ffmpeg.RenditionSpec) { s.Width, s.Height = s.Width/2*2-16, s.Height/2*2-8 }),
		"dropped frames":  transcode(t, srcs[0], ffmpeg.Options{}, func(s *ffmpeg.RenditionSpec) { s.FPS = ffmpeg.Rational{Num: 10, Den: 1} }),
	}
	for name, rends := range cases {
		v, err := w.check(w.request(srcs[0], rends))
		if err != nil || v.Pass {
			t.Errorf("%s: %+v, %v; want a fail", name, v, err)
			continue
		}
		t.Logf("%s: %s", name, v.Reason)
	}
	// Renditions in the wrong order, or one missing.
	honest := transcode(t, srcs[0], ffmpeg.Options{}, nil)
	for name, rends := range map[string][]archive.Rendition{
		"swapped": {honest[1], honest[0]},
		"missing": honest[:1],
	} {
		if v, err := w.check(w.request(srcs[0], rends)); err != nil || v.Pass {
			t.Errorf("%s: %+v, %v; want a fail", name, v, err)
		}
	}
}

// What the checker cannot fetch is ErrUnavailable (the service retries,
// then fails it); bytes on disk that no longer hash to the claim fail at
// once; an unknown profile cannot be judged.
func TestCheckUnavailableTamperedUnknown(t *testing.T) {
	w := newCheckWorld(t)
	src := sources(t, 1)[0]
	r := w.request(src, transcode(t, src, ffmpeg.Options{}, nil))

	gone := r
	gone.Seg = 99
	if _, err := w.check(gone); !errors.Is(err, solver.ErrUnavailable) {
		t.Fatalf("missing segment: %v, want ErrUnavailable", err)
	}
	unknown := r
	unknown.Options = claims.TranscodingOptions("P9000p")
	if _, err := w.check(unknown); !errors.Is(err, solver.ErrCannotJudge) {
		t.Fatalf("unknown profile: %v, want ErrCannotJudge", err)
	}
	// One rendition's bytes changed on the transcoder's disk after the claim.
	path := filepath.Join(w.arch.Root(), "job-1", fmt.Sprintf("seg-%d", r.Seg), "out-"+r.TranscodedDataHash.Hex(), "01-"+checkLadder[1])
	if err := os.WriteFile(path, []byte("tampered"), 0o600); err != nil {
		t.Fatal(err)
	}
	if v, err := w.check(r); err != nil || v.Pass || !strings.Contains(v.Reason, "do not hash") {
		t.Fatalf("tampered rendition: %+v, %v", v, err)
	}
	forged := r
	forged.TranscodedDataHash = w.request(src, []archive.Rendition{{Name: checkLadder[0], Data: []byte("x")}, {Name: checkLadder[1], Data: []byte("y")}}).TranscodedDataHash
	forged.Seg = w.nextSeg - 1
	if v, err := w.check(forged); err != nil || v.Pass || !strings.Contains(v.Reason, "does not decode") {
		t.Fatalf("undecodable renditions: %+v, %v", v, err)
	}
}
