package reward

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/opkit-dev/opkit/staking/alert"
	"github.com/opkit-dev/opkit/staking/rounds"
)

// fakeChain is a tiny in-memory model of the chain state the duty reads:
// one account's nonces, the round, and the transcoder. Transactions in its
// "pool" take effect when mined.
type fakeChain struct {
	mu          sync.Mutex
	round       uint64
	initialized bool
	active      bool
	lastReward  uint64
	latest      uint64
	pool        []Call // pending transactions, in nonce order
	balance     *big.Int
	readErr     error
	// onTranscoder, if set, runs (under the lock) before a transcoder read:
	// the chain moving between two reads of one attempt.
	onTranscoder func(c *fakeChain)
}

func newFakeChain(round uint64) *fakeChain {
	return &fakeChain{round: round, initialized: true, active: true, balance: big.NewInt(1e18)}
}

func (c *fakeChain) RoundState(context.Context, *big.Int) (rounds.State, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.readErr != nil {
		return rounds.State{}, c.readErr
	}
	return rounds.State{Round: c.round, StartBlock: c.round * 4, Length: 4, Initialized: c.initialized}, nil
}

func (c *fakeChain) Transcoder(context.Context, common.Address) (Transcoder, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.onTranscoder != nil {
		c.onTranscoder(c)
		c.onTranscoder = nil
	}
	return Transcoder{Active: c.active, LastRewardRound: c.lastReward}, c.readErr
}

func (c *fakeChain) NonceAt(context.Context, common.Address, *big.Int) (uint64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.latest, c.readErr
}

func (c *fakeChain) PendingNonceAt(context.Context, common.Address) (uint64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.latest + uint64(len(c.pool)), c.readErr
}

func (c *fakeChain) BalanceAt(context.Context, common.Address, *big.Int) (*big.Int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return new(big.Int).Set(c.balance), c.readErr
}

// broadcast puts a call in the pool at the next nonce.
func (c *fakeChain) broadcast(call Call) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pool = append(c.pool, call)
}

// number returns the nonce a send gets: the pinned one unless the chain
// has used it (then ErrNonceUsed), or the next free one.
func (c *fakeChain) number(pinned *uint64) (uint64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if pinned == nil {
		return c.latest + uint64(len(c.pool)), nil
	}
	if c.latest > *pinned {
		return 0, fmt.Errorf("%w: nonce %d, account at %d", ErrNonceUsed, *pinned, c.latest)
	}
	return *pinned, nil
}

// broadcastAt puts call in the pool at nonce, replacing what was there.
func (c *fakeChain) broadcastAt(nonce uint64, call Call) {
	c.mu.Lock()
	defer c.mu.Unlock()
	i := int(nonce - c.latest)
	if i < len(c.pool) {
		c.pool[i] = call
		return
	}
	c.pool = append(c.pool, call)
}

func (c *fakeChain) minedNonce() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.latest
}

// mine includes every pooled transaction; it returns the receipts.
func (c *fakeChain) mine() []*types.Receipt {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []*types.Receipt
	for _, call := range c.pool {
		ok := true
		switch call.Label {
		case "reward":
			ok = c.initialized && c.active && c.lastReward < c.round
			if ok {
				c.lastReward = c.round
			}
		case "initialize_round":
			ok = !c.initialized
			c.initialized = true
		}
		status := types.ReceiptStatusSuccessful
		if !ok {
			status = types.ReceiptStatusFailed
		}
		out = append(out, &types.Receipt{Status: status, TxHash: common.BigToHash(new(big.Int).SetUint64(c.latest + 1000)), BlockNumber: big.NewInt(int64(c.latest))})
		c.latest++
	}
	c.pool = nil
	return out
}

func (c *fakeChain) nextRound(initialized bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.round++
	c.initialized = initialized
}

func (c *fakeChain) set(f func(c *fakeChain)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f(c)
}

// sendMode is how fakeSender behaves.
type sendMode int

const (
	sendMine           sendMode = iota // broadcast and mine at once
	sendLostResponse                   // broadcast, then fail as if the answer was lost
	sendHoldUntilDone                  // hold (gas above cap) until ctx ends; nothing broadcast
	sendFailBeforeSend                 // fail without broadcasting
)

// fakeSender stands in for the transaction manager on top of fakeChain.
type fakeSender struct {
	chain *fakeChain
	mu    sync.Mutex
	mode  sendMode
	calls []Call
	sent  chan Call // every Send, for tests to wait on
	// before, if set, runs at the start of every Send (another sender of
	// the account acting first).
	before func(Call)
}

func newFakeSender(c *fakeChain) *fakeSender {
	return &fakeSender{chain: c, sent: make(chan Call, 64)}
}

func (s *fakeSender) setMode(m sendMode) { s.mu.Lock(); s.mode = m; s.mu.Unlock() }

func (s *fakeSender) count(label string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		if c.Label == label {
			n++
		}
	}
	return n
}

func (s *fakeSender) callsOf(label string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if c.Label == label {
			out = append(out, c)
		}
	}
	return out
}

// mineFirst includes only the pool's first transaction (no duty effect).
func (c *fakeChain) mineFirst() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pool = c.pool[1:]
	c.latest++
}

func (s *fakeSender) setBefore(f func(Call)) { s.mu.Lock(); s.before = f; s.mu.Unlock() }

func (c *fakeChain) pooled() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.pool)
}

func (s *fakeSender) total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.calls)
}

func (s *fakeSender) Send(ctx context.Context, call Call) (*types.Receipt, error) {
	s.mu.Lock()
	s.calls = append(s.calls, call)
	mode, before := s.mode, s.before
	s.mu.Unlock()
	if before != nil {
		before(call)
	}
	s.sent <- call
	if mode == sendHoldUntilDone {
		<-ctx.Done()
		return nil, errors.New("gas price above cap")
	}
	// Numbered and signed as the transaction manager does: at the pinned
	// nonce or the next free one, recorded through OnSigned before it
	// goes out.
	nonce, err := s.chain.number(call.Nonce)
	if err != nil {
		return nil, err
	}
	if call.OnSigned != nil {
		if err := call.OnSigned(types.NewTx(&types.LegacyTx{Nonce: nonce, Data: call.Data})); err != nil {
			return nil, err
		}
	}
	switch mode {
	case sendLostResponse:
		s.chain.broadcastAt(nonce, call)
		return nil, errors.New("connection reset")
	case sendFailBeforeSend:
		return nil, errors.New("connection refused")
	}
	s.chain.broadcastAt(nonce, call)
	rs := s.chain.mine()
	return rs[nonce-(s.chain.minedNonce()-uint64(len(rs)))], nil
}

// fakeMetrics records what the service reports.
type fakeMetrics struct {
	mu         sync.Mutex
	current    uint64
	lastReward uint64
	calls      map[string]int
	missed     int
	balance    *big.Int
}

func newFakeMetrics() *fakeMetrics { return &fakeMetrics{calls: map[string]int{}} }

func (m *fakeMetrics) SetCurrentRound(r uint64)    { m.mu.Lock(); m.current = r; m.mu.Unlock() }
func (m *fakeMetrics) SetLastRewardRound(r uint64) { m.mu.Lock(); m.lastReward = r; m.mu.Unlock() }
func (m *fakeMetrics) RewardCall(r string)         { m.mu.Lock(); m.calls[r]++; m.mu.Unlock() }
func (m *fakeMetrics) MissedRound()                { m.mu.Lock(); m.missed++; m.mu.Unlock() }
func (m *fakeMetrics) SetBalance(b *big.Int)       { m.mu.Lock(); m.balance = b; m.mu.Unlock() }

type metricsSnap struct {
	current, lastReward uint64
	calls               map[string]int
	missed              int
	balance             *big.Int
}

func (m *fakeMetrics) snapshot() metricsSnap {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := map[string]int{}
	for k, v := range m.calls {
		c[k] = v
	}
	return metricsSnap{current: m.current, lastReward: m.lastReward, calls: c, missed: m.missed, balance: m.balance}
}

// fakeAlerts records alerts.
type fakeAlerts struct {
	mu     sync.Mutex
	alerts []alert.Alert
}

func (a *fakeAlerts) Raise(x alert.Alert) { a.mu.Lock(); a.alerts = append(a.alerts, x); a.mu.Unlock() }

func (a *fakeAlerts) kinds() map[alert.Kind]int {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := map[alert.Kind]int{}
	for _, x := range a.alerts {
		out[x.Kind]++
	}
	return out
}

// manualClock fires After channels only when the test says so.
type manualClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []chan time.Time
	added   chan struct{}
}

func newManualClock() *manualClock {
	return &manualClock{now: time.Unix(1_700_000_000, 0), added: make(chan struct{}, 64)}
}

func (c *manualClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *manualClock) After(time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	c.mu.Lock()
	c.waiters = append(c.waiters, ch)
	c.mu.Unlock()
	select {
	case c.added <- struct{}{}:
	default:
	}
	return ch
}

// fire releases every waiter registered so far.
func (c *manualClock) fire() {
	c.mu.Lock()
	ws := c.waiters
	c.waiters = nil
	now := c.now
	c.mu.Unlock()
	for _, w := range ws {
		w <- now
	}
}
