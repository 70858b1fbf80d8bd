package main

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strconv"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/contracts/devnet"
	"github.com/opkit-dev/opkit/staking/chain"
	"github.com/opkit-dev/opkit/staking/failover"
	"github.com/opkit-dev/opkit/staking/keys"
	"github.com/opkit-dev/opkit/staking/txmgr"
)

// chainEnv is a connection to the protocol for one command.
type chainEnv struct {
	cfg     ChainConfig
	rpc     *failover.Client
	client  *chain.Client
	chainID *big.Int
	from    common.Address
	// account, lock, txm and journal are nil on a read-only connection.
	account *keys.Account
	lock    *txmgr.AccountLock
	txm     *txmgr.Manager
	journal *txmgr.BoltJournal
}

// errReadOnly is returned by commands that send when no key was given.
var errReadOnly = errors.New("this command sends transactions: give --keystore (or --devnet) to unlock a key")

// connectChain validates the chain flags, unlocks the key, dials the node,
// resolves the contracts from the Controller and builds the transaction
// manager. The caller must Close the result.
func connectChain(ctx context.Context, c *cli.Context, log *zap.Logger) (*chainEnv, error) {
	return connectChainWith(ctx, chainConfigFrom(c), keys.StdPrompter(), txmgr.NoopMetrics{}, log)
}

// connectChainWith is connectChain with the config, password prompter and
// transaction metrics given.
func connectChainWith(ctx context.Context, cfg ChainConfig, prompt keys.Prompter, metrics txmgr.Metrics, log *zap.Logger) (_ *chainEnv, err error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	target, err := resolveTarget(cfg)
	if err != nil {
		return nil, err
	}
	addURLSecrets(target.ethURL) // from now on the logger and alerts hide them
	defer func() { err = redactErr(err) }()
	env := &chainEnv{cfg: cfg, from: target.address}
	if target.key != (keys.KeyFile{}) {
		pw, err := keys.Password(target.passwordFile, prompt, fmt.Sprintf("Password for %s: ", target.key.Address))
		if err != nil {
			return nil, err
		}
		if env.account, err = keys.Unlock(target.key, pw); err != nil {
			return nil, err
		}
		env.from = env.account.Address()
	}
	if env.rpc, err = dialEndpoints(ctx, target.ethURL, cfg.registry, log); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			env.rpc.Close()
		}
	}()
	if env.chainID, err = env.rpc.ChainID(ctx); err != nil {
		return nil, fmt.Errorf("read chain id from %s: %w", redactURLs(target.ethURL), err)
	}
	if target.chainID != 0 && env.chainID.Uint64() != target.chainID {
		return nil, fmt.Errorf("%s serves chain %v, devnet file says %d", redactURLs(target.ethURL), env.chainID, target.chainID)
	}
	if env.client, err = chain.Dial(ctx, env.rpc, target.controller); err != nil {
		return nil, err
	}
	if env.account != nil {
		if err = env.startTxmgr(metrics, log, target.controller); err != nil {
			return nil, err
		}
	}
	log.Debug("connected", zap.String("eth_url", redactURLs(target.ethURL)), zap.Stringer("chain_id", env.chainID),
		zap.Stringer("controller", target.controller), zap.Stringer("account", env.from), zap.Bool("read_only", env.txm == nil))
	return env, nil
}

// txmgrConfig is the transaction manager's config for this connection; the
// daemon passes its own metrics.
func (e *chainEnv) txmgrConfig(metrics txmgr.Metrics, log *zap.Logger) txmgr.Config {
	return txmgr.Config{
		Backend: e.rpc, ChainID: e.chainID, From: e.from, Sign: e.account.SignTx,
		MaxGasPrice:     e.cfg.maxGasPriceWei(),
		ResubmitTimeout: e.cfg.ResubmitTimeout, PollInterval: e.cfg.PollInterval, ConfirmBlocks: e.cfg.ConfirmBlocks,
		Metrics: metrics, Logger: log,
	}
}

// send sends cand through the transaction manager.
func (e *chainEnv) send(ctx context.Context, cand txmgr.Candidate) (*sentTx, error) {
	if e.txm == nil {
		return nil, errReadOnly
	}
	r, err := e.txm.Send(ctx, cand)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cand.Label, err)
	}
	return &sentTx{Label: cand.Label, Hash: r.TxHash, Block: r.BlockNumber.Uint64(), GasUsed: r.GasUsed}, nil
}

// sentTx is one mined transaction, as commands print it.
type sentTx struct {
	Label   string      `json:"label"`
	Hash    common.Hash `json:"tx"`
	Block   uint64      `json:"block"`
	GasUsed uint64      `json:"gas_used"`
}

// Close stops the transaction manager and the RPC client.
func (e *chainEnv) Close() {
	if e.txm != nil {
		e.txm.Close()
	}
	if e.journal != nil {
		_ = e.journal.Close()
	}
	_ = e.lock.Release() // last: nothing of the account is open any more
	e.rpc.Close()
}

// startTxmgr takes the account's lock, opens its journal, builds the
// transaction manager on it and takes over what an earlier run left
// pending. On error the lock is released again.
func (e *chainEnv) startTxmgr(metrics txmgr.Metrics, log *zap.Logger, controller common.Address) (err error) {
	if e.lock, err = lockAccount(e.cfg.LockDir, e.chainID, e.from); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = e.lock.Release()
			e.lock = nil
		}
	}()
	j, err := openJournal(e.cfg, e.chainID, controller, e.from)
	if err != nil {
		return err
	}
	cfg := e.txmgrConfig(metrics, log)
	cfg.Journal = j
	if e.txm, err = txmgr.New(cfg); err != nil {
		return errors.Join(err, j.Close())
	}
	e.journal = j
	if err := recoverPending(e.txm, j, log); err != nil {
		e.txm.Close()
		e.txm, e.journal = nil, nil
		return errors.Join(err, j.Close())
	}
	return nil
}

// target is where the flags point: endpoint, controller, key and password.
type target struct {
	ethURL       string
	controller   common.Address
	chainID      uint64 // from a devnet file; 0 when unknown
	key          keys.KeyFile
	passwordFile string
	address      common.Address // read-only account when key is unset
}

func resolveTarget(cfg ChainConfig) (target, error) {
	if cfg.DevnetFile != "" {
		return devnetTarget(cfg)
	}
	t := target{ethURL: cfg.EthURL, controller: common.HexToAddress(cfg.Controller), passwordFile: cfg.PasswordFile}
	if cfg.Keystore == "" {
		t.address = common.HexToAddress(cfg.Account)
		return t, nil
	}
	kf, err := keys.Find(cfg.Keystore, cfg.Account)
	if err != nil {
		return t, err
	}
	t.key = kf
	return t, nil
}

func devnetTarget(cfg ChainConfig) (target, error) {
	info, err := devnet.LoadInfo(cfg.DevnetFile)
	if err != nil {
		return target{}, err
	}
	acct, err := pickDevnetAccount(info, cfg.Account)
	if err != nil {
		return target{}, err
	}
	kf, err := keys.Find(acct.KeystoreFile, "")
	if err != nil {
		return target{}, err
	}
	pw := acct.PasswordFile
	if cfg.PasswordFile != "" {
		pw = cfg.PasswordFile
	}
	return target{ethURL: info.RPCURL, controller: info.Contracts.Controller, chainID: info.ChainID, key: kf, passwordFile: pw}, nil
}

func pickDevnetAccount(info *devnet.Info, sel string) (devnet.Account, error) {
	if sel == "" {
		return info.Accounts[0], nil
	}
	if common.IsHexAddress(sel) {
		want := common.HexToAddress(sel)
		for _, a := range info.Accounts {
			if a.Address == want {
				return a, nil
			}
		}
		return devnet.Account{}, fmt.Errorf("%w: %s is not a devnet account", keys.ErrNoKey, want)
	}
	i, err := strconv.Atoi(sel)
	if err != nil || i < 0 || i >= len(info.Accounts) {
		return devnet.Account{}, fmt.Errorf("%w: devnet has accounts 0 to %d, not %q", keys.ErrNoKey, len(info.Accounts)-1, sel)
	}
	return info.Accounts[i], nil
}
