package ffmpeg

import "testing"

func TestFitSize(t *testing.T) {
	tests := []struct {
		name         string
		srcW, srcH   int
		boxW, boxH   int
		wantW, wantH int
	}{
		{"1080p landscape into 720p", 1920, 1080, 1280, 720, 1280, 720},
		{"1080p portrait into 720p", 1080, 1920, 1280, 720, 720, 1280},
		{"box given portrait is normalised", 1920, 1080, 720, 1280, 1280, 720},
		{"4:3 landscape fits height", 1440, 1080, 1280, 720, 960, 720},
		{"4:3 portrait fits width", 1080, 1440, 1280, 720, 720, 960},
		{"4:3 into 240p rounds to even", 640, 480, 426, 240, 320, 240},
		{"16:9 into 426x240", 1920, 1080, 426, 240, 426, 240},
		{"16:9 into 256x144", 1280, 720, 256, 144, 256, 144},
		{"portrait into 426x240", 1080, 1920, 426, 240, 240, 426},
		{"square source", 1000, 1000, 1280, 720, 720, 720},
		{"ultra wide", 2560, 1080, 1280, 720, 1280, 540},
		{"odd source size", 1279, 719, 640, 360, 640, 360},
		{"odd source rounds height to even", 853, 480, 640, 360, 640, 360},
		{"odd box clamps down to even", 1920, 1080, 427, 241, 426, 240},
		{"smaller source scales up to box", 640, 360, 1280, 720, 1280, 720},
		{"tiny source", 16, 16, 1280, 720, 720, 720},
		{"tiny wide source keeps min height 2", 1000, 2, 640, 360, 640, 2},
		{"one by one", 1, 1, 256, 144, 144, 144},
		{"zero source", 0, 1080, 1280, 720, 0, 0},
		{"negative box", 1920, 1080, -1, 720, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, h := FitSize(tt.srcW, tt.srcH, tt.boxW, tt.boxH)
			if w != tt.wantW || h != tt.wantH {
				t.Fatalf("FitSize(%d, %d, %d, %d) = %dx%d, want %dx%d",
					tt.srcW, tt.srcH, tt.boxW, tt.boxH, w, h, tt.wantW, tt.wantH)
			}
		})
	}
}

// TestFitSizeProperties checks the invariants over a grid of sizes: even,
// inside the (oriented) box, aspect ratio within rounding.
func TestFitSizeProperties(t *testing.T) {
	boxes := [][2]int{{1280, 720}, {1024, 576}, {640, 360}, {426, 240}, {256, 144}}
	for srcW := 2; srcW <= 4096; srcW += 97 {
		for srcH := 2; srcH <= 2304; srcH += 89 {
			for _, b := range boxes {
				w, h := FitSize(srcW, srcH, b[0], b[1])
				bw, bh := b[0], b[1]
				if srcH > srcW {
					bw, bh = bh, bw
				}
				if w%2 != 0 || h%2 != 0 || w < 2 || h < 2 || w > bw || h > bh {
					t.Fatalf("FitSize(%d, %d, %v) = %dx%d: not even or outside %dx%d", srcW, srcH, b, w, h, bw, bh)
				}
				if w != bw&^1 && h != bh&^1 {
					t.Fatalf("FitSize(%d, %d, %v) = %dx%d: touches neither side of the box", srcW, srcH, b, w, h)
				}
				// Aspect error: at most the rounding of one dimension by 2 px
				// (relative to the smaller side), unless clamped at 2.
				got := float64(w) / float64(h)
				want := float64(srcW) / float64(srcH)
				if h > 2 && w > 2 {
					tol := 2.0/float64(min(w, h))*want + 1e-9
					if d := got - want; d > tol || d < -tol {
						t.Fatalf("FitSize(%d, %d, %v) = %dx%d: aspect %.4f, want %.4f", srcW, srcH, b, w, h, got, want)
					}
				}
			}
		}
	}
}
