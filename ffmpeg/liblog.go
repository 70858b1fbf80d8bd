package ffmpeg

/*
#cgo pkg-config: libavutil
#include <stdio.h>
#include <libavutil/log.h>

extern void opkitLibavLog(int level, char *class, char *msg);

// opkit_log_cb formats one libav message into a bounded buffer and hands
// it, with the name of the object that logged it, to Go.
static void opkit_log_cb(void *avcl, int level, const char *fmt, va_list vl) {
	level &= 0xff;
	if (level > av_log_get_level()) return;
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, vl);
	const char *name = "";
	if (avcl) {
		const AVClass *c = *(const AVClass **)avcl;
		if (c && c->item_name) name = c->item_name(avcl);
		else if (c && c->class_name) name = c->class_name;
	}
	opkitLibavLog(level, (char *)name, msg);
}

static void opkit_set_log_callback(int on) {
	av_log_set_callback(on ? opkit_log_cb : av_log_default_callback);
}
*/
import "C"

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// LogLevel is a libav log level (AV_LOG_*): a message is passed on when
// its level is at most the one set.
type LogLevel int

// The libav log levels.
const (
	LogQuiet   LogLevel = C.AV_LOG_QUIET
	LogPanic   LogLevel = C.AV_LOG_PANIC
	LogFatal   LogLevel = C.AV_LOG_FATAL
	LogError   LogLevel = C.AV_LOG_ERROR
	LogWarning LogLevel = C.AV_LOG_WARNING
	LogInfo    LogLevel = C.AV_LOG_INFO
	LogVerbose LogLevel = C.AV_LOG_VERBOSE
	LogDebug   LogLevel = C.AV_LOG_DEBUG
	LogTrace   LogLevel = C.AV_LOG_TRACE
)

func (l LogLevel) String() string {
	switch l {
	case LogQuiet:
		return "quiet"
	case LogPanic:
		return "panic"
	case LogFatal:
		return "fatal"
	case LogError:
		return "error"
	case LogWarning:
		return "warning"
	case LogInfo:
		return "info"
	case LogVerbose:
		return "verbose"
	case LogDebug:
		return "debug"
	case LogTrace:
		return "trace"
	}
	return "level(" + strconv.Itoa(int(l)) + ")"
}

// DefaultLogLevel is the libav log level the package sets when the first
// session, probe, PSNR or generator starts, unless SetLogLevel or
// SetLogHandler was called before: errors only, so libav's per-segment
// statistics (x264's "frame I:...") stay out of the program's output.
const DefaultLogLevel = LogError

// LogHandler receives libav's log messages: the level, the name of the
// object that logged (e.g. "libx264", "mpegts") and the message without
// its line end. It is called from libav's own threads, concurrently, and
// must not block or call back into libav.
type LogHandler func(level LogLevel, class, msg string)

var (
	logHandler    atomic.Pointer[LogHandler]
	logConfigured atomic.Bool
	logDefaults   sync.Once
	logMu         sync.Mutex // orders SetLogLevel/SetLogHandler
)

// SetLogLevel sets the most verbose level libav logs at, for the whole
// process (libav's log level is global). It also sets SVT-AV1's own log
// level (SVT_LOG), which SVT-AV1 reads when its first encoder opens,
// unless the environment sets it.
func SetLogLevel(l LogLevel) {
	logMu.Lock()
	defer logMu.Unlock()
	logConfigured.Store(true)
	setLogLevel(l)
}

func setLogLevel(l LogLevel) {
	C.av_log_set_level(C.int(l))
	if _, ok := os.LookupEnv("SVT_LOG"); !ok || svtLogSet {
		svtLogSet = true
		_ = os.Setenv("SVT_LOG", strconv.Itoa(svtLogLevel(l)))
	}
}

// svtLogSet records that SVT_LOG is this package's, not the user's.
var svtLogSet bool

// svtLogLevel maps a libav level to SVT-AV1's: 0 fatal, 1 error, 2 warning,
// 3 info, 4 debug.
func svtLogLevel(l LogLevel) int {
	switch {
	case l <= LogFatal:
		return 0
	case l <= LogError:
		return 1
	case l <= LogWarning:
		return 2
	case l <= LogInfo:
		return 3
	}
	return 4
}

// SetLogHandler sends libav's log messages to h instead of stderr; nil
// gives them back to libav's default (stderr). Only messages at or below
// the level of SetLogLevel reach h.
func SetLogHandler(h LogHandler) {
	logMu.Lock()
	defer logMu.Unlock()
	logConfigured.Store(true)
	if h == nil {
		C.opkit_set_log_callback(0)
		logHandler.Store(nil)
		return
	}
	logHandler.Store(&h)
	C.opkit_set_log_callback(1)
}

// initLogging applies DefaultLogLevel once, unless the program configured
// logging itself. Every entry point that runs libav calls it.
func initLogging() {
	logDefaults.Do(func() {
		logMu.Lock()
		defer logMu.Unlock()
		if !logConfigured.Load() {
			setLogLevel(DefaultLogLevel)
		}
	})
}

//export opkitLibavLog
func opkitLibavLog(level C.int, class, msg *C.char) {
	h := logHandler.Load()
	if h == nil {
		return
	}
	m := strings.TrimRight(C.GoString(msg), "\r\n\t ")
	if m == "" {
		return
	}
	cls := C.GoString(class)
	(*h)(libavLevel(LogLevel(level), cls, m), cls, m)
}

// x264ForcedIDRAtKeyint is libx264's warning when the IDR forced at a
// segment's first frame (warm.go) falls exactly at the keyframe-interval
// limit: its lookahead first marks the frame I, then its GOP limit makes it
// an IDR again, since opkit's GOPs are closed. The frame is an IDR
// (TestWarmEncoderSegmentBoundaries checks it).
var x264ForcedIDRAtKeyint = regexp.MustCompile(`^forced frame type \(1\) at \d+ was changed to frame type \(2\)$`)

// libavLevel lowers the level of libav messages known to be harmless in
// opkit's set-up to LogDebug, so that they do not reach an operator's
// warnings four times a segment.
func libavLevel(level LogLevel, class, msg string) LogLevel {
	if level <= LogWarning && level > LogError && class == "libx264" && x264ForcedIDRAtKeyint.MatchString(msg) {
		return LogDebug
	}
	return level
}
