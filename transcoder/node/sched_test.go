package node

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/opkit-dev/opkit/ffmpeg"
	"github.com/opkit-dev/opkit/transcoder"
)

const (
	load1080p30 = 1920 * 1080 * 30
	load720p30  = 1280 * 720 * 30
	load360p30  = 640 * 360 * 30
)

// schedOp is one call on a GPUScheduler: place (with want: the GPU index,
// or -1 for "all full"), update or release.
type schedOp struct {
	op       string
	stream   string
	load     int64
	encoders int
	want     int
}

func place(stream string, est int64, enc, want int) schedOp {
	return schedOp{op: "place", stream: stream, load: est, encoders: enc, want: want}
}
func update(stream string, load int64) schedOp {
	return schedOp{op: "update", stream: stream, load: load}
}
func release(stream string) schedOp { return schedOp{op: "release", stream: stream} }

func TestSchedLeastLoaded(t *testing.T) {
	two := []GPUDevice{{Index: 0}, {Index: 1}}
	tests := []struct {
		name      string
		devs      []GPUDevice
		ops       []schedOp
		wantLoads []int64 // per device, after the ops
	}{
		{"first stream goes to the first device", two,
			[]schedOp{place("a", load720p30, 2, 0)}, []int64{load720p30, 0}},
		{"tie goes to the first listed", []GPUDevice{{Index: 3}, {Index: 1}},
			[]schedOp{place("a", load720p30, 2, 3), place("b", load720p30, 2, 1), place("c", load360p30, 2, 3)},
			[]int64{load720p30 + load360p30, load720p30}},
		{"least loaded wins, not fewest streams", two,
			[]schedOp{place("big", load1080p30, 2, 0), place("s1", load360p30, 2, 1), place("s2", load360p30, 2, 1), place("s3", load360p30, 2, 1)},
			[]int64{load1080p30, 3 * load360p30}},
		{"probed load replaces the estimate", two,
			[]schedOp{place("a", load1080p30, 2, 0), update("a", load360p30), place("b", load720p30, 2, 1), place("c", load360p30, 2, 0)},
			[]int64{2 * load360p30, load720p30}},
		{"release frees the load", two,
			[]schedOp{place("a", load1080p30, 2, 0), place("b", load720p30, 2, 1), release("a"), place("c", load360p30, 2, 0)},
			[]int64{load360p30, load720p30}},
		{"placing a placed stream keeps its device", two,
			[]schedOp{place("a", load360p30, 2, 0), place("b", load1080p30, 2, 1), place("a", load360p30, 2, 0)},
			[]int64{load360p30, load1080p30}},
		{"device at its encoder cap is skipped", []GPUDevice{{Index: 0, MaxEncoders: 3}, {Index: 1}},
			[]schedOp{place("a", load360p30, 2, 0), place("b", load1080p30, 2, 1), place("c", load360p30, 2, 1)},
			[]int64{load360p30, load1080p30 + load360p30}},
		{"every device full", []GPUDevice{{Index: 0, MaxEncoders: 2}, {Index: 1, MaxEncoders: 3}},
			[]schedOp{place("a", 1, 2, 0), place("b", 1, 2, 1), place("c", 1, 2, -1), release("a"), place("c", 1, 2, 0)},
			[]int64{1, 1}},
		{"unknown streams are ignored", two,
			[]schedOp{update("ghost", load1080p30), release("ghost"), place("a", load360p30, 1, 0)},
			[]int64{load360p30, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := NewGPUScheduler(tc.devs)
			if err != nil {
				t.Fatal(err)
			}
			for i, op := range tc.ops {
				switch op.op {
				case "place":
					got, err := s.Place(op.stream, op.load, op.encoders)
					var ce *CapacityError
					if op.want < 0 {
						if !errors.As(err, &ce) || ce.Reason != RejectDevices {
							t.Fatalf("op %d: place %s: got GPU %d, %v; want a %q capacity error", i, op.stream, got, err, RejectDevices)
						}
						continue
					}
					if err != nil || got != op.want {
						t.Fatalf("op %d: place %s: got GPU %d, %v; want %d", i, op.stream, got, err, op.want)
					}
				case "update":
					s.Update(op.stream, op.load)
				case "release":
					s.Release(op.stream)
				}
			}
			var loads []int64
			for _, d := range s.Loads() {
				loads = append(loads, d.Load)
			}
			if !slices.Equal(loads, tc.wantLoads) {
				t.Errorf("loads %v, want %v", loads, tc.wantLoads)
			}
		})
	}
}

func TestSchedReleaseRestoresEverything(t *testing.T) {
	s, err := NewGPUScheduler([]GPUDevice{{Index: 0, MaxEncoders: 8}, {Index: 1, MaxEncoders: 8}})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprint("s", i)
			if _, err := s.Place(id, int64(i+1)*1000, 1); err != nil {
				t.Error(err)
				return
			}
			s.Update(id, int64(i+1)*7)
			s.Release(id)
		}()
	}
	wg.Wait()
	for _, d := range s.Loads() {
		if d.Load != 0 || d.Streams != 0 || d.Encoders != 0 {
			t.Errorf("device %d after every release: %+v", d.Index, d)
		}
	}
}

func TestSchedConfig(t *testing.T) {
	for name, devs := range map[string][]GPUDevice{
		"no devices":      nil,
		"negative index":  {{Index: -1}},
		"duplicate index": {{Index: 0}, {Index: 0}},
		"negative cap":    {{Index: 0, MaxEncoders: -1}},
	} {
		if _, err := NewGPUScheduler(devs); !errors.Is(err, ErrBadConfig) {
			t.Errorf("%s: got %v, want ErrBadConfig", name, err)
		}
	}
	got := GPUDevicesFromProbe([]ffmpeg.Device{
		{Index: 0, MaxEncodeSessions: 3}, {Index: 1, MaxEncodeSessions: ffmpeg.MaxProbedSessions}, {Index: 2},
	})
	want := []GPUDevice{{Index: 0, MaxEncoders: 3}, {Index: 1}, {Index: 2}}
	if !slices.Equal(got, want) {
		t.Errorf("from probe: %+v, want %+v", got, want)
	}
}

func TestSchedLoads(t *testing.T) {
	l, _ := transcoder.ParseLadderSpec(transcoder.P720p30fps16x9 + "," + transcoder.P360p30fps16x9)
	if got := ladderLoad(l); got != load720p30 {
		t.Errorf("ladder load %d, want the 720p rung's %d", got, load720p30)
	}
	res := &ffmpeg.SegmentResult{SourceWidth: 1920, SourceHeight: 1080, SourceDuration: 2 * time.Second, DecodedFrames: 120}
	if got, ok := sourceLoad(res); !ok || got != 1920*1080*60 {
		t.Errorf("source load %d %v, want %d", got, ok, 1920*1080*60)
	}
	if _, ok := sourceLoad(&ffmpeg.SegmentResult{SourceWidth: 1920, SourceHeight: 1080}); ok {
		t.Error("source load of a segment without duration")
	}
}

// placerLog records a session pool's calls on its device placer; it
// places every stream on the CPU (-1), so real engine sessions run.
type placerLog struct {
	mu    sync.Mutex
	calls []string
	full  bool
}

func (p *placerLog) record(format string, a ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls = append(p.calls, fmt.Sprintf(format, a...))
}

func (p *placerLog) Place(stream string, est int64, enc int) (int, error) {
	p.record("place %s %d %d", stream, est, enc)
	if p.full {
		return -1, &CapacityError{Reason: RejectDevices}
	}
	return -1, nil
}
func (p *placerLog) Update(stream string, load int64) { p.record("update %s %d", stream, load) }
func (p *placerLog) Release(stream string)            { p.record("release %s", stream) }

func (p *placerLog) take() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.calls
	p.calls = nil
	return c
}

// TestSchedPoolWiring runs real CPU sessions through a session pool whose
// device placer records what the pool tells it.
func TestSchedPoolWiring(t *testing.T) {
	segs := nodeSegments(t, 3)
	ladder, _ := transcoder.ParseLadderSpec(nodeTestLadder)
	small, _ := transcoder.ParseLadderSpec(transcoder.P144p30fps16x9)
	rec := &placerLog{}
	clock := &fakeClock{now: time.Unix(1e9, 0)}
	p := newSessionPool(testEngine(), 2, clock.Now)
	p.devices = rec
	run := func(stream string, seq int, l transcoder.Ladder, spec string) error {
		t.Helper()
		s, err := p.acquire(t.Context(), stream)
		if err != nil {
			return err
		}
		defer p.release(s)
		_, err = p.transcode(t.Context(), s, seq, l, spec, ffmpeg.Input{Data: segs[seq], FormatHint: "mpegts"})
		return err
	}
	measured := int64(nodeTestW * nodeTestH * 30)
	steps := []struct {
		name string
		do   func() error
		want []string
	}{
		{"first segment: placed with the ladder's estimate, then measured", func() error { return run("a", 0, ladder, nodeTestLadder) },
			[]string{fmt.Sprintf("place a %d 2", ladderLoad(ladder)), fmt.Sprintf("update a %d", measured)}},
		{"warm session: no calls", func() error { return run("a", 1, ladder, nodeTestLadder) }, nil},
		{"ladder change: released and placed again", func() error { return run("a", 2, small, transcoder.P144p30fps16x9) },
			[]string{"release a", fmt.Sprintf("place a %d 1", ladderLoad(small)), fmt.Sprintf("update a %d", measured)}},
		{"idle session reaped: released", func() error { clock.Advance(time.Hour); p.reapIdle(time.Minute); return nil },
			[]string{"release a"}},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got := rec.take(); !slices.Equal(got, st.want) {
			t.Fatalf("%s: placer calls %q, want %q", st.name, got, st.want)
		}
	}

	// No device has room: the stream gets the capacity error and gives
	// up its pool slot at once.
	rec.full = true
	var ce *CapacityError
	if err := run("b", 0, ladder, nodeTestLadder); !errors.As(err, &ce) || ce.Reason != RejectDevices {
		t.Fatalf("all devices full: got %v, want a %q capacity error", err, RejectDevices)
	}
	if n := p.size(); n != 0 {
		t.Errorf("%d streams in the pool after a refused placement, want 0", n)
	}
	rec.full = false
	rec.take()
	if err := run("c", 0, ladder, nodeTestLadder); err != nil {
		t.Fatal(err)
	}
	p.closeAll()
	if got := rec.take(); !slices.Contains(got, "release c") {
		t.Errorf("closeAll: placer calls %q, want a release of c", got)
	}
}
