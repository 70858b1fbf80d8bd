package txmgr

import (
	"context"
	"math/big"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
)

// laggingHead answers the head from a node some blocks behind, as one node
// behind a load balancer does, while receipts come from an up-to-date one.
type laggingHead struct {
	*faultBackend
	lag atomic.Int64
}

func (b *laggingHead) HeaderByNumber(ctx context.Context, n *big.Int) (*types.Header, error) {
	lag := b.lag.Load()
	if n != nil || lag == 0 {
		return b.faultBackend.HeaderByNumber(ctx, n)
	}
	latest, err := b.faultBackend.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, err
	}
	return b.faultBackend.HeaderByNumber(ctx, new(big.Int).Sub(latest.Number, big.NewInt(lag)))
}

// TestHeadBehindReceiptIsNoConfirmation: a head older than the receipt's
// block gives no confirmation at all, never a wrapped-around depth.
func TestHeadBehindReceiptIsNoConfirmation(t *testing.T) {
	c := newChain(t)
	for range 5 {
		c.node.Commit()
	}
	lagging := &laggingHead{faultBackend: c.backend}
	m := c.manager(t, func(cfg *Config) { cfg.Backend = lagging; cfg.ConfirmBlocks = 3 })
	res := sendAsync(context.Background(), m, transferTo(recipient, 1))
	if _, done := c.idle(t, res); done {
		t.Fatal("returned before a block")
	}
	c.node.Commit() // mined; the lagging head is 4 blocks behind it
	lagging.lag.Store(4)
	for range 3 {
		c.clock.Advance(time.Second)
		if r, done := c.idle(t, res); done {
			t.Fatalf("returned with the head behind the receipt: %v, %v", r.rcpt, r.err)
		}
	}
	lagging.lag.Store(0)
	c.node.Commit()
	c.node.Commit()
	c.clock.Advance(time.Second)
	if r := c.drive(t, res, time.Second); r.err != nil {
		t.Fatal(r.err)
	}
}

func TestConfirmations(t *testing.T) {
	cases := []struct {
		name        string
		head, block int64
		want        uint64
	}{
		{"same block", 7, 7, 1},
		{"two on top", 9, 7, 3},
		{"head behind", 5, 7, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := confirmations(big.NewInt(tc.head), big.NewInt(tc.block)); got != tc.want {
				t.Fatalf("confirmations(%d, %d) = %d, want %d", tc.head, tc.block, got, tc.want)
			}
		})
	}
}
