package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"go.uber.org/zap"
)

// signalContext returns a context cancelled by the first SIGINT or SIGTERM,
// so in-flight work can finish or fail cleanly. A second signal exits at once.
func signalContext(parent context.Context, log *zap.Logger) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		defer signal.Stop(sigs)
		select {
		case s := <-sigs:
			log.Info("shutting down; send the signal again to force", zap.String("signal", s.String()))
			cancel()
		case <-ctx.Done():
			return
		}
		select {
		case s := <-sigs:
			log.Warn("forced exit", zap.String("signal", s.String()))
			os.Exit(130)
		case <-parent.Done():
		}
	}()
	return ctx, cancel
}

// exitError carries a process exit status chosen by a command (cron and
// monitoring read it), together with the message to print.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// withExitCode attaches an exit status to err.
func withExitCode(code int, err error) error {
	if err == nil {
		err = fmt.Errorf("exit status %d", code)
	}
	return &exitError{code: code, err: err}
}

func exitCode(err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return 1
}
