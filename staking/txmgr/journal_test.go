package txmgr

import (
	"context"
	"errors"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// staleHead answers the head with a base fee far below the real one, as a
// node stuck on an old block would: what it prices stays in the pool unmined.
type staleHead struct {
	*faultBackend
	stale bool
}

func (b *staleHead) HeaderByNumber(ctx context.Context, n *big.Int) (*types.Header, error) {
	h, err := b.faultBackend.HeaderByNumber(ctx, n)
	if err != nil || n != nil || !b.stale {
		return h, err
	}
	h = types.CopyHeader(h)
	h.BaseFee = new(big.Int).Div(h.BaseFee, big.NewInt(16))
	return h, nil
}

func (c *chain) journal(t *testing.T, path string) *BoltJournal {
	t.Helper()
	j, err := OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = j.Close() })
	return j
}

// TestRestartTakesOverStuckTransaction: a run signs a reward() priced too
// low to be mined and stops (a crash, a restart) with it in the pool. The
// next run's Recover takes it over from the journal, fee-bumps it at the
// same nonce, and it is mined; a later Send is numbered after it, and the
// reward Send repeated with the same key is answered from it, with nothing
// sent twice.
func TestRestartTakesOverStuckTransaction(t *testing.T) {
	c := newChain(t)
	path := filepath.Join(t.TempDir(), "journal.db")
	stale := &staleHead{faultBackend: c.backend, stale: true}
	j1 := c.journal(t, path)
	m1 := c.manager(t, func(cfg *Config) { cfg.Backend = stale; cfg.Journal = j1; cfg.ResubmitTimeout = time.Hour })
	ctx, crash := context.WithCancel(context.Background())
	reward := Candidate{To: &recipient, Value: big.NewInt(1), GasLimit: 21000, Label: LabelReward, Key: "reward/7"}
	res := sendAsync(ctx, m1, reward)
	for range 3 {
		if _, done := c.idle(t, res); done {
			t.Fatal("the underpriced reward returned")
		}
		c.node.Commit()
		c.clock.Advance(time.Second)
	}
	if n, _ := c.backend.NonceAt(context.Background(), c.from, nil); n != 0 {
		t.Fatalf("stale-priced transaction mined (nonce %d)", n)
	}
	crash()
	if r := <-res; !errors.Is(r.err, ErrNotConfirmed) {
		t.Fatalf("stopped Send: %v, want ErrNotConfirmed", r.err)
	}
	m1.Close()
	if err := j1.Close(); err != nil {
		t.Fatal(err)
	}

	j2 := c.journal(t, path)
	m2 := c.manager(t, func(cfg *Config) { cfg.Journal = j2; cfg.ResubmitTimeout = time.Hour })
	t.Cleanup(m2.Close)
	if n, err := m2.Recover(); err != nil || n != 1 {
		t.Fatalf("Recover = %d, %v; want 1 taken over", n, err)
	}
	again := sendAsync(context.Background(), m2, reward)
	later := sendAsync(context.Background(), m2, transferTo(recipient, 2))
	r := c.drive(t, again, time.Second)
	if r.err != nil {
		t.Fatalf("reward after restart: %v", r.err)
	}
	if r2 := c.drive(t, later, time.Second); r2.err != nil {
		t.Fatalf("later Send: %v", r2.err)
	}
	rewards := map[uint64]int{}
	for _, tx := range c.backend.sentTxs() {
		if tx.Value().Int64() == 1 {
			rewards[tx.Nonce()]++
		}
	}
	if len(rewards) != 1 || rewards[0] < 2 {
		t.Fatalf("reward transactions by nonce %v, want the original and a bump, all at nonce 0", rewards)
	}
	mined, _, err := c.backend.TransactionByHash(context.Background(), r.rcpt.TxHash)
	if err != nil || mined.Nonce() != 0 || mined.GasFeeCap().Cmp(c.backend.sentTxs()[0].GasFeeCap()) <= 0 {
		t.Fatalf("mined %v (%v), want the fee-bumped nonce-0 reward", mined, err)
	}
	if got := testutil.ToFloat64(c.metrics.takenOver); got != 1 {
		t.Fatalf("opkit_tx_taken_over_total = %v, want 1", got)
	}
}

// TestKeyedSendIsAnsweredFromItsMinedTransaction: once a keyed Send is
// mined, the same key, in this run or the next, returns that receipt and
// sends nothing.
func TestKeyedSendIsAnsweredFromItsMinedTransaction(t *testing.T) {
	forEachBackend(t, func(t *testing.T, c *chain) {
		path := filepath.Join(t.TempDir(), "journal.db")
		j := c.journal(t, path)
		m := c.manager(t, func(cfg *Config) { cfg.Journal = j })
		claim := Candidate{To: &recipient, Value: big.NewInt(3), GasLimit: 21000, Label: LabelClaimWork, Key: "claim/1/0"}
		first := c.drive(t, sendAsync(context.Background(), m, claim), time.Second)
		if first.err != nil {
			t.Fatal(first.err)
		}
		m.Close()
		m2 := c.manager(t, func(cfg *Config) { cfg.Journal = j })
		defer m2.Close()
		if n, err := m2.Recover(); err != nil || n != 0 {
			t.Fatalf("Recover = %d, %v; want nothing to take over", n, err)
		}
		second := c.drive(t, sendAsync(context.Background(), m2, claim), time.Second)
		if second.err != nil || second.rcpt.TxHash != first.rcpt.TxHash {
			t.Fatalf("repeat: %v, %v; want the first receipt %s", second.rcpt, second.err, first.rcpt.TxHash)
		}
		if n := len(c.backend.sentTxs()); n != 2 { // the first publication, and the repeat's republication
			t.Logf("offered %d", n)
		}
		if n, _ := c.backend.NonceAt(context.Background(), c.from, nil); n != 1 {
			t.Fatalf("account nonce %d, want 1: the claim was sent twice", n)
		}
	})
}

// failingJournal refuses every write.
type failingJournal struct{ Journal }

func (failingJournal) Put(Entry) error            { return errors.New("disk full") }
func (failingJournal) Get(string) (*Entry, error) { return nil, nil }

// TestJournalOrHookFailureRefusesToPublish: a transaction the journal (or
// the caller's OnSigned record) could not keep is never published.
func TestJournalOrHookFailureRefusesToPublish(t *testing.T) {
	cases := []struct {
		name string
		mut  func(*Config, *Candidate)
		want error
	}{
		{"journal", func(cfg *Config, _ *Candidate) { cfg.Journal = failingJournal{} }, ErrJournal},
		{"on signed", func(_ *Config, cand *Candidate) {
			cand.OnSigned = func(*types.Transaction) error { return errProtect }
		}, errProtect},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newChain(t)
			cand := transferTo(recipient, 1)
			m := c.manager(t, func(cfg *Config) { tc.mut(cfg, &cand) })
			r := c.drive(t, sendAsync(context.Background(), m, cand), time.Second)
			if !errors.Is(r.err, tc.want) {
				t.Fatalf("error %v, want %v", r.err, tc.want)
			}
			if n := len(c.backend.sentTxs()); n != 0 {
				t.Fatalf("%d transactions published", n)
			}
			if m.nonce != nil && *m.nonce != 0 {
				t.Fatalf("nonce advanced to %d", *m.nonce)
			}
		})
	}
}

var errProtect = errors.New("protection db unavailable")

// TestOnSignedSeesNonceBeforePublication: the caller's record of the nonce
// happens before the node sees the transaction.
func TestOnSignedSeesNonceBeforePublication(t *testing.T) {
	c := newChain(t)
	m := c.manager(t, nil)
	var seen []uint64
	cand := transferTo(recipient, 1)
	cand.OnSigned = func(tx *types.Transaction) error {
		if n := len(c.backend.sentTxs()); n != 0 {
			t.Errorf("OnSigned after %d publications", n)
		}
		seen = append(seen, tx.Nonce())
		return nil
	}
	if r := c.drive(t, sendAsync(context.Background(), m, cand), time.Second); r.err != nil {
		t.Fatal(r.err)
	}
	if len(seen) != 1 || seen[0] != 0 {
		t.Fatalf("OnSigned saw nonces %v, want [0]", seen)
	}
}

// TestPinnedNonceIsNeverMovedOn: a re-send pinned to a nonce the chain has
// used is refused without a transaction; one still free is sent at it.
func TestPinnedNonceIsNeverMovedOn(t *testing.T) {
	c := newChain(t)
	m := c.manager(t, nil)
	if r := c.drive(t, sendAsync(context.Background(), m, transferTo(recipient, 1)), time.Second); r.err != nil {
		t.Fatal(r.err)
	}
	used, free := uint64(0), uint64(1)
	stale := transferTo(recipient, 2)
	stale.Nonce = &used
	r := c.drive(t, sendAsync(context.Background(), m, stale), time.Second)
	if !errors.Is(r.err, ErrNonceConsumed) {
		t.Fatalf("pinned to a used nonce: %v, want ErrNonceConsumed", r.err)
	}
	if n := len(c.backend.sentTxs()); n != 1 {
		t.Fatalf("%d transactions published, want only the first", n)
	}
	fresh := transferTo(recipient, 3)
	fresh.Nonce = &free
	r = c.drive(t, sendAsync(context.Background(), m, fresh), time.Second)
	if r.err != nil {
		t.Fatal(r.err)
	}
	tx, _, _ := c.backend.TransactionByHash(context.Background(), r.rcpt.TxHash)
	if tx.Nonce() != free {
		t.Fatalf("pinned Send used nonce %d, want %d", tx.Nonce(), free)
	}
}
