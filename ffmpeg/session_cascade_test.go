package ffmpeg

import (
	"os"
	"slices"
	"testing"
	"time"
)

// TestCascadeParents checks the scaling tree of the reference ladder and of
// ladders where cascading must not happen.
func TestCascadeParents(t *testing.T) {
	ref := referenceLadder() // 240p, 360p, 480p, 720p
	if got, want := cascadeParents(ref, true), []int{1, 3, 3, -1}; !slices.Equal(got, want) {
		t.Errorf("reference ladder: parents %v, want %v", got, want)
	}
	if got := cascadeParents(ref, false); !slices.Equal(got, []int{-1, -1, -1, -1}) {
		t.Errorf("direct: parents %v", got)
	}
	mixed := []RenditionSpec{
		{Width: 1280, Height: 720, FPS: Rational{30, 1}}, // 0: nothing twice as large
		{Width: 640, Height: 360},                        // 1: 2 and 3 qualify; 2 comes first
		{Width: 720, Height: 1280},                       // 2: a turned box counts as landscape
		{Width: 1280, Height: 720},                       // 3
		{Width: 2000, Height: 200},                       // 4: covered by none
		{Width: 320, Height: 180, FPS: Rational{30, 1}},  // 5: from 0, the only 30 fps box
		{Width: 320, Height: 180},                        // 6: from 1, the smallest qualifying box
	}
	if got, want := cascadeParents(mixed, true), []int{-1, 2, -1, -1, -1, 0, 1}; !slices.Equal(got, want) {
		t.Errorf("mixed ladder: parents %v, want %v", got, want)
	}
	ratios := []RenditionSpec{
		{Width: 1280, Height: 720}, // 0
		{Width: 912, Height: 512},  // 1: 1.40x smaller than 0: too close to cascade
		{Width: 854, Height: 480},  // 2: 1.499x (even-size rounding): from 0
	}
	if got, want := cascadeParents(ratios, true), []int{-1, -1, 0}; !slices.Equal(got, want) {
		t.Errorf("ratio ladder: parents %v, want %v", got, want)
	}
}

// TestSessionCascade transcodes kryp-1.ts (720p) and a generated 1080p
// segment into the reference ladder with cascaded and with direct scaling.
// Both must give valid outputs, and the cascade may cost at most 0.2 dB of
// PSNR against the source scaled directly to each rendition's size (what
// the ffmpeg CLI encodes).
func TestSessionCascade(t *testing.T) {
	gen := generate(t, SyntheticSpec{Width: 1920, Height: 1080, FPS: Rational{30, 1},
		SegmentDuration: time.Second, Segments: 1, Noise: true})[0]
	inputs := map[string]Input{"generated 1080p": {Data: gen}}
	if p := sharedMediaPath("kryp-1.ts"); p != "" {
		if _, err := os.Stat(p); err == nil {
			inputs["kryp-1.ts"] = Input{Path: p}
		}
	}
	ladder := referenceLadder()
	for name, src := range inputs {
		t.Run(name, func(t *testing.T) {
			psnrs := map[bool][]float64{}
			for _, direct := range []bool{false, true} {
				s := newTestSession(t, Options{Renditions: ladder, DirectScale: direct})
				res := transcodeOK(t, s, src)
				for i, r := range res.Renditions {
					checkRendition(t, res, r, ladder[i])
					q, err := PSNR(src, Input{Data: r.Data})
					if err != nil {
						t.Fatalf("%s: %v", r.Name, err)
					}
					psnrs[direct] = append(psnrs[direct], q.Y)
				}
			}
			for i, spec := range ladder {
				c, d := psnrs[false][i], psnrs[true][i]
				t.Logf("%s: PSNR Y cascade %.2f dB, direct %.2f dB", spec.Name, c, d)
				if c < d-0.2 {
					t.Errorf("%s: cascade loses %.2f dB", spec.Name, d-c)
				}
			}
		})
	}
}
