package ffmpeg

import (
	"errors"
	"fmt"
	"math/rand"
	"testing"

	"github.com/asticode/go-astiav"
)

// TestPlanSurfacesTable runs the surface arithmetic over H.264 streams of
// 1 to 16 reference frames, with and without B-frames, at common levels,
// for ladders of 1 to 6 renditions with and without frame-rate changes. A
// plan must keep the NVDEC pool within 32 surfaces and cover the frames the
// pipeline holds (simulated for that many renditions); a refusal must be
// ErrHWSurfaces and only when not even a one-frame queue fits.
func TestPlanSurfacesTable(t *testing.T) {
	type size struct{ w, h, level int }
	sizes := []size{{1280, 720, 31}, {1920, 1080, 40}, {1920, 1080, 42}, {1920, 1080, 51}, {3840, 2160, 51}, {1920, 1080, 0}}
	rng := rand.New(rand.NewSource(14))
	for _, sz := range sizes {
		for refs := 1; refs <= 16; refs++ {
			for _, bframes := range []int{0, 1, 2, 3} {
				for _, fps := range []bool{false, true} {
					st := streamShape{codec: astiav.CodecIDH264, level: sz.level, w: sz.w, h: sz.h, refs: refs, bDelay: bframes}
					dpb := nvdecDPB(st)
					if dpb < refs+bframes {
						t.Fatalf("%+v: DPB bound %d below refs+reorder %d", st, dpb, refs+bframes)
					}
					plan, err := planSurfaces(dpb, fps, defaultQueueDepth)
					if err != nil {
						if !errors.Is(err, ErrHWSurfaces) {
							t.Fatalf("%+v: %v, want ErrHWSurfaces", st, err)
						}
						if dpb+nvdecFixed+heldFrames(1, fps) <= nvdecMaxSurfaces {
							t.Fatalf("%+v: refused although a one-frame queue fits", st)
						}
						continue
					}
					if plan.Total > nvdecMaxSurfaces || plan.Total != dpb+nvdecFixed+plan.Extra {
						t.Fatalf("%+v: plan %+v over %d surfaces or inconsistent (dpb %d)", st, plan, nvdecMaxSurfaces, dpb)
					}
					if plan.Depth < 1 || plan.Depth > defaultQueueDepth {
						t.Fatalf("%+v: depth %d", st, plan.Depth)
					}
					for n := 1; n <= 6; n++ {
						if held := simulateHeld(rng, n, plan.Depth, fps, 300); held > plan.Extra {
							t.Fatalf("%+v, %d renditions: the pipeline held %d frames, extra_hw_frames %d", st, n, held, plan.Extra)
						}
					}
				}
			}
		}
	}
}

// TestPlanSurfacesCases names the cases the table covers.
func TestPlanSurfacesCases(t *testing.T) {
	h264 := func(level, w, h, refs, b int) int {
		return nvdecDPB(streamShape{codec: astiav.CodecIDH264, level: level, w: w, h: h, refs: refs, bDelay: b})
	}
	tests := []struct {
		name      string
		dpb       int
		fps       bool
		wantDepth int
		wantExtra int
		wantErr   bool
	}{
		// The case: x264 1080p level 4.0, 3 refs, B-frames. With
		// the old 4N+8 = 24 extra frames for 4 renditions FFmpeg asked
		// 3+2+5+24 = 34 surfaces (the bound here counts 7 for the DPB).
		{"1080p L4.0 refs 3 B-frames", h264(40, 1920, 1080, 3, 2), false, 4, 6, false},
		{"1080p L4.0 refs 3 fps filter", h264(40, 1920, 1080, 3, 2), true, 4, 8, false},
		{"720p L3.1 refs 1", h264(31, 1280, 720, 1, 0), false, 4, 6, false},
		{"1080p L5.1 refs 5: queue shortened", h264(51, 1920, 1080, 5, 0), true, 3, 7, false},
		{"1080p L5.1 refs 16: no room", h264(51, 1920, 1080, 16, 0), false, 0, 0, true},
		{"refs unknown at L4.0 1080p", h264(40, 1920, 1080, 0, 0), false, 4, 6, false},
		{"HEVC 1080p L4.1", nvdecDPB(streamShape{codec: astiav.CodecIDHevc, level: 123, w: 1920, h: 1080}), true, 4, 8, false},
		{"unknown codec", nvdecDPB(streamShape{codec: astiav.CodecIDMpeg4}), false, 4, 6, false},
		{"negative DPB means unknown", -1, false, 4, 6, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, err := planSurfaces(tt.dpb, tt.fps, defaultQueueDepth)
			if tt.wantErr {
				if !errors.Is(err, ErrHWSurfaces) {
					t.Fatalf("planSurfaces(%d) = %+v, %v; want ErrHWSurfaces", tt.dpb, plan, err)
				}
				return
			}
			if err != nil || plan.Depth != tt.wantDepth || plan.Extra != tt.wantExtra || plan.Total > nvdecMaxSurfaces {
				t.Fatalf("planSurfaces(%d, fps=%v) = %+v, %v; want depth %d extra %d", tt.dpb, tt.fps, plan, err, tt.wantDepth, tt.wantExtra)
			}
		})
	}
}

func TestLevelDPB(t *testing.T) {
	for _, tt := range []struct {
		level, w, h, want int
	}{
		{40, 1920, 1080, 4}, {31, 1280, 720, 5}, {51, 1920, 1080, 16}, {30, 720, 576, 5}, {0, 1920, 1080, 16}, {40, 0, 0, 16},
	} {
		if got := h264MaxDPBFrames(tt.level, tt.w, tt.h); got != tt.want {
			t.Errorf("h264MaxDPBFrames(%d, %dx%d) = %d, want %d", tt.level, tt.w, tt.h, got, tt.want)
		}
	}
	for _, tt := range []struct {
		level, w, h, want int
	}{
		{123, 1920, 1080, 6}, {123, 960, 540, 16}, {150, 1920, 1080, 16}, {150, 3840, 2160, 6}, {93, 1280, 720, 6}, {0, 1280, 720, 16},
	} {
		if got := hevcMaxDPBSize(tt.level, tt.w, tt.h); got != tt.want {
			t.Errorf("hevcMaxDPBSize(%d, %dx%d) = %d, want %d", tt.level, tt.w, tt.h, got, tt.want)
		}
	}
}

// simulateHeld plays n rendition workers with queues of depth frames
// against the decoder's fan-out, in a random schedule, and returns the most
// distinct decoded frames alive at once outside the decoder: queued,
// in a worker's hand, kept by an fps filter (the last two a worker fed), or
// the decoder's newest frame while it is handed out.
func simulateHeld(rng *rand.Rand, n, depth int, fps bool, frames int) int {
	type worker struct {
		queue []int
		hand  int // -1: none
		fed   []int
	}
	ws := make([]*worker, n)
	for i := range ws {
		ws[i] = &worker{hand: -1}
	}
	peak := 0
	alive := func(current int) int {
		set := map[int]bool{}
		if current >= 0 {
			set[current] = true
		}
		for _, w := range ws {
			for _, f := range w.queue {
				set[f] = true
			}
			if w.hand >= 0 {
				set[w.hand] = true
			}
			for _, f := range w.fed {
				set[f] = true
			}
		}
		return len(set)
	}
	// step lets one random worker take a frame into its hand, or feed the
	// one it holds to its graph.
	step := func(current int) {
		w := ws[rng.Intn(n)]
		switch {
		case w.hand >= 0:
			if fps {
				w.fed = append(w.fed, w.hand)
				if len(w.fed) > fpsHeldFrames {
					w.fed = w.fed[1:]
				}
			}
			w.hand = -1
		case len(w.queue) > 0:
			w.hand, w.queue = w.queue[0], w.queue[1:]
		}
		peak = max(peak, alive(current))
	}
	for f := 0; f < frames; f++ {
		for _, w := range ws {
			peak = max(peak, alive(f))
			for len(w.queue) >= depth { // the decoder blocks on a full queue
				step(f)
			}
			w.queue = append(w.queue, f)
			peak = max(peak, alive(f))
			if rng.Intn(3) == 0 {
				step(f)
			}
		}
	}
	return peak
}

// TestSimulateHeldBound checks the simulation reaches the bound heldFrames
// claims (so the table test would notice a smaller extra_hw_frames), for
// any number of renditions.
func TestSimulateHeldBound(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, fps := range []bool{false, true} {
		for n := 1; n <= 6; n++ {
			t.Run(fmt.Sprintf("fps=%v/n=%d", fps, n), func(t *testing.T) {
				got := simulateHeld(rng, n, defaultQueueDepth, fps, 2000)
				if want := heldFrames(defaultQueueDepth, fps); got != want {
					t.Fatalf("peak %d frames held, heldFrames says %d", got, want)
				}
			})
		}
	}
}
