package node

import (
	"fmt"
	"sync"

	"github.com/opkit-dev/opkit/ffmpeg"
	"github.com/opkit-dev/opkit/transcoder"
)

// GPUDevice is one GPU a GPUScheduler places streams on.
type GPUDevice struct {
	Index int // CUDA index, as ffmpeg.Options.GPUDevice takes it
	// MaxEncoders caps the NVENC encoders open at once on the device (a
	// stream holds one per rendition); 0: no cap.
	MaxEncoders int
}

// GPUDevicesFromProbe turns probed devices into scheduler devices. A
// probe that hit ffmpeg.MaxProbedSessions means "at least that many", so
// such a device gets no cap.
func GPUDevicesFromProbe(devs []ffmpeg.Device) []GPUDevice {
	out := make([]GPUDevice, len(devs))
	for i, d := range devs {
		out[i] = GPUDevice{Index: d.Index, MaxEncoders: d.MaxEncodeSessions}
		if d.MaxEncodeSessions >= ffmpeg.MaxProbedSessions {
			out[i].MaxEncoders = 0
		}
	}
	return out
}

// DeviceLoad is one device's share of the work.
type DeviceLoad struct {
	GPUDevice
	Load     int64 // sum of the streams' w×h×fps
	Streams  int
	Encoders int
}

// GPUScheduler places each new stream on the least-loaded GPU, where load
// is the sum of the streams' source width×height×fps (DESIGN.md). A stream
// is placed with an estimate (its ladder's largest rung) and corrected
// once its first segment has been probed. Ties go to the lowest position
// in the device list. A device whose encoder cap would be exceeded is
// skipped; when every device is, Place returns a *CapacityError.
type GPUScheduler struct {
	mu      sync.Mutex
	devs    []DeviceLoad
	streams map[string]placement
}

type placement struct {
	dev      int // position in devs
	load     int64
	encoders int
}

// NewGPUScheduler schedules over devs, in order (ties go to the first).
func NewGPUScheduler(devs []GPUDevice) (*GPUScheduler, error) {
	if len(devs) == 0 {
		return nil, fmt.Errorf("%w: GPU scheduler without devices", ErrBadConfig)
	}
	s := &GPUScheduler{streams: map[string]placement{}}
	seen := map[int]bool{}
	for _, d := range devs {
		if d.Index < 0 || d.MaxEncoders < 0 || seen[d.Index] {
			return nil, fmt.Errorf("%w: GPU device %+v: want a distinct index >= 0 and a cap >= 0", ErrBadConfig, d)
		}
		seen[d.Index] = true
		s.devs = append(s.devs, DeviceLoad{GPUDevice: d})
	}
	return s, nil
}

// Place puts stream on the least-loaded device that has room for its
// encoders and returns the device's CUDA index. estimate is the stream's
// expected w×h×fps. A stream already placed keeps its device.
func (s *GPUScheduler) Place(stream string, estimate int64, encoders int) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.streams[stream]; ok {
		return s.devs[p.dev].Index, nil
	}
	best := -1
	for i, d := range s.devs {
		if d.MaxEncoders > 0 && d.Encoders+encoders > d.MaxEncoders {
			continue
		}
		if best < 0 || d.Load < s.devs[best].Load {
			best = i
		}
	}
	if best < 0 {
		return -1, &CapacityError{Reason: RejectDevices}
	}
	d := &s.devs[best]
	d.Load += estimate
	d.Streams++
	d.Encoders += encoders
	s.streams[stream] = placement{dev: best, load: estimate, encoders: encoders}
	return d.Index, nil
}

// Update replaces a placed stream's load with its measured w×h×fps.
func (s *GPUScheduler) Update(stream string, load int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.streams[stream]
	if !ok {
		return
	}
	s.devs[p.dev].Load += load - p.load
	p.load = load
	s.streams[stream] = p
}

// Release takes the stream's load off its device.
func (s *GPUScheduler) Release(stream string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.streams[stream]
	if !ok {
		return
	}
	d := &s.devs[p.dev]
	d.Load -= p.load
	d.Streams--
	d.Encoders -= p.encoders
	delete(s.streams, stream)
}

// Loads returns a snapshot of every device's load, in list order.
func (s *GPUScheduler) Loads() []DeviceLoad {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]DeviceLoad(nil), s.devs...)
}

// ladderLoad is a stream's load before its source is probed: the largest
// rung's w×h×fps (a rung without a frame rate counts as 30 fps).
func ladderLoad(l transcoder.Ladder) int64 {
	var most int64
	for _, r := range l {
		fps := 30.0
		if r.FPS.Num > 0 && r.FPS.Den > 0 {
			fps = float64(r.FPS.Num) / float64(r.FPS.Den)
		}
		if v := int64(float64(r.Width*r.Height) * fps); v > most {
			most = v
		}
	}
	return most
}

// sourceLoad is the measured w×h×fps of a segment's source; ok is false
// when the segment does not say (no duration or frames).
func sourceLoad(res *ffmpeg.SegmentResult) (int64, bool) {
	secs := res.SourceDuration.Seconds()
	if secs <= 0 || res.DecodedFrames <= 0 || res.SourceWidth <= 0 || res.SourceHeight <= 0 {
		return 0, false
	}
	return int64(float64(res.SourceWidth*res.SourceHeight) * float64(res.DecodedFrames) / secs), true
}
