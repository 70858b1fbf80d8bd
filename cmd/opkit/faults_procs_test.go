package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"
)

// proc is an opkit process of the fault suite: this test binary run as opkit
// (TestMain), with its output kept for the failure report.
type proc struct {
	t    *testing.T
	name string
	args []string
	env  []string

	mu   sync.Mutex
	cmd  *exec.Cmd
	out  *lockedBuffer
	done chan error
	runs int
}

func newProc(t *testing.T, name string, env []string, args ...string) *proc {
	p := &proc{t: t, name: name, args: args, env: env}
	t.Cleanup(func() { p.kill() })
	return p
}

// start runs the process (again, after a kill).
func (p *proc) start() {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	cmd := exec.Command(os.Args[0], p.args...)
	cmd.Env = append(append(os.Environ(), envTestExec+"=1"), p.env...)
	if p.out == nil {
		p.out = &lockedBuffer{}
	}
	fmt.Fprintf(p.out, "=== %s: run %d\n", p.name, p.runs+1)
	cmd.Stdout, cmd.Stderr = p.out, p.out
	// Its own process group, so that a stop or a kill reaches it alone.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		p.t.Fatalf("start %s: %v", p.name, err)
	}
	p.runs++
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	p.cmd, p.done = cmd, done
}

// signal sends sig to the running process; false when it is not running.
func (p *proc) signal(sig syscall.Signal) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil {
		return false
	}
	return syscall.Kill(p.cmd.Process.Pid, sig) == nil
}

// kill ends the process at once (SIGKILL, after a SIGCONT for a stopped one)
// and waits for it.
func (p *proc) kill() {
	p.signal(syscall.SIGCONT)
	if p.signal(syscall.SIGKILL) {
		p.wait(10 * time.Second)
	}
}

// stop asks the process to stop (SIGTERM) and returns its exit error.
func (p *proc) stop(timeout time.Duration) error {
	p.signal(syscall.SIGCONT)
	if !p.signal(syscall.SIGTERM) {
		return nil
	}
	return p.wait(timeout)
}

func (p *proc) wait(timeout time.Duration) error {
	p.mu.Lock()
	done := p.done
	p.mu.Unlock()
	if done == nil {
		return nil
	}
	var err error
	select {
	case err = <-done:
	case <-time.After(timeout):
		p.signal(syscall.SIGKILL)
		err = fmt.Errorf("%s did not stop within %v: %w", p.name, timeout, <-done)
	}
	p.mu.Lock()
	p.cmd, p.done = nil, nil
	p.mu.Unlock()
	return err
}

// exited reports whether the running process has ended by itself.
func (p *proc) exited() (error, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done == nil {
		return nil, false
	}
	select {
	case err := <-p.done:
		p.done <- err
		return err, true
	default:
		return nil, false
	}
}

// output is what every run printed, each after a "=== name: run N" line.
func (p *proc) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.out == nil {
		return ""
	}
	return p.out.String()
}

// lockedBuffer is the processes' output, written by exec's copier while the
// test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// exitedCleanly reports a stop's error, ignoring the SIGTERM exit status of
// a process that handled the signal by exiting non-zero.
func exitedCleanly(err error) bool {
	var ee *exec.ExitError
	return err == nil || (errors.As(err, &ee) && ee.ExitCode() == 0)
}
