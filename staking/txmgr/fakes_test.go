package txmgr

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap/zaptest"

	"github.com/opkit-dev/opkit/contracts/devnet"
)

// fakeClock is a Clock the test advances by hand. Every After call is
// announced on waits, so a test knows the manager is idle until Advance.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []fakeWaiter
	waits   chan struct{}
}

type fakeWaiter struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Unix(1_700_000_000, 0), waits: make(chan struct{}, 1024)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	ch := make(chan time.Time, 1)
	c.waiters = append(c.waiters, fakeWaiter{at: c.now.Add(d), ch: ch})
	c.mu.Unlock()
	c.waits <- struct{}{}
	return ch
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if !w.at.After(c.now) {
			w.ch <- c.now
		} else {
			kept = append(kept, w)
		}
	}
	c.waiters = kept
}

// faultBackend wraps the simulated chain's client and lets a test decide what
// each SendTransaction does. It records every transaction offered to it.
type faultBackend struct {
	simulated.Client
	mu      sync.Mutex
	offered []*types.Transaction
	// onSend, if set, runs before the transaction is forwarded: forward=false
	// drops it, and err is what the caller sees.
	onSend func(tx *types.Transaction) (forward bool, err error)
}

func (b *faultBackend) SendTransaction(ctx context.Context, tx *types.Transaction) error {
	b.mu.Lock()
	b.offered = append(b.offered, tx)
	hook := b.onSend
	b.mu.Unlock()
	forward, injected := true, error(nil)
	if hook != nil {
		forward, injected = hook(tx)
	}
	if forward {
		if err := b.Client.SendTransaction(ctx, tx); err != nil {
			return err
		}
	}
	return injected
}

func (b *faultBackend) setOnSend(f func(tx *types.Transaction) (bool, error)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.onSend = f
}

func (b *faultBackend) sentTxs() []*types.Transaction {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]*types.Transaction(nil), b.offered...)
}

// node is a chain the test mines by hand: go-ethereum's simulated backend,
// or the devnet.
type node interface {
	Commit() common.Hash
	Client() simulated.Client
}

// chain is a real EVM with one funded account.
type chain struct {
	node    node
	sim     *simulated.Backend // nil on the devnet
	fresh   func(t *testing.T) *chain
	backend *faultBackend
	key     *ecdsa.PrivateKey
	from    common.Address
	clock   *fakeClock
	reg     *prometheus.Registry
	metrics *PromMetrics
}

var oneEther = new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)

func newChain(t *testing.T) *chain {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	from := crypto.PubkeyToAddress(key.PublicKey)
	sim := simulated.NewBackend(types.GenesisAlloc{from: {Balance: new(big.Int).Mul(big.NewInt(100), oneEther)}})
	t.Cleanup(func() { _ = sim.Close() })
	reg := prometheus.NewRegistry()
	return &chain{
		node: sim, sim: sim, fresh: newChain, backend: &faultBackend{Client: sim.Client()}, key: key, from: from,
		clock: newFakeClock(), reg: reg, metrics: NewPromMetrics(reg),
	}
}

// newDevnetChain starts opkit's devnet (manual mining) and talks to it over
// HTTP JSON-RPC, as the daemon does, from a funded dev account that has
// sent nothing yet.
func newDevnetChain(t *testing.T) *chain {
	t.Helper()
	net, err := devnet.Start(context.Background(), devnet.Config{
		RPCAddr: "127.0.0.1:0", RoundLength: 20, Accounts: 2, Dir: t.TempDir(), Logger: zaptest.NewLogger(t),
	})
	if err != nil {
		t.Fatalf("start devnet: %v", err)
	}
	t.Cleanup(func() {
		if err := net.Close(); err != nil {
			t.Errorf("close devnet: %v", err)
		}
	})
	rpc, err := ethclient.Dial(net.RPCURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rpc.Close)
	key := net.Key(1)
	reg := prometheus.NewRegistry()
	return &chain{
		node: net, fresh: newDevnetChain, backend: &faultBackend{Client: rpc}, key: key,
		from: crypto.PubkeyToAddress(key.PublicKey), clock: newFakeClock(), reg: reg, metrics: NewPromMetrics(reg),
	}
}

// forEachBackend runs f on the simulated backend in-process and on the
// devnet over HTTP JSON-RPC.
func forEachBackend(t *testing.T, f func(t *testing.T, c *chain)) {
	t.Run("simulated", func(t *testing.T) { f(t, newChain(t)) })
	t.Run("devnet", func(t *testing.T) { f(t, newDevnetChain(t)) })
}

func (c *chain) signFn() SignFn {
	return func(_ context.Context, from common.Address, tx *types.Transaction) (*types.Transaction, error) {
		if from != c.from {
			return nil, errors.New("unknown account")
		}
		return types.SignTx(tx, types.LatestSignerForChainID(tx.ChainId()), c.key)
	}
}

func (c *chain) config(t *testing.T) Config {
	return Config{
		Backend:         c.backend,
		From:            c.from,
		Sign:            c.signFn(),
		MaxGasPrice:     big.NewInt(100e9),
		ResubmitTimeout: 30 * time.Second,
		PollInterval:    time.Second,
		Clock:           c.clock,
		Metrics:         c.metrics,
		Logger:          zaptest.NewLogger(t),
	}
}

func (c *chain) manager(t *testing.T, mut func(*Config)) *Manager {
	t.Helper()
	cfg := c.config(t)
	if mut != nil {
		mut(&cfg)
	}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

type outcome struct {
	rcpt *types.Receipt
	err  error
}

// sendAsync runs Send in a goroutine owned by the test.
func sendAsync(ctx context.Context, m *Manager, c Candidate) <-chan outcome {
	out := make(chan outcome, 1)
	go func() {
		r, err := m.Send(ctx, c)
		out <- outcome{r, err}
	}()
	return out
}

// watchdog bounds how long a test waits for the manager to act; it is a
// safety net against hangs, not a way to synchronise.
const watchdog = 20 * time.Second

// idle waits until the manager sleeps on the clock, or Send returns.
func (c *chain) idle(t *testing.T, res <-chan outcome) (outcome, bool) {
	t.Helper()
	select {
	case <-c.clock.waits:
		return outcome{}, false
	case r := <-res:
		return r, true
	case <-time.After(watchdog):
		t.Fatal("manager neither slept nor returned")
		return outcome{}, false
	}
}

// drive mines a block and advances the clock by one poll each time the manager
// sleeps, until Send returns.
func (c *chain) drive(t *testing.T, res <-chan outcome, poll time.Duration) outcome {
	t.Helper()
	for range 100 {
		if r, done := c.idle(t, res); done {
			return r
		}
		c.node.Commit()
		c.clock.Advance(poll)
	}
	t.Fatal("Send did not return after 100 polls")
	return outcome{}
}

func transferTo(to common.Address, wei int64) Candidate {
	return Candidate{To: &to, Value: big.NewInt(wei), Label: LabelTransfer}
}
