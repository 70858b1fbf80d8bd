package connect

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/staking/failover"
)

// URLs splits an endpoint list: one URL, or several separated by commas,
// tried in that order when one fails to answer.
func URLs(list string) []string {
	var out []string
	for _, u := range strings.Split(list, ",") {
		if u = strings.TrimSpace(u); u != "" {
			out = append(out, u)
		}
	}
	return out
}

// ValidURL reports whether raw is an http(s) or ws(s) URL with a host.
func ValidURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.Host != "" && map[string]bool{"http": true, "https": true, "ws": true, "wss": true}[u.Scheme]
}

// RedactURL drops credentials and the path (API keys often live there) from
// an RPC URL before it is logged.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(invalid url)"
	}
	return u.Scheme + "://" + u.Host
}

// RedactURLs is RedactURL of every URL of list, comma-separated.
func RedactURLs(list string) string {
	urls := URLs(list)
	for i, u := range urls {
		urls[i] = RedactURL(u)
	}
	return strings.Join(urls, ",")
}

// dialEndpoints dials every URL of list into one failover client; reg, when
// set, receives its metrics.
func dialEndpoints(ctx context.Context, list string, reg prometheus.Registerer, redact func(error) error, log *zap.Logger) (*failover.Client, error) {
	var eps []failover.Endpoint
	closeAll := func() {
		for _, e := range eps {
			e.Client.Close()
		}
	}
	for _, raw := range URLs(list) {
		c, err := dialRPC(ctx, raw, redact)
		if err != nil {
			closeAll()
			return nil, fmt.Errorf("dial %s: %w", RedactURL(raw), err)
		}
		eps = append(eps, failover.Endpoint{Name: RedactURL(raw), Client: c})
	}
	if len(eps) == 0 {
		return nil, errors.New("no JSON-RPC endpoint")
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

// dialRPC connects to the JSON-RPC endpoint raw. Over http(s) the client
// only knows scheme://host: keyTransport adds the rest to each request, so
// the *url.Error of a failed request names no secret. Over ws(s) the URL
// is only used to dial, and the dial error goes through redact.
func dialRPC(ctx context.Context, raw string, redact func(error) error) (*ethclient.Client, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("invalid RPC URL (not echoed: it may hold a key)")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		c, err := rpc.DialContext(ctx, raw)
		if err != nil {
			return nil, redact(err)
		}
		return ethclient.NewClient(c), nil
	}
	hc := &http.Client{Transport: &keyTransport{next: http.DefaultTransport, target: u}}
	c, err := rpc.DialOptions(ctx, u.Scheme+"://"+u.Host, rpc.WithHTTPClient(hc))
	if err != nil {
		return nil, redact(err)
	}
	return ethclient.NewClient(c), nil
}

// keyTransport sends each request to target, the full RPC URL with its
// path, query and credentials, while the client and its errors only know
// scheme://host.
type keyTransport struct {
	next   http.RoundTripper
	target *url.URL
}

func (t *keyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	u := *t.target
	u.User = nil
	r.URL, r.Host = &u, u.Host
	if ui := t.target.User; ui != nil && r.Header.Get("Authorization") == "" {
		pw, _ := ui.Password()
		r.SetBasicAuth(ui.Username(), pw)
	}
	return t.next.RoundTrip(r)
}
