package ffmpeg

import (
	"testing"
)

// TestCascadeParents checks the scaling tree of the reference ladder and of
// ladders where cascading must not happen.
func TestCascadeParents(t *testing.T) {
	ref := referenceLadder() // 240p, 360p, 480p, 720p
	if got, want := cascadeParents(ref, true), []int{1, 2, 3, -1}; !equalInts(got, want) {
		t.Errorf("reference ladder: parents %v, want %v", got, want)
	}
	if got := cascadeParents(ref, false); !equalInts(got, []int{-1, -1, -1, -1}) {
		t.Errorf("direct: parents %v", got)
	}
	mixed := []RenditionSpec{
		{Width: 1280, Height: 720, FPS: Rational{30, 1}}, // 0: no other 30 fps box covers it
		{Width: 640, Height: 360},                        // 1: smallest covering box at source fps: 2
		{Width: 720, Height: 1280},                       // 2: same box as 3, but ahead of it
		{Width: 1280, Height: 720},                       // 3: same box as 2, after it: from 2
		{Width: 2000, Height: 200},                       // 4: covered by none
		{Width: 320, Height: 180, FPS: Rational{30, 1}},  // 5: from 0, the only 30 fps box
	}
	if got, want := cascadeParents(mixed, true), []int{-1, 2, -1, 2, -1, 0}; !equalInts(got, want) {
		t.Errorf("mixed ladder: parents %v, want %v", got, want)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestSessionCascade transcodes kryp-1.ts into the reference ladder with
// cascaded and with direct scaling. Both must give valid outputs, and the
// cascade may cost at most 0.2 dB of PSNR against the source scaled
// directly to each rendition's size.
func TestSessionCascade(t *testing.T) {
	src := sharedMedia(t, "kryp-1.ts")
	ladder := referenceLadder()
	psnrs := map[bool][]float64{}
	for _, direct := range []bool{false, true} {
		s := newTestSession(t, Options{Renditions: ladder, DirectScale: direct})
		res := transcodeOK(t, s, Input{Path: src})
		for i, r := range res.Renditions {
			checkRendition(t, res, r, ladder[i])
			q, err := PSNR(Input{Path: src}, Input{Data: r.Data})
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
}
