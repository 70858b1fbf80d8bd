package alert

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"go.uber.org/zap/zaptest"
)

type request struct {
	method, path, contentType string
	body                      []byte
}

// recorder is a loopback server standing in for a chat service or a
// monitor: it records each request and answers with status and body.
func recorder(t *testing.T, status int, answer string) (*httptest.Server, <-chan request) {
	got := make(chan request, 8)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- request{r.Method, r.URL.Path, r.Header.Get("Content-Type"), b}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, answer)
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

func next(t *testing.T, got <-chan request) request {
	t.Helper()
	select {
	case r := <-got:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("nothing was sent")
		return request{}
	}
}

// TestTelegramSendMessage checks the Bot API's documented sendMessage call:
// POST /bot<token>/sendMessage with a JSON body holding chat_id and text.
func TestTelegramSendMessage(t *testing.T) {
	srv, got := recorder(t, http.StatusOK, `{"ok":true,"result":{"message_id":1}}`)
	const token = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"
	tg, err := NewTelegram(TelegramConfig{Token: token, ChatID: "-1001234567890", APIBase: srv.URL},
		WebhookConfig{Logger: zaptest.NewLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	runWebhook(t, tg)
	tg.Raise(Alert{Kind: KindMissedRound, Account: "0xabc", Round: 42, Message: "round ended without reward; see http://rpc.example/v2/KEY?x=1"})
	r := next(t, got)
	if r.method != http.MethodPost || r.path != "/bot"+token+"/sendMessage" || r.contentType != "application/json" {
		t.Fatalf("request %s %s (%s)", r.method, r.path, r.contentType)
	}
	var m struct {
		ChatID    string `json:"chat_id"`
		Text      string `json:"text"`
		ParseMode string `json:"parse_mode"`
	}
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body %s: %v", r.body, err)
	}
	if m.ChatID != "-1001234567890" || m.ParseMode != "" {
		t.Fatalf("chat_id %q parse_mode %q", m.ChatID, m.ParseMode)
	}
	for _, want := range []string{"missed_round", "round 42", "0xabc", "round ended without reward"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("text %q lacks %q", m.Text, want)
		}
	}
	if strings.Contains(m.Text, "KEY") {
		t.Errorf("text %q carries the URL's path", m.Text)
	}
	waitSent(t, tg, 1)
}

func TestTelegramRejectsBadConfig(t *testing.T) {
	for _, cfg := range []TelegramConfig{{Token: "", ChatID: "1"}, {Token: "a/b", ChatID: "1"}, {Token: "123:abc"}} {
		if _, err := NewTelegram(cfg, WebhookConfig{}); err != ErrInvalidTelegram {
			t.Errorf("%+v: %v, want ErrInvalidTelegram", cfg, err)
		}
	}
}

// TestDiscordExecuteWebhook checks Discord's documented execute-webhook
// body: JSON with content of at most 2000 characters, mentions disabled;
// Discord answers 204.
func TestDiscordExecuteWebhook(t *testing.T) {
	srv, got := recorder(t, http.StatusNoContent, "")
	dc, err := NewDiscord(srv.URL+"/api/webhooks/111/tok", WebhookConfig{Logger: zaptest.NewLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	runWebhook(t, dc)
	dc.Raise(Alert{Kind: KindTxFailed, Round: 7, Tx: "0xfeed", Message: "@everyone " + strings.Repeat("é", 3000)})
	r := next(t, got)
	if r.method != http.MethodPost || r.path != "/api/webhooks/111/tok" || r.contentType != "application/json" {
		t.Fatalf("request %s %s (%s)", r.method, r.path, r.contentType)
	}
	var m struct {
		Content         string `json:"content"`
		AllowedMentions struct {
			Parse []string `json:"parse"`
		} `json:"allowed_mentions"`
	}
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body %s: %v", r.body, err)
	}
	if n := utf8.RuneCountInString(m.Content); n > 2000 || !strings.HasPrefix(m.Content, "opkit tx_failed (round 7)") {
		t.Fatalf("content of %d characters: %.60q", n, m.Content)
	}
	if m.AllowedMentions.Parse == nil || len(m.AllowedMentions.Parse) != 0 {
		t.Fatalf("allowed_mentions.parse %v, want [] so no @everyone ping", m.AllowedMentions.Parse)
	}
	waitSent(t, dc, 1)
}

// TestDeadManPings checks the healthchecks.io ping protocol: the check's URL
// after a success, URL/fail after a failure; pings not yet sent coalesce to
// the newest.
func TestDeadManPings(t *testing.T) {
	srv, got := recorder(t, http.StatusOK, "OK")
	dm, err := NewDeadMan(srv.URL+"/ping/0f3c1d2e-uuid/", time.Second, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	dm.Ping(false)
	dm.Ping(true) // replaces the failure not yet sent
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { dm.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	if r := next(t, got); r.path != "/ping/0f3c1d2e-uuid" {
		t.Fatalf("first ping to %s, want the success URL", r.path)
	}
	dm.Ping(false)
	if r := next(t, got); r.path != "/ping/0f3c1d2e-uuid/fail" || r.method != http.MethodPost {
		t.Fatalf("failure ping %s %s", r.method, r.path)
	}
	select {
	case r := <-got:
		t.Fatalf("extra ping %s", r.path)
	case <-time.After(100 * time.Millisecond):
	}
	if _, err := NewDeadMan("ftp://x/y", 0, nil); err == nil {
		t.Fatal("ftp URL accepted")
	}
}

func TestMultiRaisesOnEach(t *testing.T) {
	var a, b countingSink
	Multi{&a, &b}.Raise(Alert{Kind: KindLowBalance})
	if a.n != 1 || b.n != 1 {
		t.Fatalf("raised %d and %d times", a.n, b.n)
	}
}

type countingSink struct{ n int }

func (c *countingSink) Raise(Alert) { c.n++ }

// waitSent waits until wh has counted n accepted alerts: it counts once the
// answer is read, after the server has seen the request.
func waitSent(t *testing.T, wh *Webhook, n uint64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for wh.Sent() != n {
		if time.Now().After(deadline) {
			t.Fatalf("sent %d, want %d", wh.Sent(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
