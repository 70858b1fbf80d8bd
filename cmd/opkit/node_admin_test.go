package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/opkit-dev/opkit/transcoder"
	"github.com/opkit-dev/opkit/transcoder/node"
)

const (
	adminTestClientSecret = "admin-test-client-secret-0123"
	adminTestSecret       = "admin-test-operator-secret-456"
)

// adminNode is an `opkit node` run in-process on a loopback port.
type adminNode struct {
	base string
	done chan error
	stop func() error // idempotent; returns the command's error
}

// startAdminNode runs `opkit node` with the test's client secret, a one-
// rung ladder and args, and waits until it answers /healthz.
func startAdminNode(t *testing.T, args ...string) *adminNode {
	t.Helper()
	secretFile := writeTestFile(t, "client.secret", adminTestClientSecret+"\n")
	addr := freeAddr(t)
	n := &adminNode{base: "http://" + addr, done: make(chan error, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		app := newApp()
		app.Writer = io.Discard
		n.done <- app.RunContext(ctx, append([]string{"opkit", "--log-level", "warn", "node", "--secret-file", secretFile,
			"--listen", addr, "--ladder", transcoder.P144p30fps16x9, "--preset", "ultrafast"}, args...))
	}()
	n.stop = sync.OnceValue(func() error { cancel(); return <-n.done })
	t.Cleanup(func() {
		if err := n.stop(); err != nil {
			t.Errorf("node: %v", err)
		}
	})
	waitHealthy(t, n.base, n.done)
	return n
}

func writeTestFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// segment posts an unsigned segment and returns the answer's status and
// error code ("" for a 200).
func (n *adminNode) segment(t *testing.T, stream string, seq int, data []byte) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, n.base+"/v1/streams/"+stream+"/segments/"+strconv.Itoa(seq), bytes.NewReader(data))
	req.Header.Set("Authorization", "Bearer "+adminTestClientSecret)
	req.Header.Set("Content-Type", "video/mp2t")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, ""
	}
	var eb struct{ Code string }
	_ = json.NewDecoder(resp.Body).Decode(&eb)
	return resp.StatusCode, eb.Code
}

// admin sends method /admin/config with the bearer token (none for "") and
// body, and returns the status and the decoded JSON answer.
func (n *adminNode) admin(t *testing.T, method, token, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, n.base+"/admin/config", strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	if out == nil {
		out = map[string]any{"raw": string(raw)}
	}
	return resp.StatusCode, out
}

// waitMetric polls the node's /metrics until series has value.
func (n *adminNode) waitMetric(t *testing.T, series string, want float64) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		got, ok := scrape(t, n.base+"/metrics")[series]
		if ok && got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s = %v (present %v), want %v within 30s", series, got, ok, want)
		}
		select {
		case err := <-n.done:
			n.done <- err
			t.Fatalf("node exited: %v", err)
		case <-time.After(20 * time.Millisecond): // an outside observer's poll interval
		}
	}
}

func TestParseRuntimeConfig(t *testing.T) {
	rc, err := parseRuntimeConfig([]byte(`{"max_sessions": 0, "max_inflight": 16, "price_per_segment_wei": "340282366920938463463374607431768211455"}`))
	if err != nil || *rc.MaxSessions != 0 || *rc.MaxInflight != 16 || rc.PricePerSegmentWei.Cmp(maxPrice) != 0 {
		t.Fatalf("full config: %+v, %v", rc, err)
	}
	if rc, err := parseRuntimeConfig([]byte(`{"price_per_segment_wei": 1000}`)); err != nil || rc.PricePerSegmentWei.Int64() != 1000 || rc.MaxSessions != nil {
		t.Fatalf("price as a number: %+v, %v", rc, err)
	}
	if got := rc.limits(node.Limits{LocalSessions: 4, MaxInflight: 8}); got != (node.Limits{LocalSessions: 0, MaxInflight: 16}) {
		t.Errorf("limits %+v", got)
	}
	if rc, err := parseRuntimeConfig([]byte(`{}`)); err != nil || rc.limits(node.Limits{LocalSessions: 4, MaxInflight: 8}) != (node.Limits{LocalSessions: 4, MaxInflight: 8}) {
		t.Errorf("empty config keeps the limits: %+v, %v", rc, err)
	}
	for name, body := range map[string]string{
		"not JSON":            `max_sessions=4`,
		"unknown field":       `{"max_session": 4}`,
		"negative sessions":   `{"max_sessions": -1}`,
		"no inflight":         `{"max_inflight": 0}`,
		"inflight too large":  `{"max_inflight": 1000000}`,
		"fractional":          `{"max_sessions": 1.5}`,
		"zero price":          `{"price_per_segment_wei": "0"}`,
		"negative price":      `{"price_per_segment_wei": -5}`,
		"price above uint128": `{"price_per_segment_wei": "340282366920938463463374607431768211456"}`,
		"price in ETH":        `{"price_per_segment_wei": "0.001"}`,
		"two objects":         `{"max_sessions": 1} {"max_sessions": 2}`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := parseRuntimeConfig([]byte(body)); !errors.Is(err, errRuntimeConfig) {
				t.Errorf("%s: %v, want errRuntimeConfig", body, err)
			}
		})
	}
}

// TestNodeConfigFileSIGHUP: `opkit node --config-file` starts with the
// file's limits over the flags, and a SIGHUP applies the rewritten file
// live: a raised max_sessions admits the stream it refused, a lowered one
// closes an idle session and refuses the next new stream. Without
// --admin-secret-file the admin endpoint is off (404).
func TestNodeConfigFileSIGHUP(t *testing.T) {
	cfgFile := writeTestFile(t, "node.json", `{"max_sessions": 1, "max_inflight": 3}`)
	n := startAdminNode(t, "--max-sessions", "4", "--config-file", cfgFile)
	n.waitMetric(t, "opkit_node_max_sessions", 1)
	n.waitMetric(t, "opkit_node_max_inflight", 3)
	segs := testSegments(t, 1)
	if status, code := n.segment(t, "a", 0, segs[0]); status != http.StatusOK {
		t.Fatalf("first stream: %d %s", status, code)
	}
	if status, code := n.segment(t, "b", 0, segs[0]); status != http.StatusTooManyRequests || code != "busy_sessions" {
		t.Fatalf("second stream at max_sessions 1: %d %s, want 429 busy_sessions", status, code)
	}
	if status, _ := n.admin(t, http.MethodGet, adminTestSecret, ""); status != http.StatusNotFound {
		t.Errorf("admin endpoint without --admin-secret-file: %d, want 404", status)
	}

	hup := func(content string) {
		t.Helper()
		if err := os.WriteFile(cfgFile, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
	}
	hup(`{"max_sessions": 2}`)
	n.waitMetric(t, "opkit_node_max_sessions", 2)
	n.waitMetric(t, "opkit_node_max_inflight", 3) // absent from the file: kept
	if status, code := n.segment(t, "b", 0, segs[0]); status != http.StatusOK {
		t.Fatalf("second stream after raising max_sessions: %d %s", status, code)
	}
	n.waitMetric(t, "opkit_node_sessions", 2)

	hup(`{"max_sessions": 1, "max_inflight": 5}`)
	n.waitMetric(t, "opkit_node_max_inflight", 5)
	n.waitMetric(t, "opkit_node_max_sessions", 1)
	n.waitMetric(t, "opkit_node_sessions", 1) // the least recently used idle one closed
	if status, code := n.segment(t, "c", 0, segs[0]); status != http.StatusTooManyRequests || code != "busy_sessions" {
		t.Fatalf("new stream after lowering max_sessions: %d %s, want 429 busy_sessions", status, code)
	}
	if err := n.stop(); err != nil {
		t.Fatalf("node after SIGHUPs: %v", err)
	}
}

// TestNodeConfigFileReloadRefusesBadFiles calls the SIGHUP handler's
// reload on a real node: a bad file is refused with a clear error and
// changes nothing; a good one applies.
func TestNodeConfigFileReloadRefusesBadFiles(t *testing.T) {
	log := zaptest.NewLogger(t)
	cfgFile := writeTestFile(t, "node.json", `{"max_inflight": 6}`)
	ncfg := node.Config{
		Secret: []byte(adminTestClientSecret), DefaultLadder: transcoder.P144p30fps16x9, LocalSessions: 2, MaxInflight: 8,
		MaxBytes: 1 << 20, SessionIdle: time.Minute, DrainTimeout: time.Second, Heartbeat: time.Second,
		JobTimeout: time.Second, RetryAfter: time.Second, Log: log,
	}
	a, err := newNodeAdmin(nodeAdminConfig{configFile: cfgFile}, &ncfg, nil, log)
	if err != nil {
		t.Fatal(err)
	}
	if ncfg.MaxInflight != 6 || ncfg.LocalSessions != 2 || ncfg.Admin != nil {
		t.Fatalf("start: sessions %d, in flight %d, admin %v; want the file's 6 in flight over the flags' 8, no admin endpoint",
			ncfg.LocalSessions, ncfg.MaxInflight, ncfg.Admin != nil)
	}
	n, err := node.New(ncfg)
	if err != nil {
		t.Fatal(err)
	}
	a.attach(n)
	want := node.Limits{LocalSessions: 2, MaxInflight: 6}
	for name, tc := range map[string]struct{ content, says string }{
		"not JSON":            {`max_sessions: 3`, "invalid runtime config"},
		"negative":            {`{"max_sessions": -3}`, "max_sessions -3"},
		"unknown field":       {`{"max_sesions": 3}`, `unknown field "max_sesions"`},
		"orchestrator alone":  {`{"max_sessions": 0}`, "needs a worker secret"},
		"price without chain": {`{"max_sessions": 3, "price_per_segment_wei": "100"}`, "chain flags"},
		"missing":             {"", "no such file"},
	} {
		t.Run(name, func(t *testing.T) {
			if tc.content == "" {
				a.file = filepath.Join(t.TempDir(), "gone.json")
			} else {
				a.file = cfgFile
				if err := os.WriteFile(cfgFile, []byte(tc.content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			err := a.reload(context.Background())
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("reload: %v, want an error saying %q", err, tc.says)
			}
			if got := n.Limits(); got != want {
				t.Errorf("a refused file changed the limits to %+v", got)
			}
		})
	}
	a.file = cfgFile
	if err := os.WriteFile(cfgFile, []byte(`{"max_sessions": 3}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := a.reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := n.Limits(); got != (node.Limits{LocalSessions: 3, MaxInflight: 6}) {
		t.Errorf("after a good file: %+v", got)
	}

	// At start a bad file, or a price without a chain, stops the node.
	for _, content := range []string{`{"max_inflight": 0}`, `{"price_per_segment_wei": "5"}`} {
		if err := os.WriteFile(cfgFile, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		c := ncfg
		if _, err := newNodeAdmin(nodeAdminConfig{configFile: cfgFile}, &c, nil, log); err == nil {
			t.Errorf("start with %s: no error", content)
		}
	}
}

// TestNodeAdminEndpoint: /admin/config answers only the admin secret (not
// the clients'), refuses bad changes with 400 and nothing changed, and
// applies good ones at once.
func TestNodeAdminEndpoint(t *testing.T) {
	secretFile := writeTestFile(t, "admin.secret", adminTestSecret+"\n")
	n := startAdminNode(t, "--max-sessions", "2", "--max-inflight", "4", "--admin-secret-file", secretFile)
	for name, token := range map[string]string{"none": "", "wrong": adminTestSecret + "x", "client secret": adminTestClientSecret} {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			status, body := n.admin(t, method, token, `{"max_sessions": 1}`)
			if status != http.StatusUnauthorized || body["code"] != "unauthorized" {
				t.Errorf("%s %s token: %d %v, want 401 unauthorized", method, name, status, body)
			}
			if strings.Contains(fmt.Sprint(body), adminTestSecret) {
				t.Errorf("%s %s token: the answer echoes the secret", method, name)
			}
		}
	}
	status, body := n.admin(t, http.MethodGet, adminTestSecret, "")
	if status != http.StatusOK || body["max_sessions"] != 2.0 || body["max_inflight"] != 4.0 {
		t.Fatalf("GET: %d %v", status, body)
	}
	if _, ok := body["price_per_segment_wei"]; ok {
		t.Errorf("GET without a chain shows a price: %v", body)
	}
	for name, tc := range map[string]struct {
		body, code string
	}{
		"bad JSON":            {`{"max_sessions": `, "bad_config"},
		"negative sessions":   {`{"max_sessions": -1}`, "bad_config"},
		"negative inflight":   {`{"max_inflight": -4}`, "bad_config"},
		"unknown field":       {`{"sessions": 1}`, "bad_config"},
		"orchestrator alone":  {`{"max_sessions": 0}`, "bad_config"},
		"price without chain": {`{"max_sessions": 1, "price_per_segment_wei": "1000"}`, "no_chain"},
		"too large":           {`{"max_sessions": 1, "pad": "` + strings.Repeat("x", maxRuntimeConfigBytes) + `"}`, "bad_config"},
	} {
		t.Run(name, func(t *testing.T) {
			status, body := n.admin(t, http.MethodPost, adminTestSecret, tc.body)
			if status != http.StatusBadRequest || body["code"] != tc.code {
				t.Errorf("%d %v, want 400 %s", status, body, tc.code)
			}
		})
	}
	n.waitMetric(t, "opkit_node_max_sessions", 2) // nothing changed
	n.waitMetric(t, "opkit_node_max_inflight", 4)

	status, body = n.admin(t, http.MethodPost, adminTestSecret, `{"max_sessions": 1, "max_inflight": 9}`)
	if status != http.StatusOK || body["max_sessions"] != 1.0 || body["max_inflight"] != 9.0 {
		t.Fatalf("POST: %d %v", status, body)
	}
	n.waitMetric(t, "opkit_node_max_sessions", 1)
	n.waitMetric(t, "opkit_node_max_inflight", 9)
	segs := testSegments(t, 1)
	if status, code := n.segment(t, "a", 0, segs[0]); status != http.StatusOK {
		t.Fatalf("first stream: %d %s", status, code)
	}
	if status, code := n.segment(t, "b", 0, segs[0]); status != http.StatusTooManyRequests || code != "busy_sessions" {
		t.Fatalf("second stream at max_sessions 1: %d %s, want 429 busy_sessions", status, code)
	}
	if status, body = n.admin(t, http.MethodPost, adminTestSecret, `{"max_sessions": 2}`); status != http.StatusOK {
		t.Fatalf("POST: %d %v", status, body)
	}
	if status, code := n.segment(t, "b", 0, segs[0]); status != http.StatusOK {
		t.Fatalf("second stream after raising max_sessions: %d %s", status, code)
	}
}

// TestNodeAdminSecretMustDiffer: the admin secret cannot be the clients'.
func TestNodeAdminSecretMustDiffer(t *testing.T) {
	same := writeTestFile(t, "admin.secret", adminTestClientSecret+"\n")
	client := writeTestFile(t, "client.secret", adminTestClientSecret+"\n")
	err := newApp().Run([]string{"opkit", "node", "--secret-file", client, "--listen", "127.0.0.1:0", "--admin-secret-file", same})
	if exitCode(err) != 2 || err == nil || !strings.Contains(err.Error(), "must differ") {
		t.Errorf("admin secret = client secret: %v (exit %d), want exit 2", err, exitCode(err))
	}
}

// TestNodeAdminPriceOnChain: with chain flags, POST /admin/config sends
// the price as JobsManager.setPricePerSegment through the node's
// transaction manager and answers once it is mined; the chain then holds
// it. In the round's lock period a raise is refused (409) and a cut goes
// through.
func TestNodeAdminPriceOnChain(t *testing.T) {
	net, devnetFile := testDevnet(t)
	stakeArgs := []string{"--devnet", devnetFile, "--account", "1", "--tx-poll-interval", "10ms"}
	mustOpkit(t, append([]string{"stake", "bond", "--amount", "1000"}, stakeArgs...)...)
	mustOpkit(t, append([]string{"stake", "register", "--reward-cut", "10", "--fee-share", "50", "--price", "1000"}, stakeArgs...)...)
	ctx := context.Background()
	cl := devnetChain(t, net)
	acct := net.Info().Accounts[1].Address
	onChain := func() *big.Int {
		t.Helper()
		tr, err := cl.Transcoder(ctx, acct)
		if err != nil {
			t.Fatal(err)
		}
		return tr.PricePerSegment
	}

	secretFile := writeTestFile(t, "admin.secret", adminTestSecret+"\n")
	n := startAdminNode(t, "--admin-secret-file", secretFile, "--claims-db", filepath.Join(t.TempDir(), "claims.db"),
		"--claims-poll-interval", "20ms", "--devnet", devnetFile, "--account", "1", "--tx-poll-interval", "20ms")
	if status, body := n.admin(t, http.MethodGet, adminTestSecret, ""); status != http.StatusOK || body["price_per_segment_wei"] != "1000" {
		t.Fatalf("GET: %d %v, want the chain's price 1000", status, body)
	}
	status, body := n.admin(t, http.MethodPost, adminTestSecret, `{"price_per_segment_wei": "1500", "max_inflight": 6}`)
	tx, _ := body["price_tx"].(map[string]any)
	if status != http.StatusOK || body["price_per_segment_wei"] != "1500" || body["max_inflight"] != 6.0 || tx == nil || tx["label"] != "set_price" {
		t.Fatalf("POST price: %d %v", status, body)
	}
	if p := onChain(); p.Int64() != 1500 {
		t.Fatalf("price on chain %v after the answer, want 1500", p)
	}
	// The same price again sends nothing.
	if status, body := n.admin(t, http.MethodPost, adminTestSecret, `{"price_per_segment_wei": 1500}`); status != http.StatusOK || body["price_tx"] != nil {
		t.Fatalf("same price: %d %v, want 200 without a transaction", status, body)
	}

	// Into the round's lock period: only a cut goes through.
	for i := 0; ; i++ {
		r, err := cl.Round(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if r.Locked {
			break
		}
		if i > 100 {
			t.Fatal("round never locked")
		}
		net.Mine(1)
	}
	status, body = n.admin(t, http.MethodPost, adminTestSecret, `{"price_per_segment_wei": "2000", "max_inflight": 7}`)
	if msg, _ := body["error"].(string); status != http.StatusConflict || body["code"] != "price_refused" || !strings.Contains(msg, "may only go down") {
		t.Fatalf("raise in the lock period: %d %v, want 409 price_refused saying the price may only go down", status, body)
	}
	n.waitMetric(t, "opkit_node_max_inflight", 6) // refused as a whole
	if p := onChain(); p.Int64() != 1500 {
		t.Fatalf("price on chain %v after a refused raise, want 1500", p)
	}
	if status, body := n.admin(t, http.MethodPost, adminTestSecret, `{"price_per_segment_wei": "800"}`); status != http.StatusOK || body["price_tx"] == nil {
		t.Fatalf("cut in the lock period: %d %v", status, body)
	}
	if p := onChain(); p.Int64() != 800 {
		t.Fatalf("price on chain %v after a cut, want 800", p)
	}
}

// TestNodeSIGHUPWithoutConfigFileIsHarmless: an operator's habitual
// `kill -HUP` to a node started without --config-file changes nothing, and
// the node goes on serving. Before, SIGHUP kept its default action and ended
// the process with its segments in flight (here: the test binary).
func TestNodeSIGHUPWithoutConfigFileIsHarmless(t *testing.T) {
	n := startAdminNode(t, "--max-sessions", "2")
	n.waitMetric(t, "opkit_node_max_sessions", 2)
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	segs := testSegments(t, 1)
	if status, code := n.segment(t, "a", 0, segs[0]); status != http.StatusOK {
		t.Fatalf("segment after SIGHUP: %d %s", status, code)
	}
	n.waitMetric(t, "opkit_node_max_sessions", 2)
	if err := n.stop(); err != nil {
		t.Fatalf("node: %v", err)
	}
}
