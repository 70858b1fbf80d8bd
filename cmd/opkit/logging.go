package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
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

// newLogger builds the process logger. Logs go to stderr so that --json
// output on stdout stays machine-readable.
func newLogger(level, format string) (*zap.Logger, error) {
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
	cfg.Level = zap.NewAtomicLevelAt(lvl)
	cfg.OutputPaths = []string{"stderr"}
	cfg.ErrorOutputPaths = []string{"stderr"}
	return cfg.Build()
}

func setupLogging(c *cli.Context) error {
	log, err := newLogger(c.String(flagLogLevel), c.String(flagLogFormat))
	if err != nil {
		return err
	}
	if c.App.Metadata == nil {
		c.App.Metadata = map[string]any{}
	}
	c.App.Metadata[loggerKey] = log
	return nil
}

func syncLogging(c *cli.Context) error {
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
