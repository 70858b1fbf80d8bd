package ffmpeg

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

// logRecorder collects libav messages; libav calls it from its threads.
type logRecorder struct {
	mu   sync.Mutex
	msgs []logMsg
}

type logMsg struct {
	level      LogLevel
	class, msg string
}

func (r *logRecorder) handle(level LogLevel, class, msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, logMsg{level, class, msg})
}

func (r *logRecorder) take() []logMsg {
	r.mu.Lock()
	defer r.mu.Unlock()
	m := r.msgs
	r.msgs = nil
	return m
}

// withLogHandler sends libav's messages up to level to a recorder for the
// rest of the test, then restores the tests' quiet level.
func withLogHandler(t *testing.T, level LogLevel) *logRecorder {
	t.Helper()
	quietLibav()
	r := &logRecorder{}
	SetLogLevel(level)
	SetLogHandler(r.handle)
	t.Cleanup(func() {
		SetLogHandler(nil)
		SetLogLevel(LogFatal)
	})
	return r
}

// TestLogHandler checks that libav's messages reach the handler with the
// logging object's name, and that the level filters them: x264's
// end-of-encode statistics are info, so they arrive at info and not at
// error.
func TestLogHandler(t *testing.T) {
	seg := generate(t, SyntheticSpec{Width: 160, Height: 90, FPS: Rational{30, 1},
		SegmentDuration: time.Second, Segments: 1})[0]
	ladder := []RenditionSpec{{Name: "90p", Width: 160, Height: 90, Bitrate: 100_000, GOP: time.Second}}
	transcode := func() {
		s := newTestSession(t, Options{Renditions: ladder})
		if _, err := s.Transcode(context.Background(), Input{Data: seg}); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}

	r := withLogHandler(t, LogInfo)
	transcode()
	var x264 bool
	for _, m := range r.take() {
		if m.level > LogInfo {
			t.Errorf("message above the level set: %+v", m)
		}
		if strings.HasSuffix(m.msg, "\n") || m.msg == "" {
			t.Errorf("message not trimmed: %q", m.msg)
		}
		x264 = x264 || (m.class == "libx264" && m.level == LogInfo && strings.Contains(m.msg, "frame I:"))
	}
	if !x264 {
		t.Error(`no info message "frame I:..." from libx264`)
	}

	SetLogLevel(LogError)
	transcode()
	for _, m := range r.take() {
		if m.level > LogError {
			t.Errorf("message above error level: %+v", m)
		}
	}

	// A demuxer error on garbage input is logged at error level.
	if _, err := Probe(Input{Data: []byte(strings.Repeat("garbage!", 4096)), FormatHint: "mpegts"}); err == nil {
		t.Fatal("Probe of garbage succeeded")
	}
	for _, m := range r.take() {
		if m.level > LogError || m.class == "" {
			t.Errorf("unexpected message %+v", m)
		}
	}
}

func TestLogLevelString(t *testing.T) {
	for l, want := range map[LogLevel]string{LogQuiet: "quiet", LogError: "error", LogWarning: "warning", LogDebug: "debug", 5: "level(5)"} {
		if got := l.String(); got != want {
			t.Errorf("%d: %q, want %q", int(l), got, want)
		}
	}
}

func TestSVTLogLevel(t *testing.T) {
	for l, want := range map[LogLevel]int{LogQuiet: 0, LogFatal: 0, LogError: 1, LogWarning: 2, LogInfo: 3, LogDebug: 4} {
		if got := svtLogLevel(l); got != want {
			t.Errorf("%v: SVT level %d, want %d", l, got, want)
		}
	}
}
