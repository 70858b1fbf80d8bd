package daemon_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
)

// faults is what the proxy does to requests; the zero value forwards all.
type faults struct {
	Down      bool          // answer every request with 503
	DropRate  float64       // abort the connection without an answer
	LoseRate  float64       // forward, then abort (the answer is lost)
	ErrRate   float64       // answer 503 without forwarding
	Stall     time.Duration // hold requests this long before forwarding...
	StallRate float64       // ...with this probability
	// GasPrice, when set, replaces the answers of eth_gasPrice and
	// eth_maxPriorityFeePerGas: the chain looks too expensive to use.
	GasPrice *big.Int
}

// rawTx is one eth_sendRawTransaction seen by the proxy.
type rawTx struct {
	Round     uint64 // the test's round when it was sent
	Hash      common.Hash
	From      common.Address
	Nonce     uint64
	To        common.Address
	Data      []byte
	FeeCap    *big.Int
	Tip       *big.Int
	Forwarded bool
	// PendingNonce is the node's pending nonce for From just before.
	PendingNonce uint64
}

// faultProxy is a JSON-RPC proxy on 127.0.0.1 that injects faults and
// decodes every raw transaction it forwards.
type faultProxy struct {
	t        *testing.T
	upstream string
	client   *http.Client
	srv      *http.Server
	url      string
	signer   types.Signer
	stop     chan struct{}

	mu     sync.Mutex
	f      faults
	rng    *rand.Rand
	round  uint64
	txs    []rawTx
	sent   chan rawTx // forwarded raw transactions, for the test driver
	counts map[string]int
}

func newFaultProxy(t *testing.T, upstream string, chainID *big.Int, seed uint64) *faultProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{
		t: t, upstream: upstream,
		client: &http.Client{Timeout: 30 * time.Second},
		url:    "http://" + ln.Addr().String(),
		signer: types.LatestSignerForChainID(chainID),
		stop:   make(chan struct{}),
		rng:    rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		sent:   make(chan rawTx, 1024),
		counts: map[string]int{},
	}
	p.srv = &http.Server{Handler: p, ReadHeaderTimeout: 5 * time.Second}
	done := make(chan struct{})
	go func() { defer close(done); _ = p.srv.Serve(ln) }()
	t.Cleanup(func() {
		close(p.stop)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = p.srv.Shutdown(ctx)
		<-done
	})
	return p
}

func (p *faultProxy) set(f faults)      { p.mu.Lock(); p.f = f; p.mu.Unlock() }
func (p *faultProxy) setRound(r uint64) { p.mu.Lock(); p.round = r; p.mu.Unlock() }
func (p *faultProxy) count(kind string) { p.mu.Lock(); p.counts[kind]++; p.mu.Unlock() }
func (p *faultProxy) chance(x float64) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return x > 0 && p.rng.Float64() < x
}

func (p *faultProxy) snapshot() ([]rawTx, map[string]int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := map[string]int{}
	for k, v := range p.counts {
		c[k] = v
	}
	return append([]rawTx(nil), p.txs...), c
}

type rpcReq struct {
	ID     json.RawMessage   `json:"id"`
	Method string            `json:"method"`
	Params []json.RawMessage `json:"params"`
}

func (p *faultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "read", http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	f := p.f
	p.mu.Unlock()
	var req rpcReq
	single := json.Unmarshal(body, &req) == nil
	switch {
	case f.Down:
		p.count("down")
		http.Error(w, "down", http.StatusServiceUnavailable)
		return
	case p.chance(f.ErrRate):
		p.count("5xx")
		http.Error(w, "injected", http.StatusBadGateway)
		return
	case p.chance(f.DropRate):
		p.count("dropped")
		panic(http.ErrAbortHandler)
	case p.chance(f.StallRate):
		p.count("stalled")
		select {
		case <-time.After(f.Stall):
		case <-r.Context().Done():
			return
		case <-p.stop:
			return
		}
	}
	txIndex := -1
	if single && req.Method == "eth_sendRawTransaction" {
		if tx := p.decodeTx(r.Context(), req); tx != nil {
			p.mu.Lock()
			tx.Round = p.round
			p.txs = append(p.txs, *tx)
			txIndex = len(p.txs) - 1
			p.mu.Unlock()
		}
	}
	if single && f.GasPrice != nil && (req.Method == "eth_gasPrice" || req.Method == "eth_maxPriorityFeePerGas") {
		p.count("gas_rewritten")
		writeResult(w, req.ID, (*hexutil.Big)(f.GasPrice))
		return
	}
	resp, err := p.forward(r.Context(), body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	if txIndex >= 0 {
		p.mu.Lock()
		p.txs[txIndex].Forwarded = true
		tx := p.txs[txIndex]
		p.mu.Unlock()
		select {
		case p.sent <- tx:
		default:
		}
	}
	if p.chance(f.LoseRate) {
		p.count("lost")
		panic(http.ErrAbortHandler)
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(resp)
}

func (p *faultProxy) forward(ctx context.Context, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.upstream, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(io.LimitReader(resp.Body, 8<<20))
}

// decodeTx decodes a raw transaction and reads the sender's pending nonce
// from the node before the transaction reaches it.
func (p *faultProxy) decodeTx(ctx context.Context, req rpcReq) *rawTx {
	if len(req.Params) != 1 {
		return nil
	}
	var raw hexutil.Bytes
	if err := json.Unmarshal(req.Params[0], &raw); err != nil {
		return nil
	}
	var tx types.Transaction
	if err := tx.UnmarshalBinary(raw); err != nil {
		p.t.Errorf("proxy: undecodable raw transaction: %v", err)
		return nil
	}
	from, err := types.Sender(p.signer, &tx)
	if err != nil {
		p.t.Errorf("proxy: transaction sender: %v", err)
		return nil
	}
	out := &rawTx{Hash: tx.Hash(), From: from, Nonce: tx.Nonce(), Data: tx.Data(),
		FeeCap: tx.GasFeeCap(), Tip: tx.GasTipCap(), PendingNonce: ^uint64(0)}
	if tx.To() != nil {
		out.To = *tx.To()
	}
	q := fmt.Sprintf(`{"jsonrpc":"2.0","id":1,"method":"eth_getTransactionCount","params":["%s","pending"]}`, from.Hex())
	if resp, err := p.forward(ctx, []byte(q)); err == nil {
		var r struct{ Result hexutil.Uint64 }
		if json.Unmarshal(resp, &r) == nil {
			out.PendingNonce = uint64(r.Result)
		}
	}
	return out
}

func writeResult(w http.ResponseWriter, id json.RawMessage, result any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"jsonrpc": "2.0", "id": id, "result": result})
}
