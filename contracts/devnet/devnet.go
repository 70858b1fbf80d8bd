package devnet

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"
	"go.uber.org/zap"
)

// ChainID is the chain id of go-ethereum's simulated backend.
const ChainID = 1337

// Config configures a devnet.
type Config struct {
	// RPCAddr is the loopback host:port for JSON-RPC over HTTP; port 0 picks a
	// free port.
	RPCAddr string
	// BlockTime is the interval between blocks. Zero means manual mining:
	// blocks are sealed only by Mine (tests use this to control rounds).
	BlockTime time.Duration
	// RoundLength is the protocol round length in blocks.
	RoundLength uint64
	// Accounts is the number of funded dev accounts (the first deploys).
	Accounts int
	// Dir receives the keystore files, password files and nothing else.
	Dir string
	// EthPerAccount and TokensPerAccount fund each account (whole units).
	EthPerAccount    int64
	TokensPerAccount int64
	Logger           *zap.Logger
}

// Defaults for the devnet command.
const (
	DefaultRPCAddr          = "127.0.0.1:8545"
	DefaultBlockTime        = time.Second
	DefaultRoundLength      = 20
	DefaultAccounts         = 4
	DefaultEthPerAccount    = 1000
	DefaultTokensPerAccount = 10000
)

// ErrInvalidConfig wraps every Config.Validate failure.
var ErrInvalidConfig = errors.New("invalid devnet config")

// Validate checks the config; the devnet only ever listens on loopback.
func (c *Config) Validate() error {
	host, port, err := net.SplitHostPort(c.RPCAddr)
	if err != nil {
		return fmt.Errorf("%w: rpc address %q: %v", ErrInvalidConfig, c.RPCAddr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("%w: rpc address %q is not loopback: the devnet holds unlocked dev keys", ErrInvalidConfig, c.RPCAddr)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return fmt.Errorf("%w: rpc port %q", ErrInvalidConfig, port)
	}
	switch {
	case c.BlockTime < 0:
		return fmt.Errorf("%w: block time %v is negative", ErrInvalidConfig, c.BlockTime)
	case c.RoundLength < 2:
		return fmt.Errorf("%w: round length %d blocks: want at least 2", ErrInvalidConfig, c.RoundLength)
	case c.Accounts < 1 || c.Accounts > 100:
		return fmt.Errorf("%w: accounts %d: want 1 to 100", ErrInvalidConfig, c.Accounts)
	case c.Dir == "":
		return fmt.Errorf("%w: no directory for keystore files", ErrInvalidConfig)
	case c.EthPerAccount < 0 || c.TokensPerAccount < 0:
		return fmt.Errorf("%w: negative funding", ErrInvalidConfig)
	}
	return nil
}

// Devnet is a running embedded chain. Close stops it.
type Devnet struct {
	cfg     Config
	log     *zap.Logger
	backend *simulated.Backend
	rpcURL  string
	keys    []*ecdsa.PrivateKey
	solver  common.Address
	info    Info

	mineMu sync.Mutex // serialises Commit between the ticker and Mine
	stop   context.CancelFunc
	done   chan struct{}
	once   sync.Once
}

// Start launches the chain, serves JSON-RPC, deploys and wires the contracts,
// funds the accounts and writes their keystores. On any failure everything
// already started is torn down.
func Start(ctx context.Context, cfg Config) (_ *Devnet, err error) {
	if cfg.EthPerAccount == 0 {
		cfg.EthPerAccount = DefaultEthPerAccount
	}
	if cfg.TokensPerAccount == 0 {
		cfg.TokensPerAccount = DefaultTokensPerAccount
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	log := cfg.Logger
	if log == nil {
		log = zap.NewNop()
	}
	d := &Devnet{cfg: cfg, log: log, done: make(chan struct{})}
	if d.keys, err = newKeys(cfg.Accounts); err != nil {
		return nil, err
	}
	if err := d.startBackend(); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			_ = d.backend.Close()
		}
	}()
	accounts, err := writeKeystores(cfg.Dir, d.keys)
	if err != nil {
		return nil, err
	}
	contracts, err := d.deployAndFund(ctx)
	if err != nil {
		return nil, err
	}
	d.info = Info{
		RPCURL:      d.rpcURL,
		ChainID:     ChainID,
		BlockTime:   cfg.BlockTime.String(),
		RoundLength: cfg.RoundLength,
		Contracts:   *contracts,
		Accounts:    accounts,
		Solver:      d.solver,
	}
	runCtx, cancel := context.WithCancel(context.Background())
	d.stop = cancel
	go d.mineLoop(runCtx)
	log.Info("devnet started", zap.String("rpc", d.rpcURL), zap.Uint64("round_length", cfg.RoundLength),
		zap.Duration("block_time", cfg.BlockTime), zap.Stringer("controller", contracts.Controller))
	return d, nil
}

// startBackend creates the simulated chain with HTTP JSON-RPC on the
// configured loopback address. go-ethereum panics when the node cannot start
// (for instance, the port is taken); that becomes an error here.
func (d *Devnet) startBackend() (err error) {
	host, port, err := resolvePort(d.cfg.RPCAddr)
	if err != nil {
		return err
	}
	wei := new(big.Int).Mul(big.NewInt(d.cfg.EthPerAccount), big.NewInt(1e18))
	alloc := types.GenesisAlloc{}
	for _, k := range d.keys {
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: new(big.Int).Set(wei)}
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("start simulated chain on %s:%d: %v", host, port, r)
		}
	}()
	d.backend = simulated.NewBackend(alloc,
		simulated.WithBlockGasLimit(60_000_000),
		func(nc *node.Config, _ *ethconfig.Config) {
			nc.HTTPHost = host
			nc.HTTPPort = port
			nc.HTTPModules = []string{"eth", "net", "web3"}
			nc.HTTPVirtualHosts = []string{"localhost", "127.0.0.1"}
		})
	d.rpcURL = fmt.Sprintf("http://%s", net.JoinHostPort(host, strconv.Itoa(port)))
	return nil
}

// resolvePort turns port 0 into a free loopback port.
func resolvePort(addr string) (string, int, error) {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("%w: %v", ErrInvalidConfig, err)
	}
	port, _ := strconv.Atoi(portStr)
	if port != 0 {
		return host, port, nil
	}
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return "", 0, fmt.Errorf("find a free port on %s: %w", host, err)
	}
	port = l.Addr().(*net.TCPAddr).Port
	if err := l.Close(); err != nil {
		return "", 0, fmt.Errorf("find a free port on %s: %w", host, err)
	}
	return host, port, nil
}

// mineLoop seals a block every BlockTime until stopped. With BlockTime zero
// it only waits for Close.
func (d *Devnet) mineLoop(ctx context.Context) {
	defer close(d.done)
	if d.cfg.BlockTime == 0 {
		<-ctx.Done()
		return
	}
	t := time.NewTicker(d.cfg.BlockTime)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			d.Mine(1)
		}
	}
}

// Mine seals n blocks, including any pending transactions in the first.
func (d *Devnet) Mine(n int) {
	d.mineMu.Lock()
	defer d.mineMu.Unlock()
	for range n {
		d.backend.Commit()
	}
}

// Commit seals one block; it lets the devnet serve as a deploy committer.
func (d *Devnet) Commit() common.Hash {
	d.mineMu.Lock()
	defer d.mineMu.Unlock()
	return d.backend.Commit()
}

// Reorg replaces the chain after parent with one new block, sealed shift
// later than it would have been (so its hash differs from the block it
// replaces): a reorganisation, for tests of what follows the chain's head.
func (d *Devnet) Reorg(parent common.Hash, shift time.Duration) error {
	d.mineMu.Lock()
	defer d.mineMu.Unlock()
	if err := d.backend.Fork(parent); err != nil {
		return fmt.Errorf("devnet: fork at %s: %w", parent, err)
	}
	if err := d.backend.AdjustTime(shift); err != nil {
		return fmt.Errorf("devnet: shift time: %w", err)
	}
	d.backend.Commit()
	return nil
}

// Info describes the running devnet, as written to devnet.json.
func (d *Devnet) Info() *Info { info := d.info; return &info }

// RPCURL is the loopback JSON-RPC endpoint.
func (d *Devnet) RPCURL() string { return d.rpcURL }

// Client is an in-process client of the chain.
func (d *Devnet) Client() simulated.Client { return d.backend.Client() }

// Key returns dev account i's private key, for tests and the deployer.
func (d *Devnet) Key(i int) *ecdsa.PrivateKey { return d.keys[i] }

// Close stops block production and the chain. It is safe to call twice.
func (d *Devnet) Close() error {
	var err error
	d.once.Do(func() {
		if d.stop != nil {
			d.stop()
			<-d.done
		}
		err = d.backend.Close()
	})
	return err
}

func newKeys(n int) ([]*ecdsa.PrivateKey, error) {
	keys := make([]*ecdsa.PrivateKey, n)
	for i := range keys {
		k, err := crypto.GenerateKey()
		if err != nil {
			return nil, fmt.Errorf("generate dev key: %w", err)
		}
		keys[i] = k
	}
	return keys, nil
}

// writeKeystores stores each key as a V3 keystore file with a random password
// in a file beside it. Light scrypt parameters keep start-up fast; these are
// throwaway dev keys.
func writeKeystores(dir string, keys []*ecdsa.PrivateKey) ([]Account, error) {
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("keystore dir: %w", err)
	}
	ksDir := filepath.Join(absDir, "keystore")
	if err := os.MkdirAll(ksDir, 0o700); err != nil {
		return nil, fmt.Errorf("create keystore dir: %w", err)
	}
	ks := keystore.NewKeyStore(ksDir, keystore.LightScryptN, keystore.LightScryptP)
	accounts := make([]Account, len(keys))
	for i, k := range keys {
		pw, err := randomPassword()
		if err != nil {
			return nil, err
		}
		addr := crypto.PubkeyToAddress(k.PublicKey)
		acct, err := ks.ImportECDSA(k, pw)
		if errors.Is(err, keystore.ErrAccountAlreadyExists) {
			return nil, fmt.Errorf("keystore %s already holds %s", ksDir, addr.Hex())
		}
		if err != nil {
			return nil, fmt.Errorf("write keystore for %s: %w", addr.Hex(), err)
		}
		pwFile := filepath.Join(absDir, fmt.Sprintf("password-%d.txt", i))
		if err := os.WriteFile(pwFile, []byte(pw+"\n"), 0o600); err != nil {
			return nil, fmt.Errorf("write password file: %w", err)
		}
		accounts[i] = Account{Address: addr, KeystoreFile: acct.URL.Path, PasswordFile: pwFile}
	}
	return accounts, nil
}

func randomPassword() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random password: %w", err)
	}
	return hex.EncodeToString(b), nil
}
