package claims_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"fmt"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/opkit-dev/opkit/claims"
	"github.com/opkit-dev/opkit/contracts/bindings"
	"github.com/opkit-dev/opkit/contracts/deploy"
	"github.com/opkit-dev/opkit/contracts/devnet"
	"github.com/opkit-dev/opkit/staking/txmgr"
)

const (
	roundLength = 10
	feeShare    = 400_000 // ppm of fees to delegators
	streamID    = "claimsd-e2e"
)

var (
	price    = big.NewInt(1e12) // wei per segment and profile
	deposit  = big.NewInt(1e18)
	profiles = []string{"P720p30fps16x9", "P360p30fps16x9"}
)

// world is a devnet over HTTP JSON-RPC with the protocol deployed, a registered and active
// transcoder T (account 1), a broadcaster B (account 2) with a deposit and a job elected to T,
// and a trusted solver S (account 3). Blocks are mined only when a transaction is sent through
// the automining backend or the test mines them.
type world struct {
	t       *testing.T
	ctx     context.Context
	dn      *devnet.Devnet
	rpc     *ethclient.Client
	chainID *big.Int
	addrs   devnet.Contracts
	jm      *bindings.JobsManager
	ver     *bindings.Verifier
	bm      *bindings.BondingManager
	rm      *bindings.RoundsManager
	owner   *ecdsa.PrivateKey
	T, B, S *ecdsa.PrivateKey
	job     uint64
	log     *zap.Logger
}

func addr(k *ecdsa.PrivateKey) common.Address { return crypto.PubkeyToAddress(k.PublicKey) }

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	log := zaptest.NewLogger(t)
	dn, err := devnet.Start(ctx, devnet.Config{RPCAddr: "127.0.0.1:0", BlockTime: 0, RoundLength: roundLength,
		Accounts: 4, Dir: t.TempDir(), Logger: log.Named("devnet")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dn.Close() })
	rpc, err := ethclient.DialContext(ctx, dn.RPCURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rpc.Close)
	info := dn.Info()
	w := &world{t: t, ctx: ctx, dn: dn, rpc: rpc, chainID: new(big.Int).SetUint64(info.ChainID), addrs: info.Contracts,
		owner: dn.Key(0), T: dn.Key(1), B: dn.Key(2), S: dn.Key(3), log: log}
	w.jm, _ = bindings.NewJobsManager(w.addrs.JobsManager, rpc)
	w.ver, _ = bindings.NewVerifier(w.addrs.Verifier, rpc)
	w.bm, _ = bindings.NewBondingManager(w.addrs.BondingManager, rpc)
	tok, _ := bindings.NewLivepeerToken(w.addrs.Token, rpc)
	w.rm, _ = bindings.NewRoundsManager(w.addrs.RoundsManager, rpc)
	rm := w.rm

	initRound := func() {
		r0, _ := rm.CurrentRound(w.call())
		for r, _ := rm.CurrentRound(w.call()); r.Cmp(r0) == 0; r, _ = rm.CurrentRound(w.call()) {
			dn.Mine(1)
		}
		w.tx(w.owner, rm.InitializeRound)
	}
	stake := deploy.LPT(100)
	initRound()
	w.tx(w.T, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return tok.Approve(o, w.addrs.BondingManager, stake)
	})
	w.tx(w.T, func(o *bind.TransactOpts) (*types.Transaction, error) { return w.bm.Bond(o, stake, addr(w.T)) })
	w.tx(w.T, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.bm.Transcoder(o, big.NewInt(100_000), big.NewInt(feeShare))
	})
	initRound()
	w.tx(w.T, func(o *bind.TransactOpts) (*types.Transaction, error) { return w.jm.SetPricePerSegment(o, price) })
	w.tx(w.owner, func(o *bind.TransactOpts) (*types.Transaction, error) { return w.ver.SetSolver(o, addr(w.S), true) })
	w.tx(w.B, func(o *bind.TransactOpts) (*types.Transaction, error) { o.Value = deposit; return w.jm.Deposit(o) })
	end := w.head() + 1000
	r := w.tx(w.B, func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.jm.Job(o, streamID, claims.TranscodingOptions(profiles...), price, new(big.Int).SetUint64(end))
	})
	for _, l := range r.Logs {
		if ev, err := w.jm.ParseNewJob(*l); err == nil {
			w.job = ev.JobId.Uint64()
		}
	}
	j, err := w.jm.GetJob(w.call(), new(big.Int).SetUint64(w.job))
	if err != nil || j.Transcoder != addr(w.T) {
		t.Fatalf("job %d: transcoder %s, %v; want T %s", w.job, j.Transcoder, err, addr(w.T))
	}
	return w
}

func (w *world) call() *bind.CallOpts { return &bind.CallOpts{Context: w.ctx} }

func (w *world) head() uint64 {
	n, err := w.rpc.BlockNumber(w.ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	return n
}

func (w *world) mineTo(block uint64) {
	if h := w.head(); h < block {
		w.dn.Mine(int(block - h))
	}
}

// tx sends a transaction from key, mines it and requires success.
func (w *world) tx(key *ecdsa.PrivateKey, send func(*bind.TransactOpts) (*types.Transaction, error)) *types.Receipt {
	w.t.Helper()
	o, err := bind.NewKeyedTransactorWithChainID(key, w.chainID)
	if err != nil {
		w.t.Fatal(err)
	}
	o.Context, o.GasLimit = w.ctx, 5_000_000
	tx, err := send(o)
	if err != nil {
		w.t.Fatal(err)
	}
	w.dn.Mine(1)
	r, err := w.rpc.TransactionReceipt(w.ctx, tx.Hash())
	if err != nil || r.Status != types.ReceiptStatusSuccessful {
		w.t.Fatalf("transaction %s: receipt %+v, %v", tx.Hash(), r, err)
	}
	return r
}

// automine is the transaction manager's backend: the devnet's JSON-RPC, sealing a block after
// every transaction it accepts, as a chain with a block producer would soon after.
type automine struct {
	*ethclient.Client
	dn *devnet.Devnet
}

func (a automine) SendTransaction(ctx context.Context, tx *types.Transaction) error {
	if err := a.Client.SendTransaction(ctx, tx); err != nil {
		return err
	}
	a.dn.Mine(1)
	return nil
}

// txm is a transaction manager for T over the automining backend.
func (w *world) txm() *txmgr.Manager {
	w.t.Helper()
	return w.txmWith(nil)
}

// txmWith is txm with the account's transactions kept in journal (nil: none); a journal
// left by an earlier manager is taken over.
func (w *world) txmWith(journal txmgr.Journal) *txmgr.Manager {
	w.t.Helper()
	signer := types.LatestSignerForChainID(w.chainID)
	m, err := txmgr.New(txmgr.Config{Backend: automine{w.rpc, w.dn}, ChainID: w.chainID, From: addr(w.T),
		Sign: func(_ context.Context, _ common.Address, tx *types.Transaction) (*types.Transaction, error) {
			return types.SignTx(tx, signer, w.T)
		},
		MaxGasPrice: big.NewInt(1e12), PollInterval: 5 * time.Millisecond, ResubmitTimeout: time.Minute,
		Journal: journal, Logger: w.log.Named("txmgr")})
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(m.Close)
	if journal != nil {
		if _, err := m.Recover(); err != nil {
			w.t.Fatalf("take over the journal: %v", err)
		}
	}
	return m
}

// renditionHashes are the output hashes the transcoder reports for segment seg, ladder order.
func renditionHashes(seg uint64) [][]byte {
	out := make([][]byte, len(profiles))
	for i, p := range profiles {
		h := sha256.Sum256([]byte(fmt.Sprintf("%s %s %d", streamID, p, seg)))
		out[i] = h[:]
	}
	return out
}

// putReceipts stores n receipts of the job from segment first, signed by B, as the transcoder
// hands them over.
func (w *world) putReceipts(s claims.ReceiptSink, first uint64, n int) {
	w.t.Helper()
	for seg := first; seg < first+uint64(n); seg++ {
		hs := renditionHashes(seg)
		r := claims.NewReceipt(streamID, seg, []byte(fmt.Sprintf("source bytes of segment %d", seg)), hs, nil)
		sig, err := claims.SignSegment(w.B, r.SegmentHash())
		if err != nil {
			w.t.Fatal(err)
		}
		r.BroadcasterSig = sig
		if err := s.Put(w.job, r, hs); err != nil {
			w.t.Fatal(err)
		}
	}
}

func (w *world) openStore(path string, now func() time.Time) *claims.Store {
	w.t.Helper()
	s, err := claims.OpenStore(path, claims.StoreOptions{Now: now})
	if err != nil {
		w.t.Fatal(err)
	}
	return s
}

func (w *world) storePath() string { return filepath.Join(w.t.TempDir(), "claims.db") }

// solve answers every unanswered verification request: the solver recomputes the
// transcodedDataHash of the segment from the renditions and passes it when it matches.
func (w *world) solve(from uint64) int {
	w.t.Helper()
	it, err := w.ver.FilterVerificationRequested(&bind.FilterOpts{Start: from, Context: w.ctx}, nil, nil, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	defer it.Close()
	n := 0
	for it.Next() {
		ev := it.Event
		pass := common.Hash(ev.TranscodedDataHash) == claims.TranscodedDataHash(renditionHashes(ev.SegmentNumber.Uint64())...)
		w.tx(w.S, func(o *bind.TransactOpts) (*types.Transaction, error) {
			return w.ver.SubmitResult(o, ev.RequestId, pass)
		})
		n++
	}
	if err := it.Error(); err != nil {
		w.t.Fatal(err)
	}
	return n
}

// txCount counts T's transactions to the JobsManager calling method, mined or reverted.
func (w *world) txCount(method string) int {
	w.t.Helper()
	a, _ := bindings.JobsManagerMetaData.GetAbi()
	sel := a.Methods[method].ID
	n := 0
	signer := types.LatestSignerForChainID(w.chainID)
	for b := uint64(0); b <= w.head(); b++ {
		blk, err := w.rpc.BlockByNumber(w.ctx, new(big.Int).SetUint64(b))
		if err != nil {
			w.t.Fatal(err)
		}
		for _, tx := range blk.Transactions() {
			from, _ := types.Sender(signer, tx)
			if tx.To() != nil && *tx.To() == w.addrs.JobsManager && from == addr(w.T) && bytes.HasPrefix(tx.Data(), sel) {
				n++
			}
		}
	}
	return n
}
