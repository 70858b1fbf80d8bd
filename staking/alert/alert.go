// Package alert owns the operator's alerts: a missed round, a low ETH
// balance, a failed transaction or a protection database that cannot be
// used, posted to a generic JSON webhook, a Telegram chat or a Discord
// channel, and the dead-man ping a healthchecks-style monitor expects after
// every successful round duty. Alerts are sent by one goroutine per
// destination from a bounded queue, so
// raising one never blocks the duty loop; when the queue is full the alert is
// dropped and counted. Alerts carry addresses, rounds, transaction hashes and
// error text only: never keys, passwords or the webhook URL itself. Error
// text often quotes a URL (a *url.Error does): every URL in a message is cut
// to scheme://host before it is sent (StripURLSecrets), and a Redact
// function can hide known secrets too.
package alert

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"go.uber.org/zap"
)

// Kind is the bounded set of alert kinds.
type Kind string

const (
	KindMissedRound  Kind = "missed_round"
	KindLowBalance   Kind = "low_balance"
	KindTxFailed     Kind = "tx_failed"
	KindProtectionDB Kind = "protection_db"
)

// Alert is the JSON body of one POST.
type Alert struct {
	Kind    Kind      `json:"kind"`
	Account string    `json:"account,omitempty"`
	Round   uint64    `json:"round,omitempty"`
	Tx      string    `json:"tx,omitempty"`
	Message string    `json:"message"`
	Time    time.Time `json:"time"`
}

// Sink receives alerts. Raise must never block.
type Sink interface {
	Raise(Alert)
}

// Discard drops every alert.
type Discard struct{}

func (Discard) Raise(Alert) {}

var _ Sink = Discard{}

// ErrInvalidURL is returned by NewWebhook for a URL it cannot post to.
var ErrInvalidURL = errors.New("alert: invalid webhook URL")

// Webhook posts alerts to a URL, in the body format of its destination.
type Webhook struct {
	url     string
	format  Format
	redact  func(string) string
	client  *http.Client
	queue   chan Alert
	log     *zap.Logger
	dropped atomic.Uint64
	sent    atomic.Uint64
}

var _ Sink = (*Webhook)(nil)

// WebhookConfig configures a Webhook.
type WebhookConfig struct {
	URL string
	// Timeout bounds each POST (default 5s).
	Timeout time.Duration
	// QueueSize bounds the alerts waiting to be sent (default 32).
	QueueSize int
	// Redact, when set, rewrites each message after StripURLSecrets, e.g.
	// to replace the RPC key wherever it appears.
	Redact func(string) string
	// Format is the body the destination expects (default FormatJSON).
	Format Format
	Logger *zap.Logger
}

// NewWebhook checks the URL; Run sends.
func NewWebhook(cfg WebhookConfig) (*Webhook, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		// Never echo the URL: it may carry a token.
		return nil, fmt.Errorf("%w: want an http or https URL with a host", ErrInvalidURL)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Second
	}
	if cfg.QueueSize <= 0 {
		cfg.QueueSize = 32
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	if cfg.Format == nil {
		cfg.Format = FormatJSON
	}
	return &Webhook{
		url:    cfg.URL,
		format: cfg.Format,
		redact: cfg.Redact,
		client: &http.Client{Timeout: cfg.Timeout},
		queue:  make(chan Alert, cfg.QueueSize),
		log:    cfg.Logger,
	}, nil
}

// Raise queues a, or drops it if the queue is full.
func (w *Webhook) Raise(a Alert) {
	if a.Time.IsZero() {
		a.Time = time.Now().UTC()
	}
	select {
	case w.queue <- a:
	default:
		w.dropped.Add(1)
		w.log.Warn("alert queue full; alert dropped", zap.String("kind", string(a.Kind)), zap.Uint64("round", a.Round))
	}
}

// Dropped counts alerts lost to a full queue.
func (w *Webhook) Dropped() uint64 { return w.dropped.Load() }

// Sent counts alerts the endpoint accepted.
func (w *Webhook) Sent() uint64 { return w.sent.Load() }

// Run sends queued alerts until ctx ends, then tries once more to flush what
// is queued, each POST still bounded by the timeout.
func (w *Webhook) Run(ctx context.Context) {
	for {
		select {
		case a := <-w.queue:
			w.post(ctx, a)
		case <-ctx.Done():
			w.flush()
			return
		}
	}
}

func (w *Webhook) flush() {
	ctx, cancel := context.WithTimeout(context.Background(), w.client.Timeout)
	defer cancel()
	for {
		select {
		case a := <-w.queue:
			w.post(ctx, a)
		default:
			return
		}
	}
}

func (w *Webhook) post(ctx context.Context, a Alert) {
	a.Message = StripURLSecrets(a.Message)
	if w.redact != nil {
		a.Message = w.redact(a.Message)
	}
	body, err := w.format(a)
	if err != nil {
		w.log.Error("encode alert", zap.Error(err))
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		w.log.Error("build alert request", zap.Error(err))
		return
	}
	req.Header.Set("Content-Type", "application/json")
	status, err := deliver(w.client, req)
	switch {
	case err != nil:
		w.log.Warn("post alert", zap.String("kind", string(a.Kind)), zap.Error(err))
	case status/100 != 2:
		w.log.Warn("alert endpoint refused", zap.String("kind", string(a.Kind)), zap.Int("status", status))
	default:
		w.sent.Add(1)
	}
}

// deliver sends req and drains its answer. An error never quotes the URL,
// which may hold a token (a *url.Error does): only its cause is kept.
func deliver(client *http.Client, req *http.Request) (int, error) {
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return 0, err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}
