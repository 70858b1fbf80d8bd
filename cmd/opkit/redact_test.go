package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

// The secret parts of the RPC URL the fault runs use.
const (
	rpcPathKey  = "PathKey0123456789abcdef"
	rpcQueryKey = "QueryKey9876543210fedcba"
)

// syncBuffer is a bytes.Buffer safe for the logger and the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// faultRPC is a JSON-RPC endpoint on loopback that wants the key in its
// path and query, forwards calls to the devnet, and drops the connection
// of every call that would send a transaction: the client sees a
// transport error (*url.Error), which carries the URL.
func faultRPC(t *testing.T, upstream string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v2/"+rpcPathKey || r.URL.Query().Get("apikey") != rpcQueryKey {
			http.Error(w, "unknown key", http.StatusUnauthorized)
			return
		}
		body, _ := io.ReadAll(r.Body)
		if strings.Contains(string(body), `"eth_estimateGas"`) || strings.Contains(string(body), `"eth_sendRawTransaction"`) {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		resp, err := http.Post(upstream, "application/json", bytes.NewReader(body))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/v2/" + rpcPathKey + "?apikey=" + rpcQueryKey
}

// alertHook is a loopback webhook that keeps every body it gets.
func alertHook(t *testing.T) (string, func() []string, <-chan struct{}) {
	t.Helper()
	var mu sync.Mutex
	var bodies []string
	got := make(chan struct{}, 64)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		select {
		case got <- struct{}{}:
		default:
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/hook", func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), bodies...)
	}, got
}

// runLogged runs the CLI in-process with debug JSON logs into a buffer
// until ctx ends, and returns its error and its log.
func runLogged(ctx context.Context, args ...string) (string, error) {
	var logs syncBuffer
	app := newApp()
	app.Writer, app.ErrWriter = io.Discard, &logs
	err := app.RunContext(ctx, append([]string{"opkit", "--log-level", "debug", "--log-format", "json"}, args...))
	return logs.String(), err
}

// wantNoKey fails the test when text holds a secret part of the RPC URL.
func wantNoKey(t *testing.T, what, text string) {
	t.Helper()
	for _, key := range []string{rpcPathKey, rpcQueryKey} {
		if i := strings.Index(text, key); i >= 0 {
			t.Errorf("%s leaks the RPC key: …%s…", what, text[max(0, i-120):min(len(text), i+40)])
		}
	}
}

// TestRPCKeyNeverLeaks runs the staking daemon against an RPC endpoint
// whose key is in the URL's path and query and which fails every send with
// a dropped connection, and a read-only command against one that is down:
// no log line, alert body or returned error carries the key.
func TestRPCKeyNeverLeaks(t *testing.T) {
	net, devnetFile := testDevnet(t)
	stakeArgs := []string{"--devnet", devnetFile, "--account", "1", "--tx-poll-interval", "10ms"}
	mustOpkit(t, append([]string{"stake", "bond", "--amount", "1000"}, stakeArgs...)...)
	mustOpkit(t, append([]string{"stake", "register", "--reward-cut", "10", "--fee-share", "50"}, stakeArgs...)...)
	nextRound(t, net) // active now, not yet rewarded
	info := net.Info()
	acct := info.Accounts[1]
	hook, alerts, alerted := alertHook(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	type result struct {
		err  error
		logs string
	}
	done := make(chan result, 1)
	go func() {
		logs, err := runLogged(ctx, "daemon", "--eth-url", faultRPC(t, info.RPCURL), "--controller", info.Contracts.Controller.Hex(),
			"--keystore", acct.KeystoreFile, "--password-file", acct.PasswordFile, "--account", acct.Address.Hex(),
			"--state-dir", t.TempDir(), "--db", filepath.Join(t.TempDir(), "p.db"), "--metrics-addr", "",
			"--alert-webhook", hook, "--poll-interval", "50ms", "--tx-poll-interval", "10ms")
		done <- result{err, logs}
	}()
	select {
	case <-alerted:
	case <-time.After(90 * time.Second):
		t.Error("no alert within 90s")
	}
	cancel()
	r := <-done
	if !strings.Contains(r.logs, "reward") || !strings.Contains(r.logs, "EOF") || len(alerts()) == 0 {
		t.Fatalf("the fault run logged no failed reward attempt or raised no alert:\n%s", r.logs)
	}
	wantNoKey(t, "the daemon's log", r.logs)
	for _, a := range alerts() {
		var body struct{ Kind, Message string }
		if err := json.Unmarshal([]byte(a), &body); err != nil || body.Kind == "" {
			t.Errorf("alert body %q: %v", a, err)
		}
		wantNoKey(t, "an alert", a)
	}
	if r.err != nil {
		wantNoKey(t, "the daemon's error", r.err.Error())
	}

	down := "http://" + freeAddr(t) + "/v2/" + rpcPathKey + "?apikey=" + rpcQueryKey // nobody listens
	logs, err := runLogged(context.Background(), "round", "status", "--eth-url", down,
		"--controller", info.Contracts.Controller.Hex(), "--account", acct.Address.Hex())
	if err == nil {
		t.Fatal("round status against a down endpoint succeeded")
	}
	wantNoKey(t, "the error of a down endpoint", err.Error())
	wantNoKey(t, "the log of a down endpoint", logs)
}

// TestRedactCore: with the URL's secrets known, the logger hides them in
// the message and in string, error and Stringer fields, and in fields
// given to With; nothing else changes.
func TestRedactCore(t *testing.T) {
	s := &secretSet{}
	s.addURL("https://user:Passw0rd@rpc.example.com/v2/" + rpcPathKey + "/rpc?apikey=" + rpcQueryKey + "&x=1")
	obs, logs := observer.New(zapcore.DebugLevel)
	log := zap.New(redactCore{Core: obs, s: s}).With(zap.String("url", "/v2/"+rpcPathKey))
	leak := "Post \"https://rpc.example.com/v2/" + rpcPathKey + "?apikey=" + rpcQueryKey + "\": EOF (Passw0rd)"
	log.Warn("failed: "+leak, zap.Error(errors.New(leak)), zap.String("s", leak), zap.Stringer("st", stringer(leak)),
		zap.String("keep", "v2 rpc x=1 round 7"))
	e := logs.All()[0]
	wantNoKey(t, "the message", e.Message)
	for k, v := range e.ContextMap() {
		wantNoKey(t, "field "+k, fmt.Sprint(v))
		if strings.Contains(fmt.Sprint(v), "Passw0rd") {
			t.Errorf("field %s leaks the password: %v", k, v)
		}
	}
	if got := e.ContextMap()["keep"]; got != "v2 rpc x=1 round 7" {
		t.Errorf("a field without secrets changed to %q", got)
	}
}

type stringer string

func (s stringer) String() string { return string(s) }
