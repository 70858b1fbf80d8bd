package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/staking/failover"
)

// ethURLs splits --eth-url: one URL, or several separated by commas, tried
// in that order when one fails to answer.
func ethURLs(list string) []string {
	var out []string
	for _, u := range strings.Split(list, ",") {
		if u = strings.TrimSpace(u); u != "" {
			out = append(out, u)
		}
	}
	return out
}

// validEthURL reports whether raw is an http(s) or ws(s) URL with a host.
func validEthURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.Host != "" && map[string]bool{"http": true, "https": true, "ws": true, "wss": true}[u.Scheme]
}

// addURLSecrets hides the secret parts of every URL of list in logs and
// alerts from now on.
func addURLSecrets(list string) {
	for _, u := range ethURLs(list) {
		rpcSecrets.addURL(u)
	}
}

// dialEndpoints dials every URL of list into one failover client; reg, when
// set, receives its metrics.
func dialEndpoints(ctx context.Context, list string, reg prometheus.Registerer, log *zap.Logger) (*failover.Client, error) {
	var eps []failover.Endpoint
	closeAll := func() {
		for _, e := range eps {
			e.Client.Close()
		}
	}
	for _, raw := range ethURLs(list) {
		c, err := dialRPC(ctx, raw)
		if err != nil {
			closeAll()
			return nil, fmt.Errorf("dial %s: %w", redactURL(raw), err)
		}
		eps = append(eps, failover.Endpoint{Name: redactURL(raw), Client: c})
	}
	if len(eps) == 0 {
		return nil, errors.New("no --eth-url")
	}
	var m failover.Metrics = failover.NoopMetrics{}
	if reg != nil {
		m = failover.NewPromMetrics(reg)
	}
	fc, err := failover.New(failover.Config{Endpoints: eps, Metrics: m, Logger: log.Named("rpc")})
	if err != nil {
		closeAll()
		return nil, err
	}
	return fc, nil
}

// redactURLs is redactURL of every URL of list, comma-separated.
func redactURLs(list string) string {
	urls := ethURLs(list)
	for i, u := range urls {
		urls[i] = redactURL(u)
	}
	return strings.Join(urls, ",")
}
