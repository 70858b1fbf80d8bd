package daemon_test

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/opkit-dev/opkit/contracts/bindings"
	"github.com/opkit-dev/opkit/contracts/devnet"
	"github.com/opkit-dev/opkit/contracts/devnet/rpcfault"
	"github.com/opkit-dev/opkit/staking/chain"
	"github.com/opkit-dev/opkit/staking/daemon"
	"github.com/opkit-dev/opkit/staking/reward"
	"github.com/opkit-dev/opkit/staking/txmgr"
)

const roundLength = 4

// maxGasPrice is the daemon's cap in the tests: far above the devnet's
// base fee, far below the price the proxy reports in a gas spike.
var maxGasPrice = big.NewInt(50_000_000_000)

type outcome struct {
	gen   uint64
	round uint64
	o     reward.Outcome
	err   error
}

// world is a devnet, a fault proxy in front of it and an operator account.
type world struct {
	t        *testing.T
	log      *zap.Logger
	dev      *devnet.Devnet
	proxy    *rpcfault.Proxy
	client   *ethclient.Client // through the proxy (what the daemon uses)
	direct   *ethclient.Client // straight to the devnet (the test's own reads)
	chainID  *big.Int
	key      *ecdsa.PrivateKey
	acct     common.Address
	chain    *chain.Client // direct
	proto    protocol
	dbPath   string
	journal  string // the transaction journal every daemon generation takes over
	tick     chan time.Time
	outcomes chan outcome
	gen      atomic.Uint64 // daemon generation: outcomes of stopped daemons are ignored
}

func newWorld(t *testing.T, seed uint64, logger *zap.Logger) *world {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dev, err := devnet.Start(ctx, devnet.Config{
		RPCAddr: "127.0.0.1:0", BlockTime: 0, RoundLength: roundLength, Accounts: 3,
		Dir: t.TempDir(), Logger: zap.NewNop(),
	})
	if err != nil {
		t.Fatalf("start devnet: %v", err)
	}
	t.Cleanup(func() {
		if err := dev.Close(); err != nil {
			t.Errorf("close devnet: %v", err)
		}
	})
	w := &world{t: t, log: logger, dev: dev, chainID: big.NewInt(devnet.ChainID),
		key: dev.Key(1), dbPath: filepath.Join(t.TempDir(), "protection.db"),
		journal: filepath.Join(t.TempDir(), "txjournal.db"),
		tick:    make(chan time.Time, 1), outcomes: make(chan outcome, 1024)}
	w.acct = crypto.PubkeyToAddress(w.key.PublicKey)
	if w.proxy, err = rpcfault.New(dev.RPCURL(), w.chainID, seed); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := w.proxy.Close(); err != nil {
			t.Errorf("close RPC proxy: %v", err)
		}
		if _, c := w.proxy.Snapshot(); c["undecodable"] > 0 {
			t.Errorf("the proxy could not decode %d raw transactions", c["undecodable"])
		}
	})
	if w.client, err = ethclient.DialContext(ctx, w.proxy.URL()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.client.Close)
	if w.direct, err = ethclient.DialContext(ctx, dev.RPCURL()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.direct.Close)
	if w.chain, err = chain.Dial(ctx, w.direct, dev.Info().Contracts.Controller); err != nil {
		t.Fatal(err)
	}
	w.proto = newProtocol(t, w.chain)
	return w
}

// protocol is what the tests need to recognise and send duty calls.
type protocol struct {
	chain.Addresses
	RewardData, InitializeData []byte
}

func newProtocol(t *testing.T, c *chain.Client) protocol {
	rc, err1 := c.Reward()
	ic, err2 := c.InitializeRound()
	if err := errors.Join(err1, err2); err != nil {
		t.Fatal(err)
	}
	return protocol{Addresses: c.Addresses(), RewardData: rc.Data, InitializeData: ic.Data}
}

func (w *world) sign(key *ecdsa.PrivateKey) txmgr.SignFn {
	signer := types.LatestSignerForChainID(w.chainID)
	return func(_ context.Context, _ common.Address, tx *types.Transaction) (*types.Transaction, error) {
		return types.SignTx(tx, signer, key)
	}
}

func (w *world) head() uint64 {
	n, err := w.direct.BlockNumber(context.Background())
	if err != nil {
		w.t.Fatal(err)
	}
	return n
}

func (w *world) pokeWatcher() {
	select {
	case w.tick <- time.Now():
	default:
	}
}

// mineTo mines until block n is the head.
func (w *world) mineTo(n uint64) {
	if h := w.head(); h < n {
		w.dev.Mine(int(n - h))
	}
	w.pokeWatcher()
}

// sendMined sends one call with a transaction manager through the proxy and
// mines when it arrives: how the test registers the transcoder.
func (w *world) sendMined(tm *txmgr.Manager, cand txmgr.Candidate) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	type res struct {
		r   *types.Receipt
		err error
	}
	done := make(chan res, 1)
	go func() {
		r, err := tm.Send(ctx, cand)
		done <- res{r, err}
	}()
	for {
		select {
		case <-w.proxy.Sent():
			w.dev.Mine(1)
		case r := <-done:
			if r.err != nil || r.r.Status != types.ReceiptStatusSuccessful {
				w.t.Fatalf("%s: %v (receipt %+v)", cand.Label, r.err, r.r)
			}
			return
		}
	}
}

// register makes the account a bonded, registered transcoder through the
// transaction manager, and mines to the block before the next round.
func (w *world) register() {
	w.t.Helper()
	tm, err := txmgr.New(txmgr.Config{Backend: w.client, ChainID: w.chainID, From: w.acct, Sign: w.sign(w.key),
		MaxGasPrice: maxGasPrice, PollInterval: 10 * time.Millisecond, Logger: w.log.Named("setup")})
	if err != nil {
		w.t.Fatal(err)
	}
	defer tm.Close()
	stake := new(big.Int).Mul(big.NewInt(1000), big.NewInt(1e18))
	approve, err1 := w.chain.ApproveBonding(stake)
	bond, err2 := w.chain.Bond(stake, w.acct)
	reg, err3 := w.chain.RegisterTranscoder(100_000, 500_000)
	initRound, err4 := w.chain.InitializeRound()
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		w.t.Fatal(err)
	}
	w.sendMined(tm, approve)
	// bond and transcoder need an initialized round: initialize a fresh one
	// and fit the three transactions in its 4 blocks.
	w.mineTo(w.nextRoundStart())
	w.sendMined(tm, initRound)
	w.sendMined(tm, bond)
	w.sendMined(tm, reg)
	w.mineTo(w.nextRoundStart() - 1)
}

func (w *world) nextRoundStart() uint64 { return (w.head()/roundLength + 1) * roundLength }

// daemonConfig is the daemon's config in these tests; startDaemon adds the
// connection.
func (w *world) daemonConfig() daemon.Config {
	gen := w.gen.Add(1)
	return daemon.Config{
		Node: w.client, Account: w.acct, DBPath: w.dbPath, InitializeRound: true,
		PollInterval: 50 * time.Millisecond, Tick: w.tick, Logger: w.log,
		OnOutcome: func(r uint64, o reward.Outcome, err error) {
			select {
			case w.outcomes <- outcome{gen, r, o, err}:
			default:
			}
		},
	}
}

// running is a daemon started by startDaemon.
type running struct {
	d       *daemon.Daemon
	txm     *txmgr.Manager
	journal *txmgr.BoltJournal
	cancel  context.CancelFunc
	done    chan error
}

// startDaemon starts a daemon as a fresh process would: new chain client,
// new transaction manager, new registry, the same protection DB.
func (w *world) startDaemon(cfg daemon.Config) *running {
	w.t.Helper()
	return w.startDaemonVia(cfg, w.client)
}

// backend is what a daemon process reaches the chain through.
type backend interface {
	txmgr.ETHBackend
	chain.Backend
	daemon.Node
}

// startDaemonVia is startDaemon reaching the chain through b.
func (w *world) startDaemonVia(cfg daemon.Config, b backend) *running {
	w.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cfg.Registry = prometheus.NewRegistry()
	cfg.Node = b
	journal, err := txmgr.OpenJournal(w.journal)
	if err != nil {
		cancel()
		w.t.Fatal(err)
	}
	txm, err := txmgr.New(txmgr.Config{Backend: b, ChainID: w.chainID, From: w.acct, Sign: w.sign(w.key), Journal: journal,
		MaxGasPrice: maxGasPrice, PollInterval: 10 * time.Millisecond, ResubmitTimeout: 2 * time.Second,
		Metrics: txmgr.NewPromMetrics(cfg.Registry), Logger: w.log})
	if err != nil {
		w.t.Fatal(err)
	}
	// As every sending command does: take over what the last generation
	// left pending.
	if _, err := txm.Recover(); err != nil {
		w.t.Fatal(err)
	}
	cfg.Txm = txm
	var d *daemon.Daemon
	// Startup reads the chain and the proxy may be failing: retry for a
	// while, as systemd's Restart= would.
	for deadline := time.Now().Add(30 * time.Second); ; {
		nctx, ncancel := context.WithTimeout(ctx, 10*time.Second)
		cfg.Chain, err = chain.Dial(nctx, b, w.proto.Controller)
		if err == nil {
			d, err = daemon.New(nctx, cfg)
		}
		ncancel()
		if err == nil || time.Now().After(deadline) {
			break
		}
		w.log.Warn("daemon start failed; retrying", zap.Error(err))
		time.Sleep(20 * time.Millisecond) // restart back-off, not synchronisation
	}
	if err != nil {
		cancel()
		txm.Close()
		_ = journal.Close()
		w.t.Fatalf("start daemon: %v", err)
	}
	r := &running{d: d, txm: txm, journal: journal, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- d.Run(ctx) }()
	w.t.Cleanup(func() { r.stop(w.t) })
	return r
}

func (r *running) stop(t *testing.T) {
	if r.cancel == nil {
		return
	}
	r.cancel()
	r.cancel = nil
	defer func() { _ = r.journal.Close() }() // after the manager: it writes to the journal until closed
	defer r.txm.Close()
	select {
	case err := <-r.done:
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("daemon Run: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("daemon did not stop")
	}
}

// driveRound starts round (mining its first block), mines a block for
// every transaction the proxy forwards, and returns the round's outcome or
// false when budget passes first. It leaves the head where the daemon's
// transactions put it.
func (w *world) driveRound(round uint64, budget time.Duration) (outcome, bool) {
	w.t.Helper()
	w.proxy.SetRound(round)
	w.mineTo(round * roundLength)
	timeout := time.After(budget)
	// Blocks also come when nothing new was sent, as on a real chain: a
	// transaction sent before a restart or a fault window still gets mined.
	blocks := time.NewTicker(100 * time.Millisecond)
	defer blocks.Stop()
	for {
		select {
		case <-blocks.C:
			w.mineIfPending(round)
		case <-w.proxy.Sent():
			w.mineIfPending(round)
		case o := <-w.outcomes:
			if o.round == round && o.gen == w.gen.Load() {
				return o, true
			}
		case <-timeout:
			return outcome{}, false
		}
	}
}

// mineIfPending mines a block if the account has a transaction in the pool
// and the round has a block left for it.
func (w *world) mineIfPending(round uint64) {
	ctx := context.Background()
	latest, err1 := w.direct.NonceAt(ctx, w.acct, nil)
	pending, err2 := w.direct.PendingNonceAt(ctx, w.acct)
	if err := errors.Join(err1, err2); err != nil {
		w.t.Fatal(err)
	}
	if pending > latest && w.head() < (round+1)*roundLength-1 {
		w.dev.Mine(1)
	}
	w.pokeWatcher()
}

// endRound mines to the last block of round.
func (w *world) endRound(round uint64) { w.mineTo((round+1)*roundLength - 1) }

// chainRecord is what the chain says about each round.
type chainRecord struct {
	initBlock   map[uint64]uint64
	rewardBlock map[uint64][]uint64 // round → blocks of our Reward events
}

func (w *world) readChain() chainRecord {
	w.t.Helper()
	ctx := context.Background()
	rec := chainRecord{initBlock: map[uint64]uint64{}, rewardBlock: map[uint64][]uint64{}}
	rf, _ := bindings.NewRoundsManagerFilterer(w.proto.RoundsManager, w.direct)
	it, err := rf.FilterNewRound(&bind.FilterOpts{Context: ctx}, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	for it.Next() {
		rec.initBlock[it.Event.Round.Uint64()] = it.Event.Raw.BlockNumber
	}
	bf, _ := bindings.NewBondingManagerFilterer(w.proto.BondingManager, w.direct)
	rit, err := bf.FilterReward(&bind.FilterOpts{Context: ctx}, []common.Address{w.acct})
	if err != nil {
		w.t.Fatal(err)
	}
	for rit.Next() {
		b := rit.Event.Raw.BlockNumber
		rec.rewardBlock[b/roundLength] = append(rec.rewardBlock[b/roundLength], b)
	}
	return rec
}

func testLogger(t *testing.T) *zap.Logger {
	if testing.Verbose() {
		return zaptest.NewLogger(t, zaptest.Level(zap.InfoLevel))
	}
	return zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel))
}
