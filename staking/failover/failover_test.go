package failover

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"go.uber.org/zap/zaptest"

	"github.com/opkit-dev/opkit/contracts/devnet"
	"github.com/opkit-dev/opkit/staking/txmgr"
)

// frontEnd is one RPC front end of the devnet: a reverse proxy on loopback
// that records every JSON-RPC method it forwards and can be told to cut a
// method off after forwarding it (the answer lost on the way back).
type frontEnd struct {
	srv     *httptest.Server
	mu      sync.Mutex
	methods []string
	raws    []string // params of eth_sendRawTransaction
	cut     string
}

func newFrontEnd(t *testing.T, upstream string) *frontEnd {
	u, err := url.Parse(upstream)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	f := &frontEnd{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var req struct {
			Method string            `json:"method"`
			Params []json.RawMessage `json:"params"`
		}
		_ = json.Unmarshal(body, &req)
		f.mu.Lock()
		f.methods = append(f.methods, req.Method)
		if req.Method == "eth_sendRawTransaction" && len(req.Params) > 0 {
			f.raws = append(f.raws, string(req.Params[0]))
		}
		cut := f.cut == req.Method
		f.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		if !cut {
			proxy.ServeHTTP(w, r)
			return
		}
		proxy.ServeHTTP(httptest.NewRecorder(), r) // forwarded; the answer is lost
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
			}
		}
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *frontEnd) count(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, m := range f.methods {
		if m == method {
			n++
		}
	}
	return n
}

type fixture struct {
	dn     *devnet.Devnet
	fronts []*frontEnd
	client *Client
	reg    *prometheus.Registry
}

func newFixture(t *testing.T) *fixture {
	dn, err := devnet.Start(context.Background(), devnet.Config{RPCAddr: "127.0.0.1:0", RoundLength: 20, Accounts: 2,
		Dir: t.TempDir(), Logger: zaptest.NewLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dn.Close() })
	f := &fixture{dn: dn, reg: prometheus.NewRegistry()}
	var eps []Endpoint
	for i := range 2 {
		fe := newFrontEnd(t, dn.RPCURL())
		c, err := ethclient.Dial(fe.srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		f.fronts = append(f.fronts, fe)
		eps = append(eps, Endpoint{Name: []string{"a", "b"}[i], Client: c})
	}
	f.client, err = New(Config{Endpoints: eps, CallTimeout: 2 * time.Second, Metrics: NewPromMetrics(f.reg), Logger: zaptest.NewLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.client.Close)
	return f
}

// TestReadsFailOverWhenAnEndpointDies: with the first front end gone, reads
// go to the second, and the active endpoint says so.
func TestReadsFailOverWhenAnEndpointDies(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.client.ChainID(ctx); err != nil || f.client.Active() != 0 {
		t.Fatalf("ChainID: %v, active %d", err, f.client.Active())
	}
	f.fronts[0].srv.Close()
	if _, err := f.client.BlockNumber(ctx); err != nil {
		t.Fatalf("BlockNumber with one endpoint down: %v", err)
	}
	if f.client.Active() != 1 {
		t.Fatalf("active endpoint %d, want 1", f.client.Active())
	}
	if got := testutil.ToFloat64(f.client.metrics.(*PromMetrics).active); got != 1 {
		t.Fatalf("opkit_rpc_active_endpoint = %v", got)
	}
	if got := testutil.ToFloat64(f.client.metrics.(*PromMetrics).failovers.WithLabelValues("0")); got != 1 {
		t.Fatalf("opkit_rpc_failovers_total{from=0} = %v", got)
	}
	f.fronts[1].srv.Close()
	if _, err := f.client.BlockNumber(ctx); err == nil {
		t.Fatal("BlockNumber with every endpoint down succeeded")
	}
}

// TestNodeAnswersAreNotRetried: "not found" is the node's answer: the other
// endpoint is not asked.
func TestNodeAnswersAreNotRetried(t *testing.T) {
	f := newFixture(t)
	_, err := f.client.TransactionReceipt(context.Background(), common.HexToHash("0x01"))
	if !errors.Is(err, ethereum.NotFound) {
		t.Fatalf("receipt of an unknown hash: %v", err)
	}
	if n := f.fronts[1].count("eth_getTransactionReceipt"); n != 0 {
		t.Fatalf("the second endpoint was asked %d times", n)
	}
}

// TestSendFailsOverWithTheSameBytes: the first front end forwards a
// transaction and loses the answer; the transaction manager's send goes on
// through the second with the very same signed bytes, and the transfer is
// mined exactly once.
func TestSendFailsOverWithTheSameBytes(t *testing.T) {
	f := newFixture(t)
	f.fronts[0].cut = "eth_sendRawTransaction"
	key := f.dn.Key(1)
	from := crypto.PubkeyToAddress(key.PublicKey)
	m, err := txmgr.New(txmgr.Config{Backend: f.client, From: from, MaxGasPrice: big.NewInt(100e9),
		PollInterval: 20 * time.Millisecond, Logger: zaptest.NewLogger(t),
		Sign: func(_ context.Context, _ common.Address, tx *types.Transaction) (*types.Transaction, error) {
			return types.SignTx(tx, types.LatestSignerForChainID(tx.ChainId()), key)
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	to := common.HexToAddress("0x00000000000000000000000000000000000000aa")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := m.Send(ctx, txmgr.Candidate{To: &to, Value: big.NewInt(1), GasLimit: 21000, Label: txmgr.LabelTransfer})
		done <- err
	}()
	for f.fronts[1].count("eth_sendRawTransaction") == 0 {
		select {
		case err := <-done:
			t.Fatalf("Send returned before the second endpoint saw the transaction: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	f.dn.Mine(1)
	if err := <-done; err != nil {
		t.Fatalf("Send: %v", err)
	}
	f.fronts[0].mu.Lock()
	f.fronts[1].mu.Lock()
	a, b := f.fronts[0].raws, f.fronts[1].raws
	f.fronts[1].mu.Unlock()
	f.fronts[0].mu.Unlock()
	if len(a) == 0 || len(b) == 0 || a[0] != b[0] {
		t.Fatalf("the endpoints saw different transactions:\n%v\n%v", a, b)
	}
	if n, _ := f.client.NonceAt(ctx, from, nil); n != 1 {
		t.Fatalf("account nonce %d, want 1: one transfer", n)
	}
}
