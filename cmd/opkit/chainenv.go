package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/contracts/devnet"
	"github.com/opkit-dev/opkit/staking/chain"
	"github.com/opkit-dev/opkit/staking/connect"
	"github.com/opkit-dev/opkit/staking/keys"
	"github.com/opkit-dev/opkit/staking/txmgr"
)

// chainEnv is a connection to the protocol for one command: the connection
// itself (staking/connect) and the chain flags it was opened with.
type chainEnv struct {
	*connect.Env
	cfg ChainConfig
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
	s := connect.Settings{EthURL: target.ethURL, Controller: target.controller, ChainID: target.chainID,
		Key: target.key, PasswordFile: target.passwordFile, Address: target.address, LockDir: cfg.LockDir,
		MaxGasPrice: cfg.maxGasPriceWei(), ResubmitTimeout: cfg.ResubmitTimeout, PollInterval: cfg.PollInterval,
		ConfirmBlocks: cfg.ConfirmBlocks}
	if cfg.registry != nil {
		s.Registry = cfg.registry
	}
	if target.key != (keys.KeyFile{}) {
		if s.JournalDir, err = cfg.stateDir(); err != nil {
			return nil, err
		}
	}
	env, err := connect.Open(ctx, s, connect.Hooks{Prompt: prompt, Metrics: metrics, Redact: redactErr, Log: log})
	if err != nil {
		return nil, err
	}
	return &chainEnv{Env: env, cfg: cfg}, nil
}

// connectSender connects a long-running command that sends and needs the
// protocol's job contracts: its transaction and RPC metrics go to a new
// registry, returned with the connection. A read-only connection is
// errReadOnly, a chain without a JobsManager chain.ErrNoJobsManager.
func connectSender(ctx context.Context, cc ChainConfig, log *zap.Logger) (*chainEnv, *prometheus.Registry, error) {
	reg := prometheus.NewRegistry()
	cc.registry = reg
	env, err := connectChainWith(ctx, cc, keys.StdPrompter(), txmgr.NewPromMetrics(reg), log)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case env.Txm == nil:
		err = errReadOnly
	case !env.Client.HasJobsManager():
		err = chain.ErrNoJobsManager
	}
	if err != nil {
		env.Close()
		return nil, nil, err
	}
	return env, reg, nil
}

// send sends cand through the transaction manager.
func (e *chainEnv) send(ctx context.Context, cand txmgr.Candidate) (*sentTx, error) {
	if e.Txm == nil {
		return nil, errReadOnly
	}
	r, err := e.Txm.Send(ctx, cand)
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
