package ffmpeg

// FitSize returns the size a rendition of a srcW×srcH source gets inside a
// boxW×boxH bounding box. The box is given in landscape orientation (for
// example 1280x720); a portrait source (srcH > srcW) is fitted into the box
// turned upright (720x1280), so a portrait source gives a portrait rendition.
//
// The source keeps its aspect ratio: the dimension that is larger relative to
// the box is fitted to the box (for a 16:9 source in a 16:9 box that is the
// larger dimension) and the other is scaled to match, so the result never
// leaves the box; a 4:3 1440x1080 source in a 1280x720 box gives 960x720.
// Both sizes are rounded to the nearest even number (encoders need 4:2:0
// chroma), never below 2 and never above the box. Sources smaller than the
// box are scaled up to it, as the ladder asks for that size.
//
// Non-positive sizes give (0, 0); callers validate their options first.
func FitSize(srcW, srcH, boxW, boxH int) (w, h int) {
	if srcW <= 0 || srcH <= 0 || boxW <= 0 || boxH <= 0 {
		return 0, 0
	}
	// Normalise the box to landscape, then turn it for portrait sources.
	if boxH > boxW {
		boxW, boxH = boxH, boxW
	}
	if srcH > srcW {
		boxW, boxH = boxH, boxW
	}
	// Compare srcW/srcH with boxW/boxH without division (int64: sizes up to
	// 8K multiply well inside range).
	sw, sh, bw, bh := int64(srcW), int64(srcH), int64(boxW), int64(boxH)
	if sw*bh >= sh*bw {
		// Source is wider than the box: width fills the box.
		w = boxW
		h = roundEven(sh*bw, sw)
	} else {
		h = boxH
		w = roundEven(sw*bh, sh)
	}
	return clampEven(w, boxW), clampEven(h, boxH)
}

// roundEven returns num/den rounded to the nearest even integer.
func roundEven(num, den int64) int {
	// round(num / (2*den)) * 2, in integers.
	return int((num+den)/(2*den)) * 2
}

// clampEven keeps v even and within [2, max rounded down to even].
func clampEven(v, limit int) int {
	limit &^= 1
	if limit < 2 {
		limit = 2
	}
	v &^= 1
	switch {
	case v < 2:
		return 2
	case v > limit:
		return limit
	}
	return v
}
