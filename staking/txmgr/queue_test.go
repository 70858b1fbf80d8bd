package txmgr

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
)

// TestReceiptWaitDoesNotBlockNextSend: a Send waiting for its receipt holds
// its nonce, not the queue, so a second Send is numbered and published
// before any block is mined.
func TestReceiptWaitDoesNotBlockNextSend(t *testing.T) {
	forEachBackend(t, func(t *testing.T, c *chain) {
		m := c.manager(t, nil)
		ctx := context.Background()
		first := sendAsync(ctx, m, transferTo(recipient, 1))
		if _, done := c.idle(t, first); done {
			t.Fatal("first Send returned before a block")
		}
		second := sendAsync(ctx, m, transferTo(recipient, 2))
		if _, done := c.idle(t, second); done {
			t.Fatal("second Send returned before a block")
		}
		sent := c.backend.sentTxs()
		if len(sent) != 2 || sent[0].Nonce() != 0 || sent[1].Nonce() != 1 {
			t.Fatalf("published %d transactions before a block, want nonces 0 and 1", len(sent))
		}
		c.node.Commit()
		c.clock.Advance(time.Second)
		for _, res := range []<-chan outcome{first, second} {
			if r := c.drive(t, res, time.Second); r.err != nil {
				t.Fatal(r.err)
			}
		}
	})
}

// TestCappedSendDoesNotBlockHigherCapSend: a reward() held back by the
// account's cap takes no nonce and holds nothing; a verify() with its own,
// higher cap is numbered, sent and mined meanwhile.
func TestCappedSendDoesNotBlockHigherCapSend(t *testing.T) {
	forEachBackend(t, func(t *testing.T, c *chain) {
		head, err := c.backend.HeaderByNumber(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		low := new(big.Int).Div(head.BaseFee, big.NewInt(4))
		m := c.manager(t, func(cfg *Config) { cfg.MaxGasPrice = low })
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		capped := sendAsync(ctx, m, Candidate{To: &recipient, Value: big.NewInt(1), Label: LabelReward})
		if _, done := c.idle(t, capped); done {
			t.Fatal("capped Send returned")
		}
		verify := Candidate{To: &recipient, Value: big.NewInt(2), Label: LabelVerify, MaxGasPrice: big.NewInt(100e9)}
		r := c.drive(t, sendAsync(ctx, m, verify), time.Second)
		if r.err != nil {
			t.Fatalf("verify behind a capped reward: %v", r.err)
		}
		sent := c.backend.sentTxs()
		if len(sent) != 1 || sent[0].Nonce() != 0 || sent[0].Value().Int64() != 2 {
			t.Fatalf("sent %d transactions, want only the verify at nonce 0", len(sent))
		}
	})
}

// TestHigherCapLiftsStuckEarlierNonce: the node lost the first transaction
// and its replacement would be above its own cap, but a later Send that
// cannot be mined before it may pay more: the first is replaced up to the
// later one's cap and both are mined.
func TestHigherCapLiftsStuckEarlierNonce(t *testing.T) {
	c := newChain(t)
	head, err := c.backend.HeaderByNumber(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	tip, err := c.backend.SuggestGasTipCap(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	own, _ := initialFees(tip, head.BaseFee, big.NewInt(100e9))
	m := c.manager(t, func(cfg *Config) { cfg.MaxGasPrice = own.feeCap; cfg.ResubmitTimeout = 5 * time.Second })
	drop := true
	c.backend.setOnSend(func(tx *types.Transaction) (bool, error) {
		if tx.Nonce() == 0 && drop {
			drop = false
			return false, nil // accepted, then lost by the node
		}
		return true, nil
	})
	ctx := context.Background()
	first := sendAsync(ctx, m, transferTo(recipient, 1))
	if _, done := c.idle(t, first); done {
		t.Fatal("first Send returned")
	}
	second := sendAsync(ctx, m, Candidate{To: &recipient, Value: big.NewInt(2), Label: LabelVerify, MaxGasPrice: big.NewInt(100e9)})
	for _, res := range []<-chan outcome{first, second} {
		if r := c.drive(t, res, time.Second); r.err != nil {
			t.Fatal(r.err)
		}
	}
	var bumped bool
	for _, tx := range c.backend.sentTxs() {
		if tx.Nonce() == 0 && tx.GasFeeCap().Cmp(own.feeCap) > 0 {
			bumped = true
		}
	}
	if !bumped {
		t.Fatal("the lost nonce-0 transaction was never replaced above its own cap")
	}
}
