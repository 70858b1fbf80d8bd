package claims_test

import (
	"context"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/opkit-dev/opkit/claims"
	"github.com/opkit-dev/opkit/contracts/devnet"
	"github.com/opkit-dev/opkit/staking/txmgr"
)

// lbNode is an RPC endpoint behind a load balancer whose answers to the pending nonce come
// from a node that never saw the account's pooled transactions.
type lbNode struct{ *ethclient.Client }

func (n lbNode) PendingNonceAt(ctx context.Context, a common.Address) (uint64, error) {
	return n.Client.NonceAt(ctx, a, nil)
}

// stallThenMine accepts the first transaction and ends its sender's context (the process
// stops waiting for it; it stays in the pool), then mines every later one.
type stallThenMine struct {
	*ethclient.Client
	dn     *devnet.Devnet
	mu     sync.Mutex
	cancel context.CancelFunc
}

func (s *stallThenMine) SendTransaction(ctx context.Context, tx *types.Transaction) error {
	err := s.Client.SendTransaction(ctx, tx)
	s.mu.Lock()
	cancel := s.cancel
	s.cancel = nil
	s.mu.Unlock()
	if cancel != nil {
		cancel()
		return err
	}
	s.dn.Mine(1) // also after "already known": the pooled one is mined
	return err
}

// TestServiceClaimResentOnlyAtItsNonce: claimWork sits in the pool when its Send gives up;
// behind a load-balanced RPC the pending nonce does not show it, so the next step sees
// nothing in flight and sends claimWork again. The re-send must go out at the nonce the first
// was signed with, so only one of them can be mined: one claim, never two of the same
// segments (a double-claim slash).
func TestServiceClaimResentOnlyAtItsNonce(t *testing.T) {
	w := newWorld(t)
	store := w.openStore(w.storePath(), nil)
	t.Cleanup(func() { _ = store.Close() })
	w.putReceipts(store, 0, 20)
	ctx, cancel := context.WithCancel(w.ctx)
	node := &stallThenMine{Client: w.rpc, dn: w.dn, cancel: cancel}
	signer := types.LatestSignerForChainID(w.chainID)
	txm, err := txmgr.New(txmgr.Config{Backend: node, ChainID: w.chainID, From: addr(w.T),
		Sign: func(_ context.Context, _ common.Address, tx *types.Transaction) (*types.Transaction, error) {
			return types.SignTx(tx, signer, w.T)
		},
		MaxGasPrice: big.NewInt(1e12), PollInterval: 5 * time.Millisecond, ResubmitTimeout: time.Minute,
		Logger: w.log.Named("txmgr")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(txm.Close)
	svc := w.service(store, txm, nil, func(c *claims.Config) { c.Backend = lbNode{w.rpc}; c.ClaimIdle = 0 })
	if _, err := svc.Step(ctx); err == nil {
		t.Fatal("the step whose claimWork was cut off reported no error")
	}
	if _, err := svc.Step(w.ctx); err != nil {
		t.Fatalf("second step: %v", err)
	}
	w.dn.Mine(2)
	if _, err := svc.Step(w.ctx); err != nil {
		t.Fatalf("third step: %v", err)
	}
	j, err := w.jm.GetJob(w.call(), u(w.job))
	if err != nil {
		t.Fatal(err)
	}
	if j.NumClaims != 1 {
		t.Fatalf("%d claims on chain for one range of receipts, want 1", j.NumClaims)
	}
	if got := w.claimsOf(store)[0].State; got != claims.ClaimClaimed && got != claims.ClaimVerified {
		t.Fatalf("claim is %s, want claimed", got)
	}
}
