package ffmpeg

import (
	"context"
	"runtime"
	"testing"
	"time"
)

// TestDemuxerReleasesData checks that a closed in-memory input lets its
// bytes go: go-astiav keeps every IO context's read callback in a table
// for ever, so the reader must drop the data itself.
func TestDemuxerReleasesData(t *testing.T) {
	seg := generate(t, SyntheticSpec{Width: 64, Height: 36, FPS: Rational{10, 1},
		SegmentDuration: 300 * time.Millisecond, Segments: 1})[0]
	collected := make(chan struct{})
	func() {
		data := append([]byte(nil), seg...)
		runtime.AddCleanup(&data[0], func(ch chan struct{}) { close(ch) }, collected)
		d, err := openInput(context.Background(), Input{Data: data})
		if err != nil {
			t.Fatal(err)
		}
		r := d.r
		d.close()
		if r.data != nil || r.ctx != nil {
			t.Fatal("closed reader still refers to its data or context")
		}
		if n, err := r.read(make([]byte, 16)); n != 0 || err == nil {
			t.Fatalf("read after close: %d, %v", n, err)
		}
	}()
	for range 20 {
		runtime.GC()
		select {
		case <-collected:
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatal("the input's bytes stayed reachable after the demuxer closed")
}
