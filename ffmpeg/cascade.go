package ffmpeg

// cascadeParents decides which rendition each rendition scales from: -1 for
// the decoded source, or the index of the smallest rendition with the same
// frame rate setting whose box is at least 1.5 times larger (coversBox).
// On the reference ladder and a 1080p source: 1080p→720p→480p and
// 1080p→720p→360p→240p, so only one scaler reads the 1080p picture. Without
// cascade every parent is -1.
func cascadeParents(specs []RenditionSpec, cascade bool) []int {
	parents := make([]int, len(specs))
	for i := range specs {
		parents[i] = -1
		if !cascade {
			continue
		}
		for j := range specs {
			if j != i && coversBox(specs[j], specs[i]) && specs[j].FPS == specs[i].FPS &&
				(parents[i] < 0 || boxArea(specs[j]) < boxArea(specs[parents[i]])) {
				parents[i] = j
			}
		}
	}
	return parents
}

// cascadeMinRatioPct is how much larger, in width and height, a parent's box
// must be, in per cent: 1.5 less 1% for the rounding of even sizes (1280/854
// is 1.499).
//
// Measured on 10 1080p30 segments of the reference ladder at veryfast
// (scripts/bench-vs-ffmpeg.sh), against the same ladder scaled directly
// from the source:
//   - CPU per segment: ratio 2 (1080p→720p→360p, 1080p→480p→240p) 1.92 s,
//     ratio 1.5 1.83 s (-5%); swscale costs 0.39 s per segment direct;
//   - luma PSNR at the source's size (each rendition scaled back up, what a
//     viewer's player does): every rendition within 0.05 dB of direct;
//   - luma PSNR at the rendition's size, against the source scaled down
//     directly with the same bicubic filter (a reference that is the direct
//     path's own output): 240p -0.09, 360p -0.37, 480p -0.20 dB.
//
// Options.DirectScale (opkit bench --direct-scale) scales every rendition
// from the source, as the ffmpeg CLI does.
const cascadeMinRatioPct = 149

// coversBox reports whether a's box, in landscape orientation, is at least
// cascadeMinRatioPct/100 times b's in both dimensions.
func coversBox(a, b RenditionSpec) bool {
	aw, ah := landscape(a.Width, a.Height)
	bw, bh := landscape(b.Width, b.Height)
	return 100*aw >= cascadeMinRatioPct*bw && 100*ah >= cascadeMinRatioPct*bh
}

func landscape(w, h int) (int, int) {
	if h > w {
		return h, w
	}
	return w, h
}

func boxArea(s RenditionSpec) int { return s.Width * s.Height }
