package connect

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/opkit-dev/opkit/staking/chain"
	"github.com/opkit-dev/opkit/staking/failover"
	"github.com/opkit-dev/opkit/staking/keys"
	"github.com/opkit-dev/opkit/staking/txmgr"
)

// Settings say where to connect and as whom, as a command's flags resolved them.
type Settings struct {
	// EthURL is one JSON-RPC URL or several, comma-separated, tried in order.
	EthURL     string
	Controller common.Address
	// ChainID, when not 0, is the chain the endpoints must serve (a devnet file's).
	ChainID uint64
	// Key is the account's keystore file; the zero value connects read-only
	// as Address.
	Key          keys.KeyFile
	PasswordFile string
	Address      common.Address
	// JournalDir and LockDir hold the account's transaction journal and its
	// host-wide lock; used only with a Key.
	JournalDir, LockDir string
	// Transaction manager settings.
	MaxGasPrice     *big.Int
	ResubmitTimeout time.Duration
	PollInterval    time.Duration
	ConfirmBlocks   uint64
	// Registry, when set, receives the failover client's metrics.
	Registry prometheus.Registerer
}

// Hooks are what the command lends the connection.
type Hooks struct {
	Prompt  keys.Prompter     // asks for the key's password when there is no file
	Metrics txmgr.Metrics     // the transaction manager's
	Redact  func(error) error // hides secrets a dial error may quote
	Log     *zap.Logger
}

// Env is a connection to the protocol for one command.
type Env struct {
	RPC     *failover.Client
	Client  *chain.Client
	ChainID *big.Int
	From    common.Address
	// Account, Lock, Txm and Journal are nil on a read-only connection.
	Account *keys.Account
	Lock    *txmgr.AccountLock
	Txm     *txmgr.Manager
	Journal *txmgr.BoltJournal

	settings Settings
}

// Open unlocks the key, dials the endpoints, resolves the contracts from
// the Controller and, with a key, takes the account's lock, opens its
// journal and starts the transaction manager on it. The caller Closes it.
func Open(ctx context.Context, s Settings, h Hooks) (_ *Env, err error) {
	if h.Redact == nil {
		h.Redact = func(err error) error { return err }
	}
	env := &Env{From: s.Address, settings: s}
	if s.Key != (keys.KeyFile{}) {
		pw, err := keys.Password(s.PasswordFile, h.Prompt, fmt.Sprintf("Password for %s: ", s.Key.Address))
		if err != nil {
			return nil, err
		}
		if env.Account, err = keys.Unlock(s.Key, pw); err != nil {
			return nil, err
		}
		env.From = env.Account.Address()
	}
	if env.RPC, err = dialEndpoints(ctx, s.EthURL, s.Registry, h.Redact, h.Log); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			env.RPC.Close()
		}
	}()
	if env.ChainID, err = env.RPC.ChainID(ctx); err != nil {
		return nil, fmt.Errorf("read chain id from %s: %w", RedactURLs(s.EthURL), err)
	}
	if s.ChainID != 0 && env.ChainID.Uint64() != s.ChainID {
		return nil, fmt.Errorf("%s serves chain %v, devnet file says %d", RedactURLs(s.EthURL), env.ChainID, s.ChainID)
	}
	if env.Client, err = chain.Dial(ctx, env.RPC, s.Controller); err != nil {
		return nil, err
	}
	if env.Account != nil {
		if err = env.startTxmgr(h.Metrics, h.Log); err != nil {
			return nil, err
		}
	}
	h.Log.Debug("connected", zap.String("eth_url", RedactURLs(s.EthURL)), zap.Stringer("chain_id", env.ChainID),
		zap.Stringer("controller", s.Controller), zap.Stringer("account", env.From), zap.Bool("read_only", env.Txm == nil))
	return env, nil
}

// TxmgrConfig is the transaction manager's config for this connection.
func (e *Env) TxmgrConfig(metrics txmgr.Metrics, log *zap.Logger) txmgr.Config {
	s := e.settings
	return txmgr.Config{
		Backend: e.RPC, ChainID: e.ChainID, From: e.From, Sign: e.Account.SignTx,
		MaxGasPrice: s.MaxGasPrice, ResubmitTimeout: s.ResubmitTimeout, PollInterval: s.PollInterval, ConfirmBlocks: s.ConfirmBlocks,
		Metrics: metrics, Logger: log,
	}
}

// Close stops the transaction manager, closes the journal, releases the
// lock and closes the endpoints.
func (e *Env) Close() {
	if e.Txm != nil {
		e.Txm.Close()
	}
	if e.Journal != nil {
		_ = e.Journal.Close()
	}
	_ = e.Lock.Release() // last: nothing of the account is open any more
	e.RPC.Close()
}

// startTxmgr takes the account's lock, opens its journal, builds the
// transaction manager on it and takes over what an earlier run left
// pending. On error the lock is released again.
func (e *Env) startTxmgr(metrics txmgr.Metrics, log *zap.Logger) (err error) {
	s := e.settings
	if e.Lock, err = LockAccount(s.LockDir, e.ChainID, e.From); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = e.Lock.Release()
			e.Lock = nil
		}
	}()
	j, err := openJournal(s.JournalDir, e.ChainID, s.Controller, e.From)
	if err != nil {
		return err
	}
	cfg := e.TxmgrConfig(metrics, log)
	cfg.Journal = j
	if e.Txm, err = txmgr.New(cfg); err != nil {
		return errors.Join(err, j.Close())
	}
	e.Journal = j
	if err := recoverPending(e.Txm, j, log); err != nil {
		e.Txm.Close()
		e.Txm, e.Journal = nil, nil
		return errors.Join(err, j.Close())
	}
	return nil
}
