package alert

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"go.uber.org/zap"
)

// DeadMan pings a healthchecks-style monitor after every round duty: the
// URL itself after a success, URL + "/fail" after a failure. The monitor
// alerts a person when the pings stop, which catches what no alert can: a
// daemon that died, hangs, or lost its network. Pings are queued (the
// newest wins) and sent by Run, so Ping never blocks the duty loop.
type DeadMan struct {
	url    string
	client *http.Client
	queue  chan bool
	log    *zap.Logger
	sent   atomic.Uint64
}

// ErrInvalidPingURL is returned by NewDeadMan for a URL it cannot ping.
var ErrInvalidPingURL = errors.New("alert: invalid dead-man ping URL")

// NewDeadMan checks the URL; Run pings.
func NewDeadMan(pingURL string, timeout time.Duration, log *zap.Logger) (*DeadMan, error) {
	u, err := url.Parse(pingURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%w: want an http or https URL with a host", ErrInvalidPingURL)
	}
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	if log == nil {
		log = zap.NewNop()
	}
	return &DeadMan{url: strings.TrimRight(pingURL, "/"), client: &http.Client{Timeout: timeout},
		queue: make(chan bool, 1), log: log}, nil
}

// Ping queues a ping for one round duty's outcome, replacing one not sent yet.
func (d *DeadMan) Ping(ok bool) {
	for {
		select {
		case d.queue <- ok:
			return
		default:
		}
		select {
		case <-d.queue: // drop the stale one
		default:
		}
	}
}

// Sent counts pings the monitor accepted.
func (d *DeadMan) Sent() uint64 { return d.sent.Load() }

// Run sends queued pings until ctx ends.
func (d *DeadMan) Run(ctx context.Context) {
	for {
		select {
		case ok := <-d.queue:
			d.ping(ctx, ok)
		case <-ctx.Done():
			return
		}
	}
}

func (d *DeadMan) ping(ctx context.Context, ok bool) {
	target := d.url
	if !ok {
		target += "/fail"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, http.NoBody)
	if err != nil {
		d.log.Error("build dead-man ping", zap.Error(err))
		return
	}
	req.Header.Set("User-Agent", "opkit")
	status, err := deliver(d.client, req)
	switch {
	case err != nil:
		d.log.Warn("dead-man ping failed", zap.Bool("ok", ok), zap.Error(err))
	case status/100 != 2:
		d.log.Warn("dead-man monitor refused the ping", zap.Bool("ok", ok), zap.Int("status", status))
	default:
		d.sent.Add(1)
	}
}
