package alert

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"
)

func TestWebhookPostsJSON(t *testing.T) {
	got := make(chan Alert, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("request %s %s", r.Method, r.Header.Get("Content-Type"))
		}
		var a Alert
		if err := json.NewDecoder(r.Body).Decode(&a); err != nil {
			t.Errorf("decode: %v", err)
		}
		got <- a
	}))
	t.Cleanup(srv.Close)
	wh, err := NewWebhook(WebhookConfig{URL: srv.URL + "/hook?token=secret", Logger: zaptest.NewLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	runWebhook(t, wh)
	wh.Raise(Alert{Kind: KindMissedRound, Account: "0xabc", Round: 42, Message: "round ended without reward"})
	select {
	case a := <-got:
		if a.Kind != KindMissedRound || a.Round != 42 || a.Account != "0xabc" || a.Time.IsZero() {
			t.Fatalf("alert %+v", a)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no alert posted")
	}
}

func TestRaiseNeverBlocksAndPostIsBounded(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	wh, err := NewWebhook(WebhookConfig{URL: srv.URL, Timeout: 100 * time.Millisecond, QueueSize: 2, Logger: zaptest.NewLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ { // nobody is sending yet: the queue fills, the rest drop
		wh.Raise(Alert{Kind: KindTxFailed, Round: uint64(i)})
	}
	if d := wh.Dropped(); d != 8 {
		t.Fatalf("dropped %d, want 8", d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	start := time.Now()
	go func() { wh.Run(ctx); close(done) }()
	cancel()
	<-done // flushes the two queued alerts, each bounded by the timeout
	if el := time.Since(start); el > 5*time.Second {
		t.Fatalf("shutdown with a stalled endpoint took %v", el)
	}
	if wh.Sent() != 0 {
		t.Fatalf("a stalled endpoint cannot have accepted alerts")
	}
}

func TestInvalidURLIsNotEchoed(t *testing.T) {
	_, err := NewWebhook(WebhookConfig{URL: "ftp://user:secret@example.invalid/x"})
	if !errors.Is(err, ErrInvalidURL) || strings.Contains(err.Error(), "secret") {
		t.Fatalf("err %v", err)
	}
}

// TestWebhookStripsURLSecrets: an alert whose message quotes a failed
// request's URL (a *url.Error's text) reaches the endpoint with only the
// URL's scheme and host, and Redact runs on it too.
func TestWebhookStripsURLSecrets(t *testing.T) {
	got := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var a Alert
		_ = json.NewDecoder(r.Body).Decode(&a)
		got <- a.Message
	}))
	t.Cleanup(srv.Close)
	wh, err := NewWebhook(WebhookConfig{URL: srv.URL, Logger: zaptest.NewLogger(t),
		Redact: func(s string) string { return strings.ReplaceAll(s, "ELSEWHERE", "REDACTED") }})
	if err != nil {
		t.Fatal(err)
	}
	runWebhook(t, wh)
	wh.Raise(Alert{Kind: KindTxFailed, Message: `send reward: Post "https://u:PW@rpc.example.com/v2/PATHKEY?apikey=QKEY": EOF; key ELSEWHERE`})
	select {
	case m := <-got:
		for _, s := range []string{"PATHKEY", "QKEY", "PW", "ELSEWHERE"} {
			if strings.Contains(m, s) {
				t.Errorf("message %q still holds %s", m, s)
			}
		}
		if !strings.Contains(m, `Post "https://rpc.example.com": EOF`) {
			t.Errorf("message %q lost the scheme and host", m)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no alert posted")
	}
}

// runWebhook runs wh's sender until the test ends.
func runWebhook(t *testing.T, wh *Webhook) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { wh.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}
