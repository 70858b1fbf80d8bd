package txmgr

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestLostNonceGapIsFilled: the node lost the transaction at nonce 0 and
// its Send was abandoned, so the next Send, numbered 1, waits behind a gap
// nothing fills. The manager fills it with a zero-value self-transfer and
// the Send is mined.
func TestLostNonceGapIsFilled(t *testing.T) {
	forEachBackend(t, func(t *testing.T, c *chain) {
		m := c.manager(t, func(cfg *Config) { cfg.ResubmitTimeout = time.Hour })
		t.Cleanup(m.Close)
		c.backend.setOnSend(func(tx *types.Transaction) (bool, error) {
			return tx.Nonce() != 0 || tx.Value().Sign() == 0, nil // nonce 0 "accepted", then lost
		})
		lostCtx, abandon := context.WithCancel(context.Background())
		lost := sendAsync(lostCtx, m, transferTo(recipient, 1))
		if _, done := c.idle(t, lost); done {
			t.Fatal("lost Send returned")
		}
		next := sendAsync(context.Background(), m, transferTo(recipient, 2))
		if _, done := c.idle(t, next); done {
			t.Fatal("next Send returned")
		}
		abandon()
		if r := <-lost; !errors.Is(r.err, ErrNotConfirmed) {
			t.Fatalf("abandoned Send: %v", r.err)
		}
		c.clock.Advance(time.Second)
		r := c.drive(t, next, time.Second)
		if r.err != nil {
			t.Fatalf("Send behind the gap: %v", r.err)
		}
		if got := testutil.ToFloat64(c.metrics.gapFilled); got != 1 {
			t.Fatalf("opkit_tx_nonce_gaps_filled_total = %v, want 1", got)
		}
		if n, _ := c.backend.NonceAt(context.Background(), c.from, nil); n != 2 {
			t.Fatalf("account nonce %d, want 2 (the filler and the Send)", n)
		}
	})
}
