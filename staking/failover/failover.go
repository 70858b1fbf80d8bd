// Package failover owns reaching the chain through several JSON-RPC
// endpoints: every read and every send goes to the active endpoint and, when
// that endpoint fails to answer (connection refused, a timeout, an HTTP 5xx
// or 429), to the next one. An answer from a node (a revert, "nonce too
// low", not found) is passed back as it is, never retried elsewhere. A send
// handed to another endpoint is the same signed transaction, same bytes and
// same nonce, so failing over can never duplicate it. The active endpoint is
// exported as a metric.
package failover

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
	"go.uber.org/zap"
)

// DefaultCallTimeout bounds one call to one endpoint.
const DefaultCallTimeout = 10 * time.Second

// Endpoint is one JSON-RPC endpoint; Name is what logs and metrics show
// (scheme and host only: never a key).
type Endpoint struct {
	Name   string
	Client *ethclient.Client
}

// Metrics receives the failover measurements.
type Metrics interface {
	// SetActive reports the index of the endpoint in use.
	SetActive(i int)
	// Failover counts a switch away from endpoint from.
	Failover(from int)
}

// NoopMetrics discards everything.
type NoopMetrics struct{}

func (NoopMetrics) SetActive(int) {}
func (NoopMetrics) Failover(int)  {}

// Config configures a Client.
type Config struct {
	Endpoints   []Endpoint
	CallTimeout time.Duration // per call and endpoint (default DefaultCallTimeout)
	Metrics     Metrics
	Logger      *zap.Logger
}

// ErrNoEndpoint is returned by New without endpoints.
var ErrNoEndpoint = errors.New("failover: no endpoint")

// Client spreads calls over the endpoints, first to last, staying on the
// one that last answered.
type Client struct {
	eps     []Endpoint
	timeout time.Duration
	metrics Metrics
	log     *zap.Logger
	active  atomic.Int32
}

// New returns a Client starting on the first endpoint.
func New(cfg Config) (*Client, error) {
	if len(cfg.Endpoints) == 0 {
		return nil, ErrNoEndpoint
	}
	for i, e := range cfg.Endpoints {
		if e.Client == nil {
			return nil, fmt.Errorf("failover: endpoint %d (%s) has no client", i, e.Name)
		}
	}
	if cfg.CallTimeout <= 0 {
		cfg.CallTimeout = DefaultCallTimeout
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NoopMetrics{}
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	c := &Client{eps: cfg.Endpoints, timeout: cfg.CallTimeout, metrics: cfg.Metrics, log: cfg.Logger}
	c.metrics.SetActive(0)
	return c, nil
}

// Active is the index of the endpoint in use.
func (c *Client) Active() int { return int(c.active.Load()) }

// Close closes every endpoint's client.
func (c *Client) Close() {
	for _, e := range c.eps {
		e.Client.Close()
	}
}

// call runs f on the active endpoint and, while endpoints fail to answer,
// on the next ones in turn.
func call[T any](ctx context.Context, c *Client, op string, f func(context.Context, *ethclient.Client) (T, error)) (T, error) {
	start := int(c.active.Load())
	var errs []error
	for i := range c.eps {
		idx := (start + i) % len(c.eps)
		cctx, cancel := context.WithTimeout(ctx, c.timeout)
		v, err := f(cctx, c.eps[idx].Client)
		cancel()
		if err == nil || ctx.Err() != nil || !unanswered(err) {
			if i > 0 && err == nil {
				c.switchTo(start, idx, op)
			}
			return v, err
		}
		errs = append(errs, fmt.Errorf("%s: %w", c.eps[idx].Name, err))
	}
	var zero T
	return zero, fmt.Errorf("failover: %s: every endpoint failed: %w", op, errors.Join(errs...))
}

func (c *Client) switchTo(from, to int, op string) {
	if c.active.CompareAndSwap(int32(from), int32(to)) {
		c.metrics.Failover(from)
		c.metrics.SetActive(to)
		c.log.Warn("RPC endpoint failed; switched to the next", zap.String("from", c.eps[from].Name),
			zap.String("to", c.eps[to].Name), zap.String("call", op))
	}
}

// unanswered reports whether err means the endpoint gave no answer of a
// node, so another endpoint should be asked.
func unanswered(err error) bool {
	var httpErr rpc.HTTPError
	if errors.As(err, &httpErr) {
		return httpErr.StatusCode >= 500 || httpErr.StatusCode == 429
	}
	var rpcErr rpc.Error
	if errors.Is(err, ethereum.NotFound) || errors.As(err, &rpcErr) {
		return false // the node answered
	}
	return true // refused, reset, timed out: a transport failure
}
