package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/opkit-dev/opkit/ffmpeg"
)

const (
	flagLogLevel  = "log-level"
	flagLogFormat = "log-format"
	loggerKey     = "logger"
)

func loggingFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: flagLogLevel, Value: "info", Usage: "debug, info, warn or error", EnvVars: []string{"OPKIT_LOG_LEVEL"}},
		&cli.StringFlag{Name: flagLogFormat, Value: "console", Usage: "console or json", EnvVars: []string{"OPKIT_LOG_FORMAT"}},
	}
}

// newLogger builds the process logger writing to w (the app's stderr), so
// that --json output on stdout stays machine-readable. Every entry passes
// through redactCore first: the RPC URL's secrets never reach w.
func newLogger(level, format string, w io.Writer) (*zap.Logger, error) {
	var lvl zapcore.Level
	if err := lvl.UnmarshalText([]byte(strings.ToLower(level))); err != nil {
		return nil, fmt.Errorf("--%s %q: want debug, info, warn or error", flagLogLevel, level)
	}
	var cfg zap.Config
	switch format {
	case "json":
		cfg = zap.NewProductionConfig()
	case "console":
		cfg = zap.NewDevelopmentConfig()
		cfg.DisableStacktrace = true
		cfg.Development = false
	default:
		return nil, fmt.Errorf("--%s %q: want console or json", flagLogFormat, format)
	}
	enc := zapcore.NewConsoleEncoder(cfg.EncoderConfig)
	if format == "json" {
		enc = zapcore.NewJSONEncoder(cfg.EncoderConfig)
	}
	out := zapcore.Lock(zapcore.AddSync(w))
	var core zapcore.Core = redactCore{Core: zapcore.NewCore(enc, out, zap.NewAtomicLevelAt(lvl)), s: rpcSecrets}
	if s := cfg.Sampling; s != nil {
		core = zapcore.NewSamplerWithOptions(core, time.Second, s.Initial, s.Thereafter)
	}
	opts := []zap.Option{zap.AddCaller(), zap.ErrorOutput(out)}
	if !cfg.DisableStacktrace {
		opts = append(opts, zap.AddStacktrace(zapcore.ErrorLevel))
	}
	return zap.New(core, opts...), nil
}

func setupLogging(c *cli.Context) error {
	log, err := newLogger(c.String(flagLogLevel), c.String(flagLogFormat), c.App.ErrWriter)
	if err != nil {
		return err
	}
	if c.App.Metadata == nil {
		c.App.Metadata = map[string]any{}
	}
	c.App.Metadata[loggerKey] = log
	routeLibavLogs(log)
	return nil
}

// routeLibavLogs sends libav's own messages (encoder warnings, demuxer
// errors) to log, with the logging object's name under "libav", instead of
// letting libav print them to stderr. libav's warnings and errors are
// logged at warn and error; with debug logging, libav's info messages
// (x264's statistics, encoder configurations) too, at debug.
func routeLibavLogs(log *zap.Logger) {
	log = log.WithOptions(zap.WithCaller(false))
	level := ffmpeg.LogWarning
	if log.Core().Enabled(zapcore.DebugLevel) {
		level = ffmpeg.LogInfo
	}
	ffmpeg.SetLogLevel(level)
	ffmpeg.SetLogHandler(func(l ffmpeg.LogLevel, class, msg string) {
		if ce := log.Check(libavZapLevel(l), msg); ce != nil {
			ce.Write(zap.String("libav", class))
		}
	})
}

// libavZapLevel maps a libav log level to zap's.
func libavZapLevel(l ffmpeg.LogLevel) zapcore.Level {
	switch {
	case l <= ffmpeg.LogError:
		return zapcore.ErrorLevel
	case l <= ffmpeg.LogWarning:
		return zapcore.WarnLevel
	}
	return zapcore.DebugLevel
}

func syncLogging(c *cli.Context) error {
	// libav's messages go back to stderr before the logger is flushed.
	ffmpeg.SetLogHandler(nil)
	if log, ok := c.App.Metadata[loggerKey].(*zap.Logger); ok {
		_ = log.Sync() // stderr sync fails on some terminals; nothing to do about it
	}
	return nil
}

// loggerFrom returns the process logger set up by the app's Before hook.
func loggerFrom(c *cli.Context) *zap.Logger {
	if log, ok := c.App.Metadata[loggerKey].(*zap.Logger); ok {
		return log
	}
	return zap.NewNop()
}
