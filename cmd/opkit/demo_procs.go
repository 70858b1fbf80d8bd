package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// demoProcs starts the demo's opkit processes (this binary, run again with
// other arguments), each with its log in the demo directory, and stops the
// long-running ones in reverse order.
type demoProcs struct {
	exe  string
	dir  string
	env  []string
	live []*demoProc
}

// demoProc is one long-running child.
type demoProc struct {
	name string
	cmd  *exec.Cmd
	done chan error // the exit, once
	log  string
}

// demoStopGrace is how long a child may take to stop after SIGTERM before
// it is killed: the node drains its segments and the daemons see their
// sent transactions through.
const demoStopGrace = 20 * time.Second

func newDemoProcs(dir string, env ...string) (*demoProcs, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find the opkit binary: %w", err)
	}
	return &demoProcs{exe: exe, dir: dir, env: append(demoEnviron(os.Environ()), env...)}, nil
}

// demoEnviron is the environment of the demo's children: the caller's,
// without its OPKIT_* settings (an operator's OPKIT_ETH_URL or OPKIT_DB must
// not point a demo process at a real chain or store). OPKIT_TEST_EXEC, the
// switch that makes a test binary run as opkit, is kept.
func demoEnviron(environ []string) []string {
	out := make([]string, 0, len(environ))
	for _, kv := range environ {
		if strings.HasPrefix(kv, "OPKIT_") && !strings.HasPrefix(kv, "OPKIT_TEST_EXEC=") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// command is a child with its log in the demo directory; with cancel set,
// SIGTERM (not SIGKILL) when ctx ends.
func (p *demoProcs) command(ctx context.Context, cancel bool, name string, args []string) (*exec.Cmd, string, error) {
	logPath := filepath.Join(p.dir, name+".log")
	f, err := os.Create(logPath)
	if err != nil {
		return nil, "", err
	}
	cmd := exec.Command(p.exe, args...)
	if cancel {
		cmd = exec.CommandContext(ctx, p.exe, args...)
		cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
		cmd.WaitDelay = demoStopGrace
	}
	cmd.Env, cmd.Stdout, cmd.Stderr = p.env, f, f
	// A Ctrl-C reaches the demo alone, which stops the children in order;
	// should the demo die, they get SIGTERM.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	setParentDeathSignal(cmd.SysProcAttr)
	return cmd, logPath, nil
}

// once runs a command to its end and returns its standard output; an exit
// other than 0 is an error that quotes the end of its log.
func (p *demoProcs) once(ctx context.Context, name string, args ...string) ([]byte, error) {
	cmd, logPath, err := p.command(ctx, true, name, args)
	if err != nil {
		return nil, err
	}
	defer closeWriter(cmd)
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		return out.Bytes(), fmt.Errorf("opkit %s (log %s): %w%s", args[0], logPath, err, logTail(logPath))
	}
	return out.Bytes(), nil
}

// start starts a long-running child. stopAll alone stops it, once, in
// order (a second SIGTERM would make opkit exit at once, 130).
func (p *demoProcs) start(name string, args ...string) (*demoProc, error) {
	cmd, logPath, err := p.command(context.Background(), false, name, args)
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		closeWriter(cmd)
		return nil, fmt.Errorf("start opkit %s: %w", args[0], err)
	}
	d := &demoProc{name: name, cmd: cmd, done: make(chan error, 1), log: logPath}
	go func() { err := cmd.Wait(); closeWriter(cmd); d.done <- err }()
	p.live = append(p.live, d)
	return d, nil
}

// exited reports a child that ended before it was asked to.
func (p *demoProcs) exited() error {
	for _, d := range p.live {
		select {
		case err := <-d.done:
			d.done <- err
			return fmt.Errorf("opkit %s exited early (log %s): %v%s", d.name, d.log, err, logTail(d.log))
		default:
		}
	}
	return nil
}

// stopAll stops the long-running children, last started first, each with
// SIGTERM and at most demoStopGrace before SIGKILL. A child that exits with
// an error on SIGTERM is reported.
func (p *demoProcs) stopAll() error {
	var errs []error
	for i := len(p.live) - 1; i >= 0; i-- {
		d := p.live[i]
		_ = d.cmd.Process.Signal(syscall.SIGTERM)
		var err error
		select {
		case err = <-d.done:
		case <-time.After(demoStopGrace):
			_ = d.cmd.Process.Kill()
			err = fmt.Errorf("did not stop within %v: killed", demoStopGrace)
			<-d.done
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("opkit %s (log %s): %w", d.name, d.log, err))
		}
	}
	p.live = nil
	return errors.Join(errs...)
}

func closeWriter(cmd *exec.Cmd) {
	if f, ok := cmd.Stderr.(*os.File); ok {
		_ = f.Close()
	}
}

// logTail is the last lines of a child's log, for an error message.
func logTail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil || len(b) == 0 {
		return ""
	}
	const max = 1500
	if len(b) > max {
		b = b[len(b)-max:]
	}
	return "\n--- end of " + filepath.Base(path) + " ---\n" + string(b)
}
