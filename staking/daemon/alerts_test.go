package daemon_test

import (
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/opkit-dev/opkit/staking/reward"
)

// TestDaemonPingsDeadManAndChats: on the devnet, a rewarded round pings the
// dead-man monitor's success URL, and an alert (the balance is below the
// minimum) reaches Telegram and Discord in the formats those services take.
func TestDaemonPingsDeadManAndChats(t *testing.T) {
	type hit struct{ path, body string }
	hits := make(chan hit, 64)
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		hits <- hit{r.URL.Path, string(b)}
		if strings.HasPrefix(r.URL.Path, "/api/webhooks/") {
			rw.WriteHeader(http.StatusNoContent)
			return
		}
		_, _ = io.WriteString(rw, `{"ok":true}`)
	}))
	t.Cleanup(srv.Close)

	w := newWorld(t, 1, testLogger(t))
	w.register()
	first := w.head()/roundLength + 1
	cfg := w.daemonConfig()
	cfg.DeadManURL = srv.URL + "/ping/check-id"
	cfg.AlertDiscordURL = srv.URL + "/api/webhooks/1/tok"
	cfg.AlertTelegramToken, cfg.AlertTelegramChat, cfg.AlertTelegramAPI = "42:secret", "-100", srv.URL
	cfg.MinBalance = new(big.Int).Lsh(big.NewInt(1), 200) // far above any balance: a low_balance alert
	w.startDaemon(cfg)
	o, ok := w.driveRound(first, 30*time.Second)
	if !ok || o.o != reward.OutcomeRewarded {
		t.Fatalf("round %d: %v, %v", first, o.o, o.err)
	}
	got := map[string]string{}
	deadline := time.After(10 * time.Second)
	for got["/ping/check-id"] == "" || got["/bot42:secret/sendMessage"] == "" || got["/api/webhooks/1/tok"] == "" {
		select {
		case h := <-hits:
			got[h.path] = h.body + " "
		case <-deadline:
			t.Fatalf("requests seen %v", got)
		}
	}
	var tg struct {
		ChatID string `json:"chat_id"`
		Text   string `json:"text"`
	}
	if err := json.Unmarshal([]byte(got["/bot42:secret/sendMessage"]), &tg); err != nil || tg.ChatID != "-100" {
		t.Fatalf("telegram body %q: %v", got["/bot42:secret/sendMessage"], err)
	}
	var dc struct {
		Content string `json:"content"`
	}
	if err := json.Unmarshal([]byte(got["/api/webhooks/1/tok"]), &dc); err != nil {
		t.Fatalf("discord body: %v", err)
	}
	if !strings.Contains(tg.Text, "low_balance") || !strings.Contains(dc.Content, "low_balance") {
		t.Fatalf("telegram %q, discord %q: want the low balance alert", tg.Text, dc.Content)
	}
}
