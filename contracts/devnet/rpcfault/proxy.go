// Package rpcfault owns the fault-injecting JSON-RPC proxy that fault tests and
// soaks put between opkit and the dev chain: it drops, loses, stalls and
// refuses requests, reports gas prices above an operator's cap, hides the
// base fee so transactions go out underpriced, holds the answers to sends, and
// decodes every raw transaction that passes through it.
//
// It listens on 127.0.0.1 only. It is test equipment: nothing in opkit's
// commands uses it.
package rpcfault

import (
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Faults is what the proxy does to requests; the zero value forwards all.
type Faults struct {
	Down      bool          // answer every request with 503
	DropRate  float64       // abort the connection without an answer
	LoseRate  float64       // forward, then abort (the answer is lost)
	ErrRate   float64       // answer 503 without forwarding
	Stall     time.Duration // hold requests this long before forwarding...
	StallRate float64       // ...with this probability
	// GasPrice, when set, replaces the answers of eth_gasPrice and
	// eth_maxPriorityFeePerGas: the chain looks too expensive to use.
	GasPrice *big.Int
	// StaleBaseFee reports a base fee of zero in every block and a tip of
	// one wei: a sender prices its transactions below what the chain takes,
	// and they stay in the pool unmined.
	StaleBaseFee bool
	// HoldSends forwards each eth_sendRawTransaction and then keeps its
	// answer until the caller goes away or the proxy closes: the sender
	// cannot learn that its transaction was published.
	HoldSends bool
}

// RawTx is one eth_sendRawTransaction seen by the proxy.
type RawTx struct {
	Round     uint64 // the caller's round (SetRound) when it was sent
	Hash      common.Hash
	From      common.Address
	Nonce     uint64
	To        common.Address
	Data      []byte
	FeeCap    *big.Int
	Tip       *big.Int
	Forwarded bool
	// PendingNonce is the node's pending nonce for From just before;
	// NoPendingNonce when it could not be read.
	PendingNonce uint64
	// Head is the chain's head block when the transaction came, read from
	// the node itself (unlike Round, it cannot lag the chain); NoHead when
	// it could not be read.
	Head uint64
}

// NoPendingNonce marks a RawTx whose sender's pending nonce was not read.
const NoPendingNonce = ^uint64(0)

// NoHead marks a RawTx whose head block was not read.
const NoHead = ^uint64(0)

// Proxy is a JSON-RPC proxy on 127.0.0.1 that injects Faults.
type Proxy struct {
	upstream string
	client   *http.Client
	srv      *http.Server
	url      string
	signer   types.Signer
	stop     chan struct{}
	done     chan struct{}
	once     sync.Once
	handlers sync.WaitGroup // requests being served; Add only under mu while !closed

	mu     sync.Mutex
	closed bool
	f      Faults
	rng    *rand.Rand
	round  uint64
	txs    []RawTx
	sent   chan RawTx
	counts map[string]int
}

// New starts a proxy in front of the JSON-RPC endpoint upstream of the chain
// chainID; seed fixes the fault schedule. Close stops it.
func New(upstream string, chainID *big.Int, seed uint64) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("rpcfault: listen: %w", err)
	}
	p := &Proxy{
		upstream: upstream,
		client:   &http.Client{Timeout: 30 * time.Second},
		url:      "http://" + ln.Addr().String(),
		signer:   types.LatestSignerForChainID(chainID),
		stop:     make(chan struct{}),
		done:     make(chan struct{}),
		rng:      rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		sent:     make(chan RawTx, 1024),
		counts:   map[string]int{},
	}
	p.srv = &http.Server{Handler: p, ReadHeaderTimeout: 5 * time.Second}
	go func() { defer close(p.done); _ = p.srv.Serve(ln) }()
	return p, nil
}

// Close stops the proxy: it drops every connection, and held and stalled
// requests end with them.
func (p *Proxy) Close() error {
	var err error
	p.once.Do(func() {
		close(p.stop)
		p.mu.Lock()
		p.closed = true
		p.mu.Unlock()
		// Not Shutdown: it counts a connection that has sent no request as
		// active for five seconds, and a fault proxy owes its callers no
		// graceful end. Close drops every connection, which cancels every
		// request's context, and each handler returns on that.
		err = p.srv.Close()
		<-p.done
		served := make(chan struct{})
		go func() { p.handlers.Wait(); close(served) }()
		select {
		case <-served:
		case <-time.After(10 * time.Second):
			err = errors.Join(err, errors.New("rpcfault: requests still being served 10 s after close"))
		}
	})
	return err
}

// enter counts a request in, or reports that the proxy is closed.
func (p *Proxy) enter() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	p.handlers.Add(1)
	return true
}

// URL is the proxy's JSON-RPC endpoint.
func (p *Proxy) URL() string { return p.url }

// Set replaces the faults from the next request on.
func (p *Proxy) Set(f Faults) { p.mu.Lock(); p.f = f; p.mu.Unlock() }

// SetRound labels the raw transactions seen from now on.
func (p *Proxy) SetRound(r uint64) { p.mu.Lock(); p.round = r; p.mu.Unlock() }

// Sent delivers every forwarded raw transaction, while its buffer has room.
func (p *Proxy) Sent() <-chan RawTx { return p.sent }

// Snapshot returns the raw transactions seen so far and the count of each
// kind of fault injected ("down", "5xx", "dropped", "lost", "stalled",
// "gas_rewritten", "base_fee_hidden", "held", and "undecodable" for raw
// transactions the proxy could not read).
func (p *Proxy) Snapshot() ([]RawTx, map[string]int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := make(map[string]int, len(p.counts))
	for k, v := range p.counts {
		c[k] = v
	}
	return append([]RawTx(nil), p.txs...), c
}

func (p *Proxy) count(kind string) { p.mu.Lock(); p.counts[kind]++; p.mu.Unlock() }

func (p *Proxy) chance(x float64) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return x > 0 && p.rng.Float64() < x
}

func (p *Proxy) faults() Faults { p.mu.Lock(); defer p.mu.Unlock(); return p.f }
