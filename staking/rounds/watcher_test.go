package rounds

import (
	"context"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/event"
	"go.uber.org/zap/zaptest"
)

// fakeChain is a chain of headers whose head the test moves, with the round
// state derived from the block number like RoundsManager does.
type fakeChain struct {
	mu          sync.Mutex
	headers     []*types.Header
	length      uint64
	initialized map[uint64]bool
	reads       []uint64 // block numbers RoundState was asked for
}

func newFakeChain(length uint64) *fakeChain {
	c := &fakeChain{length: length, initialized: map[uint64]bool{}}
	c.extend(1, 0)
	return c
}

// extend appends n blocks; salt makes a fork's hashes differ.
func (c *fakeChain) extend(n int, salt uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := 0; i < n; i++ {
		h := &types.Header{Number: big.NewInt(int64(len(c.headers))), Extra: big.NewInt(int64(salt)).Bytes()}
		if len(c.headers) > 0 {
			h.ParentHash = c.headers[len(c.headers)-1].Hash()
		}
		c.headers = append(c.headers, h)
	}
}

// reorg drops depth blocks and adds n different ones.
func (c *fakeChain) reorg(depth, n int) {
	c.mu.Lock()
	c.headers = c.headers[:len(c.headers)-depth]
	c.mu.Unlock()
	c.extend(n, 99)
}

func (c *fakeChain) HeaderByNumber(_ context.Context, n *big.Int) (*types.Header, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n != nil {
		return c.headers[n.Uint64()], nil
	}
	return c.headers[len(c.headers)-1], nil
}

func (c *fakeChain) RoundState(_ context.Context, block *big.Int) (State, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b := block.Uint64()
	c.reads = append(c.reads, b)
	r := b / c.length
	return State{Round: r, StartBlock: r * c.length, Length: c.length, Initialized: c.initialized[r]}, nil
}

func startWatcher(t *testing.T, c *fakeChain) (*Watcher, chan time.Time) {
	t.Helper()
	tick := make(chan time.Time)
	w, err := New(Config{Chain: c, Tick: tick, Logger: zaptest.NewLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	return w, tick
}

func next(t *testing.T, w *Watcher) Event {
	t.Helper()
	select {
	case ev := <-w.Events():
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no event")
	}
	return Event{}
}

func TestReadsStateAtStart(t *testing.T) {
	c := newFakeChain(4)
	c.extend(9, 0) // head 9: round 2, mid-round
	c.initialized[2] = true
	w, _ := startWatcher(t, c)
	ev := next(t, w)
	if ev.Round != 2 || !ev.Initialized || ev.Head != 9 || ev.StartBlock != 8 || ev.EndBlock() != 12 {
		t.Fatalf("first event %+v", ev)
	}
}

func TestEmitsOnNewHeadsOnly(t *testing.T) {
	c := newFakeChain(4)
	w, tick := startWatcher(t, c)
	if ev := next(t, w); ev.Head != 0 {
		t.Fatalf("first event %+v", ev)
	}
	tick <- time.Time{} // same head: nothing new
	c.extend(4, 0)
	tick <- time.Time{}
	ev := next(t, w)
	if ev.Head != 4 || ev.Round != 1 || ev.Reorg {
		t.Fatalf("event %+v", ev)
	}
	select {
	case ev := <-w.Events():
		t.Fatalf("unexpected event %+v", ev)
	default:
	}
}

func TestReorgReReadsState(t *testing.T) {
	c := newFakeChain(4)
	c.extend(7, 0) // head 7, round 1
	w, tick := startWatcher(t, c)
	next(t, w)
	c.extend(1, 0) // head 8: round 2
	tick <- time.Time{}
	if ev := next(t, w); ev.Round != 2 {
		t.Fatalf("event %+v", ev)
	}
	c.reorg(2, 1) // head 7' : back in round 1
	tick <- time.Time{}
	ev := next(t, w)
	if !ev.Reorg || ev.Round != 1 || ev.Head != 7 {
		t.Fatalf("after reorg %+v", ev)
	}
	c.mu.Lock()
	reads := append([]uint64(nil), c.reads...)
	c.mu.Unlock()
	if reads[len(reads)-1] != 7 {
		t.Fatalf("state not re-read at the new head: reads %v", reads)
	}
}

func TestSlowReaderGetsLatest(t *testing.T) {
	c := newFakeChain(4)
	w, tick := startWatcher(t, c)
	for i := 0; i < 5; i++ {
		c.extend(1, 0)
		tick <- time.Time{}
	}
	tick <- time.Time{} // the poll that follows the last new head has finished when this is taken
	if ev := next(t, w); ev.Head != 5 {
		t.Fatalf("slow reader got head %d, want the latest (5)", ev.Head)
	}
}

// subChain is a fakeChain whose NewRound logs arrive by subscription.
type subChain struct {
	*fakeChain
	logs chan types.Log
}

func (c *subChain) SubscribeNewRound(_ context.Context, ch chan<- types.Log) (ethereum.Subscription, error) {
	return event.NewSubscription(func(quit <-chan struct{}) error {
		for {
			select {
			case l := <-c.logs:
				select {
				case ch <- l:
				case <-quit:
					return nil
				}
			case <-quit:
				return nil
			}
		}
	}), nil
}

func TestNewRoundLogTriggersReRead(t *testing.T) {
	c := &subChain{fakeChain: newFakeChain(4), logs: make(chan types.Log)}
	w, err := New(Config{Chain: c, Tick: make(chan time.Time), Logger: zaptest.NewLogger(t)}) // never ticks
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	next(t, w)
	c.extend(4, 0)
	c.initialized[1] = true
	c.logs <- types.Log{BlockNumber: 4}
	if ev := next(t, w); ev.Round != 1 || !ev.Initialized || ev.Head != 4 {
		t.Fatalf("event after NewRound log: %+v", ev)
	}
}
