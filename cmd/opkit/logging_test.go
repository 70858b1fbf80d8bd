package main

import (
	"testing"

	"github.com/asticode/go-astiav"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/opkit-dev/opkit/ffmpeg"
)

// TestRouteLibavLogs checks that libav's messages reach the zap logger at
// the mapped level, with the object's name under "libav", and that info
// messages only pass with debug logging.
func TestRouteLibavLogs(t *testing.T) {
	t.Cleanup(func() {
		ffmpeg.SetLogHandler(nil)
		ffmpeg.SetLogLevel(ffmpeg.LogError)
	})
	for _, tc := range []struct {
		level    zapcore.Level
		wantInfo bool
	}{{zapcore.InfoLevel, false}, {zapcore.DebugLevel, true}} {
		core, logs := observer.New(tc.level)
		routeLibavLogs(zap.New(core))
		astiav.Log(nil, astiav.LogLevelWarning, "libav warning %s\n", "w1")
		astiav.Log(nil, astiav.LogLevelError, "libav error %s\n", "e1")
		astiav.Log(nil, astiav.LogLevelInfo, "libav info %s\n", "i1")
		astiav.Log(nil, astiav.LogLevelDebug, "libav debug %s\n", "d1")
		want := map[string]zapcore.Level{"libav warning w1": zapcore.WarnLevel, "libav error e1": zapcore.ErrorLevel}
		if tc.wantInfo {
			want["libav info i1"] = zapcore.DebugLevel
		}
		got := logs.TakeAll()
		if len(got) != len(want) {
			t.Errorf("zap at %v: %d entries, want %d: %+v", tc.level, len(got), len(want), got)
		}
		for _, e := range got {
			if lvl, ok := want[e.Message]; !ok || lvl != e.Level {
				t.Errorf("zap at %v: entry %q at %v, want %v (known %v)", tc.level, e.Message, e.Level, lvl, ok)
			}
			if _, ok := e.ContextMap()["libav"]; !ok {
				t.Errorf("entry %q has no libav key", e.Message)
			}
		}
	}
}

func TestLibavZapLevel(t *testing.T) {
	for l, want := range map[ffmpeg.LogLevel]zapcore.Level{
		ffmpeg.LogPanic: zapcore.ErrorLevel, ffmpeg.LogFatal: zapcore.ErrorLevel, ffmpeg.LogError: zapcore.ErrorLevel,
		ffmpeg.LogWarning: zapcore.WarnLevel, ffmpeg.LogInfo: zapcore.DebugLevel, ffmpeg.LogDebug: zapcore.DebugLevel,
	} {
		if got := libavZapLevel(l); got != want {
			t.Errorf("%v: %v, want %v", l, got, want)
		}
	}
}
