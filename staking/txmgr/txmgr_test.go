package txmgr

import (
	"context"
	"errors"
	"math/big"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

var recipient = common.HexToAddress("0x00000000000000000000000000000000000000aa")

func (c *chain) sentCount(label, result string) float64 {
	return testutil.ToFloat64(c.metrics.sent.WithLabelValues(label, result))
}

func TestSendMinesTransfer(t *testing.T) {
	forEachBackend(t, func(t *testing.T, c *chain) {
		m := c.manager(t, nil)
		ctx := context.Background()

		r := c.drive(t, sendAsync(ctx, m, transferTo(recipient, 12345)), time.Second)
		if r.err != nil {
			t.Fatalf("Send: %v", r.err)
		}
		if r.rcpt.Status != types.ReceiptStatusSuccessful {
			t.Fatalf("status %d", r.rcpt.Status)
		}
		bal, err := c.backend.BalanceAt(ctx, recipient, nil)
		if err != nil || bal.Int64() != 12345 {
			t.Fatalf("recipient balance %v, %v; want 12345", bal, err)
		}
		if got := c.sentCount(LabelTransfer, "ok"); got != 1 {
			t.Errorf("opkit_tx_sent_total{transfer,ok} = %v, want 1", got)
		}
		if got := testutil.CollectAndCount(c.metrics.confirmed); got != 1 {
			t.Errorf("confirm histogram series = %d, want 1", got)
		}
		if m.Pending() != 0 {
			t.Errorf("Pending() = %d after Send returned", m.Pending())
		}
	})
}

func TestConfirmBlocksWaitsForDepth(t *testing.T) {
	forEachBackend(t, func(t *testing.T, c *chain) {
		m := c.manager(t, func(cfg *Config) { cfg.ConfirmBlocks = 3 })
		res := sendAsync(context.Background(), m, transferTo(recipient, 1))
		var minedAt uint64
		for range 20 {
			r, done := c.idle(t, res)
			if done {
				if r.err != nil {
					t.Fatal(r.err)
				}
				head, _ := c.backend.HeaderByNumber(context.Background(), nil)
				if conf := head.Number.Uint64() - r.rcpt.BlockNumber.Uint64() + 1; conf < 3 {
					t.Fatalf("returned with %d confirmations, want 3", conf)
				}
				if minedAt == 0 {
					t.Fatal("never saw the block that mined it")
				}
				return
			}
			c.node.Commit()
			if minedAt == 0 {
				head, _ := c.backend.HeaderByNumber(context.Background(), nil)
				minedAt = head.Number.Uint64()
			}
			c.clock.Advance(time.Second)
		}
		t.Fatal("Send did not return")
	})
}

func TestConcurrentSendsUseConsecutiveNonces(t *testing.T) {
	forEachBackend(t, func(t *testing.T, c *chain) {
		m := c.manager(t, nil)
		const n = 5
		all := make(chan outcome, n)
		for range n {
			go func() {
				r, err := m.Send(context.Background(), transferTo(recipient, 1))
				all <- outcome{r, err}
			}()
		}
		var nonces []uint64
		for len(nonces) < n {
			r, done := c.idle(t, all)
			if !done {
				c.node.Commit()
				c.clock.Advance(time.Second)
				continue
			}
			if r.err != nil {
				t.Fatalf("Send: %v", r.err)
			}
			tx, _, err := c.backend.TransactionByHash(context.Background(), r.rcpt.TxHash)
			if err != nil {
				t.Fatal(err)
			}
			nonces = append(nonces, tx.Nonce())
		}
		slices.Sort(nonces)
		for i, got := range nonces {
			if got != uint64(i) {
				t.Fatalf("nonces %v, want 0..%d with no gap or repeat", nonces, n-1)
			}
		}
		if offered := len(c.backend.sentTxs()); offered != n {
			t.Errorf("%d transactions offered, want %d", offered, n)
		}
	})
}

// TestFailedSendDoesNotAdvanceNonce makes the first Send fail in each way the
// node or signer can refuse it, then checks the next Send uses the same nonce.
func TestFailedSendDoesNotAdvanceNonce(t *testing.T) {
	cases := []struct {
		name    string
		cand    Candidate
		setup   func(c *chain, cfg *Config)
		wantErr error
		result  string
	}{
		{
			name:    "insufficient funds from the node",
			cand:    Candidate{To: &recipient, Value: new(big.Int).Mul(big.NewInt(1_000_000), oneEther), GasLimit: 21000, Label: LabelTransfer},
			wantErr: ErrInsufficientFunds,
			result:  "insufficient_funds",
		},
		{
			name: "gas limit rejected",
			cand: transferTo(recipient, 1),
			setup: func(c *chain, _ *Config) {
				c.backend.setOnSend(func(*types.Transaction) (bool, error) {
					return false, errors.New("exceeds block gas limit")
				})
			},
			wantErr: ErrRejected,
			result:  "rejected",
		},
		{
			name: "signer fails",
			cand: transferTo(recipient, 1),
			setup: func(_ *chain, cfg *Config) {
				cfg.Sign = func(context.Context, common.Address, *types.Transaction) (*types.Transaction, error) {
					return nil, errors.New("keystore locked")
				}
			},
		},
	}
	forEachBackend(t, func(t *testing.T, c *chain) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				c := c.fresh(t)
				cfg := c.config(t)
				if tc.setup != nil {
					tc.setup(c, &cfg)
				}
				failing, err := New(cfg)
				if err != nil {
					t.Fatal(err)
				}
				r := c.drive(t, sendAsync(context.Background(), failing, tc.cand), time.Second)
				if r.err == nil {
					t.Fatal("Send succeeded, want an error")
				}
				if tc.wantErr != nil && !errors.Is(r.err, tc.wantErr) {
					t.Fatalf("error %v, want %v", r.err, tc.wantErr)
				}
				if tc.result != "" && c.sentCount(LabelTransfer, tc.result) != 1 {
					t.Errorf("opkit_tx_sent_total{transfer,%s} != 1", tc.result)
				}
				pending, _ := c.backend.PendingNonceAt(context.Background(), c.from)
				if pending != 0 {
					t.Fatalf("chain pending nonce %d after a failed send, want 0", pending)
				}
				if failing.nonce != nil && *failing.nonce != 0 {
					t.Fatalf("local nonce advanced to %d", *failing.nonce)
				}

				// Once the fault is gone, sends continue from nonce 0 without a gap.
				c.backend.setOnSend(nil)
				ok := c.manager(t, nil)
				for i, mgr := range []*Manager{ok, ok} {
					r := c.drive(t, sendAsync(context.Background(), mgr, transferTo(recipient, 1)), time.Second)
					if r.err != nil {
						t.Fatal(r.err)
					}
					tx, _, _ := c.backend.TransactionByHash(context.Background(), r.rcpt.TxHash)
					if tx.Nonce() != uint64(i) {
						t.Fatalf("send %d used nonce %d", i, tx.Nonce())
					}
				}
			})
		}
	})
}

// TestUnknownSendErrorRetriesSameTransaction drops the first publication with
// a network error; the manager resends the same transaction (same nonce and
// hash) and it is mined.
func TestUnknownSendErrorRetriesSameTransaction(t *testing.T) {
	forEachBackend(t, func(t *testing.T, c *chain) {
		m := c.manager(t, nil)
		drops := 1
		c.backend.setOnSend(func(*types.Transaction) (bool, error) {
			if drops > 0 {
				drops--
				return false, errors.New("read tcp 127.0.0.1:8545: connection reset by peer")
			}
			return true, nil
		})
		r := c.drive(t, sendAsync(context.Background(), m, transferTo(recipient, 1)), time.Second)
		if r.err != nil {
			t.Fatal(r.err)
		}
		offered := c.backend.sentTxs()
		if len(offered) != 2 || offered[0].Hash() != offered[1].Hash() {
			t.Fatalf("offered %d transactions; want the same one twice", len(offered))
		}
		if r.rcpt.TxHash != offered[0].Hash() {
			t.Fatal("receipt is not for the resent transaction")
		}
		if c.sentCount(LabelTransfer, "unknown_error") != 1 || c.sentCount(LabelTransfer, "ok") != 1 {
			t.Error("want one unknown_error and one ok in opkit_tx_sent_total")
		}
	})
}

func TestReplacementAfterTimeoutBumpsFees(t *testing.T) {
	forEachBackend(t, func(t *testing.T, c *chain) {
		m := c.manager(t, nil) // resubmit after 30s, bump 11%
		res := sendAsync(context.Background(), m, transferTo(recipient, 1))
		if _, done := c.idle(t, res); done {
			t.Fatal("Send returned before mining")
		}
		c.clock.Advance(29 * time.Second)
		if _, done := c.idle(t, res); done {
			t.Fatal("Send returned before mining")
		}
		if n := len(c.backend.sentTxs()); n != 1 {
			t.Fatalf("%d transactions offered before the resubmit timeout, want 1", n)
		}
		c.clock.Advance(time.Second)
		if _, done := c.idle(t, res); done {
			t.Fatal("Send returned before mining")
		}
		offered := c.backend.sentTxs()
		if len(offered) != 2 {
			t.Fatalf("%d transactions offered after the timeout, want 2", len(offered))
		}
		first, second := offered[0], offered[1]
		if first.Nonce() != second.Nonce() {
			t.Fatalf("replacement nonce %d, original %d", second.Nonce(), first.Nonce())
		}
		for _, p := range []struct {
			name     string
			old, new *big.Int
		}{{"tip", first.GasTipCap(), second.GasTipCap()}, {"fee cap", first.GasFeeCap(), second.GasFeeCap()}} {
			// new*100 >= old*111
			lhs := new(big.Int).Mul(p.new, big.NewInt(100))
			rhs := new(big.Int).Mul(p.old, big.NewInt(111))
			if lhs.Cmp(rhs) < 0 {
				t.Errorf("%s bumped %v -> %v, less than +11%%", p.name, p.old, p.new)
			}
		}
		if got := testutil.ToFloat64(c.metrics.replaced); got != 1 {
			t.Errorf("opkit_tx_replaced_total = %v, want 1", got)
		}
		c.node.Commit()
		c.clock.Advance(time.Second)
		r := c.drive(t, res, time.Second)
		if r.err != nil {
			t.Fatal(r.err)
		}
		if r.rcpt.TxHash != second.Hash() {
			t.Fatalf("mined %s, want the replacement %s", r.rcpt.TxHash, second.Hash())
		}
	})
}

// TestGasCapHoldsUntilBaseFeeDrops sets the cap below the base fee: nothing
// may be sent until empty blocks bring the base fee under the cap.
func TestGasCapHoldsUntilBaseFeeDrops(t *testing.T) {
	forEachBackend(t, func(t *testing.T, c *chain) {
		head, err := c.backend.HeaderByNumber(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		capWei := new(big.Int).Div(head.BaseFee, big.NewInt(2)) // half the next block's base fee, or less
		m := c.manager(t, func(cfg *Config) { cfg.MaxGasPrice = capWei })
		res := sendAsync(context.Background(), m, transferTo(recipient, 1))
		for range 5 {
			if _, done := c.idle(t, res); done {
				t.Fatal("Send returned while held by the cap")
			}
			if n := len(c.backend.sentTxs()); n != 0 {
				t.Fatalf("%d transactions sent above the cap", n)
			}
			c.clock.Advance(time.Second)
		}
		if got := testutil.ToFloat64(c.metrics.capped); got != 1 {
			t.Fatalf("opkit_tx_gas_capped_total = %v, want 1", got)
		}
		// Each empty block lowers the base fee by 12.5%; drive commits one per poll.
		r := c.drive(t, res, time.Second)
		if r.err != nil {
			t.Fatal(r.err)
		}
		for _, tx := range c.backend.sentTxs() {
			if tx.GasFeeCap().Cmp(capWei) > 0 {
				t.Fatalf("sent fee cap %v above cap %v", tx.GasFeeCap(), capWei)
			}
		}
		blk, err := c.backend.HeaderByNumber(context.Background(), r.rcpt.BlockNumber)
		if err != nil {
			t.Fatal(err)
		}
		if blk.BaseFee.Cmp(capWei) > 0 {
			t.Fatalf("mined in a block with base fee %v above the cap", blk.BaseFee)
		}
	})
}

func TestGasCapHeldUntilContextEnds(t *testing.T) {
	forEachBackend(t, func(t *testing.T, c *chain) {
		m := c.manager(t, func(cfg *Config) { cfg.MaxGasPrice = big.NewInt(1) })
		ctx, cancel := context.WithCancel(context.Background())
		res := sendAsync(ctx, m, transferTo(recipient, 1))
		if _, done := c.idle(t, res); done {
			t.Fatal("Send returned while held by the cap")
		}
		cancel()
		r := <-res
		if !errors.Is(r.err, ErrGasPriceAboveCap) || !errors.Is(r.err, context.Canceled) {
			t.Fatalf("error %v, want ErrGasPriceAboveCap and context.Canceled", r.err)
		}
		if n := len(c.backend.sentTxs()); n != 0 {
			t.Fatalf("%d transactions sent", n)
		}
		// The nonce was never taken.
		if m.nonce != nil {
			t.Fatalf("local nonce set to %d by a transaction never sent", *m.nonce)
		}
	})
}

// TestBumpAboveCapKeepsOriginal prices the first transaction at exactly the
// cap: the replacement would need +11% above it, so none is sent and the
// original is mined.
func TestBumpAboveCapKeepsOriginal(t *testing.T) {
	forEachBackend(t, func(t *testing.T, c *chain) {
		tip, _ := c.backend.SuggestGasTipCap(context.Background())
		head, _ := c.backend.HeaderByNumber(context.Background(), nil)
		capWei := new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2)))
		m := c.manager(t, func(cfg *Config) { cfg.MaxGasPrice = capWei })
		res := sendAsync(context.Background(), m, transferTo(recipient, 1))
		if _, done := c.idle(t, res); done {
			t.Fatal("returned early")
		}
		c.clock.Advance(31 * time.Second)
		if _, done := c.idle(t, res); done {
			t.Fatal("returned early")
		}
		offered := c.backend.sentTxs()
		if len(offered) != 1 {
			t.Fatalf("%d transactions offered; a replacement above the cap was sent", len(offered))
		}
		if got := testutil.ToFloat64(c.metrics.capped); got != 1 {
			t.Errorf("opkit_tx_gas_capped_total = %v, want 1", got)
		}
		c.node.Commit()
		c.clock.Advance(time.Second)
		r := c.drive(t, res, time.Second)
		if r.err != nil || r.rcpt.TxHash != offered[0].Hash() {
			t.Fatalf("got %v, %v; want the original mined", r.rcpt, r.err)
		}
	})
}

// TestAlreadyMinedReplacementNonceTooLow mines the original just before its
// replacement reaches the node; the node answers "nonce too low" and the
// manager returns the original's receipt.
func TestAlreadyMinedReplacementNonceTooLow(t *testing.T) {
	forEachBackend(t, func(t *testing.T, c *chain) {
		m := c.manager(t, nil)
		calls := 0
		c.backend.setOnSend(func(*types.Transaction) (bool, error) {
			calls++
			if calls == 2 {
				c.node.Commit() // the original is mined now
				c.waitPoolNonce(t, 1)
			}
			return true, nil
		})
		res := sendAsync(context.Background(), m, transferTo(recipient, 1))
		if _, done := c.idle(t, res); done {
			t.Fatal("returned early")
		}
		c.clock.Advance(30 * time.Second)
		r := c.drive(t, res, time.Second)
		if r.err != nil {
			t.Fatal(r.err)
		}
		offered := c.backend.sentTxs()
		if len(offered) != 2 || r.rcpt.TxHash != offered[0].Hash() {
			t.Fatalf("want the original's receipt after a refused replacement; offered %d", len(offered))
		}
		if c.sentCount(LabelTransfer, "nonce_too_low") != 1 {
			t.Error("replacement not counted as nonce_too_low")
		}
	})
}

// TestAlreadyMinedAfterLostAnswer: the node takes the transaction but the
// answer is lost; the manager finds the receipt of the hash it sent.
func TestAlreadyMinedAfterLostAnswer(t *testing.T) {
	forEachBackend(t, func(t *testing.T, c *chain) {
		m := c.manager(t, nil)
		c.backend.setOnSend(func(*types.Transaction) (bool, error) {
			return true, errors.New("Post \"http://127.0.0.1:8545\": context deadline exceeded")
		})
		res := sendAsync(context.Background(), m, transferTo(recipient, 1))
		if _, done := c.idle(t, res); done {
			t.Fatal("returned early")
		}
		c.node.Commit()
		c.clock.Advance(time.Second)
		r := c.drive(t, res, time.Second)
		if r.err != nil {
			t.Fatal(r.err)
		}
		if n := len(c.backend.sentTxs()); n != 1 {
			t.Fatalf("offered %d transactions; the mined one should be recognised before resending", n)
		}
	})
}

// TestNonceConsumedByOtherTransaction: another wallet with the same key
// replaces our transaction; the manager reports the nonce as consumed.
func TestNonceConsumedByOtherTransaction(t *testing.T) {
	forEachBackend(t, func(t *testing.T, c *chain) {
		m := c.manager(t, func(cfg *Config) { cfg.ResubmitTimeout = time.Hour })
		res := sendAsync(context.Background(), m, transferTo(recipient, 1))
		if _, done := c.idle(t, res); done {
			t.Fatal("returned early")
		}
		ours := c.backend.sentTxs()[0]
		other := types.NewTx(&types.DynamicFeeTx{
			ChainID: ours.ChainId(), Nonce: ours.Nonce(), GasTipCap: new(big.Int).Mul(ours.GasTipCap(), big.NewInt(2)),
			GasFeeCap: new(big.Int).Mul(ours.GasFeeCap(), big.NewInt(2)), Gas: 21000, To: &recipient, Value: big.NewInt(2),
		})
		other, err := c.signFn()(context.Background(), c.from, other)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.node.Client().SendTransaction(context.Background(), other); err != nil {
			t.Fatal(err)
		}
		c.node.Commit()
		c.clock.Advance(time.Second)
		r := c.drive(t, res, time.Second)
		if !errors.Is(r.err, ErrNonceConsumed) {
			t.Fatalf("error %v, want ErrNonceConsumed", r.err)
		}
	})
}

// revertingCode is runtime bytecode that always reverts: PUSH1 0 PUSH1 0 REVERT.
var revertingCode = []byte{0x60, 0x00, 0x60, 0x00, 0xfd}

func TestRevertedAndUnestimatable(t *testing.T) {
	forEachBackend(t, func(t *testing.T, c *chain) {
		m := c.manager(t, nil)
		target := c.deploy(t, m, revertingCode)

		_, err := m.Send(context.Background(), Candidate{To: &target, Label: LabelReward})
		if !errors.Is(err, ErrEstimateGas) {
			t.Fatalf("estimate of a reverting call: %v, want ErrEstimateGas", err)
		}
		before := len(c.backend.sentTxs())
		if before != 1 { // only the deployment
			t.Fatalf("a transaction was sent for a call that cannot be estimated")
		}
		r := c.drive(t, sendAsync(context.Background(), m, Candidate{To: &target, GasLimit: 50_000, Label: LabelReward}), time.Second)
		if !errors.Is(r.err, ErrReverted) || r.rcpt == nil || r.rcpt.Status != types.ReceiptStatusFailed {
			t.Fatalf("got %v, %v; want a failed receipt and ErrReverted", r.rcpt, r.err)
		}
		if !containsHash(r.err.Error(), r.rcpt.TxHash) {
			t.Errorf("error %q does not name the transaction", r.err)
		}
	})
}

func containsHash(s string, h common.Hash) bool { return strings.Contains(s, h.Hex()) }

// deploy creates a contract whose runtime code is code and returns its address.
func (c *chain) deploy(t *testing.T, m *Manager, code []byte) common.Address {
	t.Helper()
	// initcode: copy runtime code to memory and return it.
	//   PUSH1 len, PUSH1 off, PUSH1 0, CODECOPY, PUSH1 len, PUSH1 0, RETURN
	const prefixLen = 12
	initcode := append([]byte{
		0x60, byte(len(code)), 0x60, prefixLen, 0x60, 0x00, 0x39,
		0x60, byte(len(code)), 0x60, 0x00, 0xf3,
	}, code...)
	r := c.drive(t, sendAsync(context.Background(), m, Candidate{Data: initcode, Label: LabelOther}), time.Second)
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.rcpt.ContractAddress
}

func TestClose(t *testing.T) {
	forEachBackend(t, func(t *testing.T, c *chain) {
		m := c.manager(t, nil)
		ctx := context.Background()

		inflight := sendAsync(ctx, m, transferTo(recipient, 1))
		if _, done := c.idle(t, inflight); done {
			t.Fatal("returned early")
		}
		// Another Send is being numbered: the next one waits for the queue.
		m.queue <- struct{}{}
		queued := sendAsync(ctx, m, transferTo(recipient, 2))
		for m.Pending() != 2 { // the second Send registers before it queues
			select {
			case <-time.After(watchdog):
				t.Fatal("second Send never queued")
			default:
			}
			runtime.Gosched()
		}
		m.Close()
		<-m.queue
		if r := <-queued; !errors.Is(r.err, ErrClosed) {
			t.Fatalf("queued Send after Close: %v, want ErrClosed", r.err)
		}
		if _, err := m.Send(ctx, transferTo(recipient, 3)); !errors.Is(err, ErrClosed) {
			t.Fatalf("Send after Close: %v, want ErrClosed", err)
		}
		c.node.Commit()
		c.clock.Advance(time.Second)
		r := c.drive(t, inflight, time.Second)
		if r.err != nil || r.rcpt.Status != types.ReceiptStatusSuccessful {
			t.Fatalf("in-flight Send after Close: %v, %v; want it seen through", r.rcpt, r.err)
		}
		if n := len(c.backend.sentTxs()); n != 1 {
			t.Fatalf("%d transactions offered, want only the in-flight one", n)
		}
	})
}

// waitPoolNonce waits until the node's pool has caught up with a new head and
// reports pending nonce n.
func (c *chain) waitPoolNonce(t *testing.T, n uint64) {
	deadline := time.Now().Add(watchdog)
	for {
		got, err := c.node.Client().PendingNonceAt(context.Background(), c.from)
		if err == nil && got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("pool nonce stuck at %d, want %d", got, n)
			return
		}
		runtime.Gosched()
	}
}

// TestAlreadyKnownCountsAsSent: the node already holds the very transaction
// (a retry after a lost answer hits the real pool's "already known").
func TestAlreadyKnownCountsAsSent(t *testing.T) {
	forEachBackend(t, func(t *testing.T, c *chain) {
		m := c.manager(t, nil)
		c.backend.setOnSend(func(tx *types.Transaction) (bool, error) {
			// Deliver it once behind the manager's back; the forwarded copy is
			// then answered "already known" by the pool.
			if err := c.node.Client().SendTransaction(context.Background(), tx); err != nil {
				t.Errorf("pre-send: %v", err)
			}
			return true, nil
		})
		r := c.drive(t, sendAsync(context.Background(), m, transferTo(recipient, 1)), time.Second)
		if r.err != nil {
			t.Fatal(r.err)
		}
		if c.sentCount(LabelTransfer, "already_known") != 1 {
			t.Fatal("pool answer not counted as already_known")
		}
	})
}

// TestUnderpricedFirstSendBumpsUntilAccepted: just before our first send,
// another wallet with the same key takes our nonce at a 5% higher price; the
// real pool refuses ours as an underpriced replacement until the bumps
// outbid it by the pool's 10%.
func TestUnderpricedFirstSendBumpsUntilAccepted(t *testing.T) {
	forEachBackend(t, func(t *testing.T, c *chain) {
		m := c.manager(t, func(cfg *Config) { cfg.ResubmitTimeout = time.Hour })
		ctx := context.Background()
		var other *types.Transaction
		c.backend.setOnSend(func(ours *types.Transaction) (bool, error) {
			if other != nil {
				return true, nil
			}
			o, err := c.signFn()(ctx, c.from, types.NewTx(&types.DynamicFeeTx{
				ChainID: ours.ChainId(), Nonce: ours.Nonce(), Gas: 21000, To: &recipient, Value: big.NewInt(7),
				GasTipCap: bumpPercent(ours.GasTipCap(), 5), GasFeeCap: bumpPercent(ours.GasFeeCap(), 5),
			}))
			if err == nil {
				err = c.node.Client().SendTransaction(ctx, o)
			}
			if err != nil {
				t.Errorf("competing send: %v", err)
			}
			other = o
			return true, nil
		})
		res := sendAsync(ctx, m, transferTo(recipient, 1))
		for range 3 { // refused, refused again after +11%, accepted after +23%
			if _, done := c.idle(t, res); done {
				t.Fatal("returned early")
			}
			c.clock.Advance(time.Second)
		}
		if got := c.sentCount(LabelTransfer, "underpriced"); got != 2 {
			t.Fatalf("underpriced answers = %v, want 2", got)
		}
		r := c.drive(t, res, time.Second)
		if r.err != nil {
			t.Fatal(r.err)
		}
		tx, _, err := c.backend.TransactionByHash(ctx, r.rcpt.TxHash)
		if err != nil || tx.Nonce() != other.Nonce() || tx.Value().Int64() != 1 {
			t.Fatalf("mined %v, %v; want our transfer in place of the other", tx, err)
		}
		if c.sentCount(LabelTransfer, "ok") != 1 || testutil.ToFloat64(c.metrics.replaced) != 0 {
			t.Error("want one accepted send and no replacement of our own")
		}
	})
}

// TestReorgedReceiptIsWaitedFor: the block holding the transaction is
// reorganised away before it has its confirmations; the manager keeps
// waiting and returns the receipt from the new chain.
func TestReorgedReceiptIsWaitedFor(t *testing.T) {
	c := newChain(t)
	m := c.manager(t, func(cfg *Config) { cfg.ConfirmBlocks = 2 })
	ctx := context.Background()
	parent, err := c.backend.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	res := sendAsync(ctx, m, transferTo(recipient, 1))
	if _, done := c.idle(t, res); done {
		t.Fatal("returned early")
	}
	c.node.Commit() // mined in block 1, one confirmation of two
	c.clock.Advance(time.Second)
	if _, done := c.idle(t, res); done {
		t.Fatal("returned with one confirmation")
	}
	first, err := c.backend.TransactionReceipt(ctx, c.backend.sentTxs()[0].Hash())
	if err != nil {
		t.Fatal(err)
	}
	// Fork from the parent with two empty blocks: the transaction goes back
	// to the pool and is mined again on the new chain.
	if err := c.sim.Fork(parent.Hash()); err != nil {
		t.Fatal(err)
	}
	c.node.Commit()
	c.node.Commit()
	c.clock.Advance(time.Second)
	r := c.drive(t, res, time.Second)
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.rcpt.BlockHash == first.BlockHash {
		t.Fatal("returned the receipt of the reorganised block")
	}
	canon, err := c.backend.HeaderByNumber(ctx, r.rcpt.BlockNumber)
	if err != nil || canon.Hash() != r.rcpt.BlockHash {
		t.Fatalf("receipt block %s is not canonical", r.rcpt.BlockHash)
	}
}
