package main

import (
	"net/url"
	"slices"
	"strings"
	"sync"
	"unicode"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// An RPC provider's API key lives in the --eth-url: in its path
// (https://arb-mainnet.example.com/v2/KEY), its query (?apikey=KEY) or its
// userinfo. Errors from the HTTP client quote the URL they failed on, and
// those errors travel into logs, alerts and the command's last line. So:
//   - the RPC client never sees the secret parts: it is given scheme://host
//     and a transport puts path, query and credentials back on each request
//     (staking/connect), so its errors cannot quote them;
//   - every secret part of the configured URL is known (rpcSecrets), and the
//     process logger (redactCore), the alert sender (daemon.Config.Redact)
//     and the command's error (redactErr) replace it wherever it still shows.

// redacted replaces a secret.
const redacted = "REDACTED"

// minSecretLen is the shortest string treated as a secret: shorter ones
// would mangle every log line they occur in, and are not keys anyway.
const minSecretLen = 4

// secretSet is the secret parts of the URLs this process was configured
// with; safe for concurrent use.
type secretSet struct {
	mu      sync.RWMutex
	secrets []string // longest first, so that a secret's parts go with it
}

// rpcSecrets is this process's set: filled when a chain connection is
// made, read by the logger and the alert sender.
var rpcSecrets = &secretSet{}

// addURL learns the secret parts of raw: userinfo, path segments that look
// like keys, and query values, each as written and as decoded.
func (s *secretSet) addURL(raw string) {
	u, err := url.Parse(raw)
	if err != nil {
		return
	}
	var found []string
	if u.User != nil {
		pw, _ := u.User.Password()
		found = append(found, u.User.Username(), pw, url.QueryEscape(u.User.Username()), url.QueryEscape(pw))
	}
	for _, seg := range strings.Split(u.EscapedPath(), "/") {
		if plain, err := url.PathUnescape(seg); err == nil && looksLikeKey(plain) {
			found = append(found, seg, plain)
		}
	}
	for _, kv := range strings.Split(u.RawQuery, "&") {
		_, v, _ := strings.Cut(kv, "=")
		plain, _ := url.QueryUnescape(v)
		found = append(found, v, plain, url.QueryEscape(plain))
	}
	s.add(found...)
}

func (s *secretSet) add(found ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range found {
		if len(f) >= minSecretLen && !slices.Contains(s.secrets, f) {
			s.secrets = append(s.secrets, f)
		}
	}
	slices.SortFunc(s.secrets, func(a, b string) int { return len(b) - len(a) })
}

// looksLikeKey says whether a path segment may be an API key: long, or
// mixing letters and digits (v2, rpc and mainnet are not keys).
func looksLikeKey(seg string) bool {
	if len(seg) >= 16 {
		return true
	}
	letter := strings.IndexFunc(seg, unicode.IsLetter) >= 0
	digit := strings.IndexFunc(seg, unicode.IsDigit) >= 0
	return len(seg) >= 6 && letter && digit
}

// redact replaces every known secret in text.
func (s *secretSet) redact(text string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, sec := range s.secrets {
		text = strings.ReplaceAll(text, sec, redacted)
	}
	return text
}

func (s *secretSet) empty() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.secrets) == 0
}

// redactedError is an error whose text has the secrets replaced; it
// unwraps to the original, so errors.Is and exit codes still work.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// redactErr hides the known secrets in err's text.
func redactErr(err error) error {
	if err == nil || rpcSecrets.empty() {
		return err
	}
	if msg := rpcSecrets.redact(err.Error()); msg != err.Error() {
		return &redactedError{msg: msg, err: err}
	}
	return err
}

// redactCore is a zap core that replaces the known secrets in the message
// and in string, error and Stringer fields before they are encoded.
type redactCore struct {
	zapcore.Core
	s *secretSet
}

func (c redactCore) With(fs []zapcore.Field) zapcore.Core {
	return redactCore{Core: c.Core.With(c.fields(fs)), s: c.s}
}

func (c redactCore) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if c.Enabled(e.Level) {
		return ce.AddCore(e, c)
	}
	return ce
}

func (c redactCore) Write(e zapcore.Entry, fs []zapcore.Field) error {
	e.Message = c.s.redact(e.Message)
	return c.Core.Write(e, c.fields(fs))
}

func (c redactCore) fields(fs []zapcore.Field) []zapcore.Field {
	if c.s.empty() {
		return fs
	}
	out := make([]zapcore.Field, len(fs))
	for i, f := range fs {
		out[i] = c.field(f)
	}
	return out
}

func (c redactCore) field(f zapcore.Field) zapcore.Field {
	switch f.Type {
	case zapcore.StringType:
		f.String = c.s.redact(f.String)
	case zapcore.ErrorType:
		if err, ok := f.Interface.(error); ok && err != nil {
			return zap.String(f.Key, c.s.redact(err.Error()))
		}
	case zapcore.StringerType:
		if st, ok := f.Interface.(interface{ String() string }); ok && st != nil {
			return zap.String(f.Key, c.s.redact(st.String()))
		}
	}
	return f
}
