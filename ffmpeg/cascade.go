package ffmpeg

// cascadeParents decides which rendition each rendition scales from: -1 for
// the decoded source, or the index of the smallest larger rendition with
// the same frame rate setting. Scaling 1080p→720p→480p→360p→240p reads far
// fewer pixels than scaling every rendition from 1080p; TestSessionCascade
// measures what it costs in PSNR. Without cascade every parent is -1.
func cascadeParents(specs []RenditionSpec, cascade bool) []int {
	parents := make([]int, len(specs))
	for i := range specs {
		parents[i] = -1
		if !cascade {
			continue
		}
		for j := range specs {
			if j != i && coversBox(specs[j], specs[i], j < i) && specs[j].FPS == specs[i].FPS &&
				(parents[i] < 0 || boxArea(specs[j]) < boxArea(specs[parents[i]])) {
				parents[i] = j
			}
		}
	}
	return parents
}

// coversBox reports whether a's box holds b's, in landscape orientation, and
// is larger (or the same size, with a ahead of b in the ladder, which keeps
// the parent relation acyclic).
func coversBox(a, b RenditionSpec, aFirst bool) bool {
	aw, ah := landscape(a.Width, a.Height)
	bw, bh := landscape(b.Width, b.Height)
	if aw < bw || ah < bh {
		return false
	}
	return aw > bw || ah > bh || aFirst
}

func landscape(w, h int) (int, int) {
	if h > w {
		return h, w
	}
	return w, h
}

func boxArea(s RenditionSpec) int { return s.Width * s.Height }
