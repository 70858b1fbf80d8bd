package keys

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/term"
)

// ErrNoPassword is returned when no password source is available.
var ErrNoPassword = errors.New("keys: no password: give --password-file or run on a terminal")

// maxPasswordFileSize bounds a password file; anything larger is a mistake.
const maxPasswordFileSize = 4 << 10

// ReadPasswordFile reads a password from path. One trailing newline ("\n" or
// "\r\n") is removed, so `echo secret > file` works; any other whitespace is
// part of the password.
func ReadPasswordFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("keys: password file: %w", err)
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, maxPasswordFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("keys: password file: %w", err)
	}
	if len(raw) > maxPasswordFileSize {
		return nil, fmt.Errorf("keys: password file %s is over %d bytes", path, maxPasswordFileSize)
	}
	return trimOneNewline(raw), nil
}

func trimOneNewline(b []byte) []byte {
	if bytes.HasSuffix(b, []byte("\r\n")) {
		return b[:len(b)-2]
	}
	if bytes.HasSuffix(b, []byte("\n")) {
		return b[:len(b)-1]
	}
	return b
}

// Prompter asks for a password without echoing it.
type Prompter interface {
	Password(prompt string) ([]byte, error)
}

// TerminalPrompter prompts on a terminal: the prompt goes to Out (stderr, so
// stdout stays clean for --json) and the answer is read from In with echo off.
type TerminalPrompter struct {
	In  *os.File
	Out io.Writer
}

// StdPrompter prompts on stdin and stderr.
func StdPrompter() TerminalPrompter { return TerminalPrompter{In: os.Stdin, Out: os.Stderr} }

// Password implements Prompter. It fails with ErrNoPassword when In is not a
// terminal, rather than read a password that would be echoed.
func (p TerminalPrompter) Password(prompt string) ([]byte, error) {
	fd := int(p.In.Fd())
	if !term.IsTerminal(fd) {
		return nil, ErrNoPassword
	}
	fmt.Fprint(p.Out, prompt)
	pw, err := term.ReadPassword(fd)
	fmt.Fprintln(p.Out)
	if err != nil {
		return nil, fmt.Errorf("keys: read password: %w", err)
	}
	return pw, nil
}

// Password returns the password from file if it is set, and otherwise asks
// prompter.
func Password(file string, prompter Prompter, prompt string) ([]byte, error) {
	if file != "" {
		return ReadPasswordFile(file)
	}
	if prompter == nil {
		return nil, ErrNoPassword
	}
	return prompter.Password(prompt)
}

// NewPassword asks for a new password twice, or reads it from file. An empty
// password is refused.
func NewPassword(file string, prompter Prompter) ([]byte, error) {
	if file != "" {
		pw, err := ReadPasswordFile(file)
		if err == nil && len(pw) == 0 {
			err = fmt.Errorf("keys: password file %s is empty", file)
		}
		return pw, err
	}
	if prompter == nil {
		return nil, ErrNoPassword
	}
	pw, err := prompter.Password("New password: ")
	if err != nil {
		return nil, err
	}
	again, err := prompter.Password("Repeat password: ")
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(pw, again) {
		return nil, errors.New("keys: passwords do not match")
	}
	if len(pw) == 0 {
		return nil, errors.New("keys: empty password")
	}
	return pw, nil
}
