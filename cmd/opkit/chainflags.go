package main

import (
	"errors"
	"fmt"
	"math/big"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/urfave/cli/v2"

	"github.com/opkit-dev/opkit/staking/amount"
	"github.com/opkit-dev/opkit/staking/connect"
	"github.com/opkit-dev/opkit/staking/txmgr"
)

// Names of the chain flags shared by every chain command.
const (
	flagChainDevnet       = "devnet"
	flagChainAccount      = "account"
	flagChainEthURL       = "eth-url"
	flagChainController   = "controller"
	flagChainKeystore     = "keystore"
	flagChainPasswordFile = "password-file"
	flagChainMaxGasPrice  = "max-gas-price"
	flagChainJSON         = "json"
	flagChainTxResubmit   = "tx-resubmit-timeout"
	flagChainTxPoll       = "tx-poll-interval"
	flagChainTxConfirm    = "tx-confirm-blocks"
)

// envVar is the one environment variable of a flag: OPKIT_ and the flag name
// in upper case with dashes as underscores.
func envVar(flag string) string {
	return "OPKIT_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// ChainConfig is what the chain flags fill: plain values, checked by
// Validate, turned into live clients by connectChain.
type ChainConfig struct {
	// DevnetFile is a devnet.json written by `opkit devnet`; it replaces
	// EthURL, Controller and Keystore, and supplies the password files.
	DevnetFile string
	// Account selects the key: a keystore index, an address, or empty for the
	// first. An address with no keystore gives a read-only connection.
	Account      string
	EthURL       string
	Controller   string
	Keystore     string // a keystore directory or one key file
	PasswordFile string
	// MaxGasPrice is the hard cap on the fee per gas, in gwei (decimals
	// allowed, e.g. "0.1").
	MaxGasPrice     string
	JSON            bool
	ResubmitTimeout time.Duration
	PollInterval    time.Duration
	ConfirmBlocks   uint64
	// StateDir holds the transaction journal (see stateDir for the default).
	StateDir string
	// MaxGasPriceVerify caps slash-avoiding sends (verify), in gwei.
	MaxGasPriceVerify string
	// LockDir holds the account locks, one per chain and account for the
	// whole host whatever the user's $HOME (see accountlock.go).
	LockDir string
	// registry, set by long-running commands, receives the RPC failover
	// metrics; it is not a flag.
	registry prometheus.Registerer
}

// defaultChainConfig holds every default of the chain flags. 20 gwei is far
// above what Arbitrum One charges (about 0.01 gwei) and a normal Ethereum
// base fee, so it only bites in a fee spike, where it caps the cost of one
// reward() call (about 350k gas) at 0.007 ETH.
var defaultChainConfig = ChainConfig{
	MaxGasPrice:       "20",
	MaxGasPriceVerify: defaultMaxGasPriceVerify,
	ResubmitTimeout:   txmgr.DefaultResubmitTimeout,
	PollInterval:      txmgr.DefaultPollInterval,
	ConfirmBlocks:     txmgr.DefaultConfirmBlocks,
	LockDir:           defaultLockDir,
}

// chainFlags returns the flag set every chain command takes.
func chainFlags() []cli.Flag {
	d := defaultChainConfig
	return []cli.Flag{
		&cli.StringFlag{Name: flagChainDevnet, Usage: "devnet.json from `opkit devnet`: chain, contracts and dev accounts in one file", EnvVars: []string{envVar(flagChainDevnet)}},
		&cli.StringFlag{Name: flagChainAccount, Usage: "account: keystore `INDEX` or ADDRESS (default: the first key)", EnvVars: []string{envVar(flagChainAccount)}},
		&cli.StringFlag{Name: flagChainEthURL, Usage: "Ethereum JSON-RPC `URL` (http, https, ws or wss); several, comma-separated, are fallbacks tried in order", EnvVars: []string{envVar(flagChainEthURL)}},
		&cli.StringFlag{Name: flagChainController, Usage: "protocol Controller contract `ADDRESS`", EnvVars: []string{envVar(flagChainController)}},
		&cli.StringFlag{Name: flagChainKeystore, Usage: "V3 keystore `DIR` or key file", EnvVars: []string{envVar(flagChainKeystore)}},
		&cli.StringFlag{Name: flagChainPasswordFile, Usage: "`FILE` holding the key's password (one trailing newline ignored); without it opkit prompts", EnvVars: []string{envVar(flagChainPasswordFile)}},
		&cli.StringFlag{Name: flagChainMaxGasPrice, Value: d.MaxGasPrice, Usage: "hard cap on the fee per gas, in `GWEI` (decimals allowed); transactions above it wait", EnvVars: []string{envVar(flagChainMaxGasPrice)}},
		&cli.BoolFlag{Name: flagChainJSON, Usage: "print results as JSON on stdout", EnvVars: []string{envVar(flagChainJSON)}},
		&cli.DurationFlag{Name: flagChainTxResubmit, Value: d.ResubmitTimeout, Usage: "replace a transaction unmined this long with a fee bump", EnvVars: []string{envVar(flagChainTxResubmit)}},
		&cli.DurationFlag{Name: flagChainTxPoll, Value: d.PollInterval, Usage: "how often to check receipts and fees", EnvVars: []string{envVar(flagChainTxPoll)}},
		&cli.Uint64Flag{Name: flagChainTxConfirm, Value: d.ConfirmBlocks, Usage: "blocks, counting the including one, before a transaction counts as done", EnvVars: []string{envVar(flagChainTxConfirm)}},
		&cli.StringFlag{Name: flagChainStateDir, Usage: "`DIR` of the transaction journal (default: the devnet's directory with --devnet, else ~/.opkit)", EnvVars: []string{envVar(flagChainStateDir)}},
		&cli.StringFlag{Name: flagChainMaxGasPriceVerify, Value: d.MaxGasPriceVerify, Usage: "cap on the fee per gas of verify(), in `GWEI`: a missed verification is slashed", EnvVars: []string{envVar(flagChainMaxGasPriceVerify)}},
		lockDirFlag(d.LockDir),
	}
}

// chainConfigFrom reads the chain flags.
func chainConfigFrom(c *cli.Context) ChainConfig {
	return ChainConfig{
		DevnetFile:        c.String(flagChainDevnet),
		Account:           accountFrom(c),
		EthURL:            c.String(flagChainEthURL),
		Controller:        c.String(flagChainController),
		Keystore:          c.String(flagChainKeystore),
		PasswordFile:      c.String(flagChainPasswordFile),
		MaxGasPrice:       c.String(flagChainMaxGasPrice),
		JSON:              c.Bool(flagChainJSON),
		ResubmitTimeout:   c.Duration(flagChainTxResubmit),
		PollInterval:      c.Duration(flagChainTxPoll),
		ConfirmBlocks:     c.Uint64(flagChainTxConfirm),
		StateDir:          c.String(flagChainStateDir),
		MaxGasPriceVerify: c.String(flagChainMaxGasPriceVerify),
		LockDir:           c.String(flagChainLockDir),
	}
}

// accountFrom reads --account. Where it may repeat (`opkit daemon`, a
// string slice) its values come joined with commas, and the command splits
// them; a single value is the same either way.
func accountFrom(c *cli.Context) string {
	if _, ok := c.Value(flagChainAccount).(cli.StringSlice); ok {
		return strings.Join(c.StringSlice(flagChainAccount), ",")
	}
	return c.String(flagChainAccount)
}

// errChainConfig is wrapped by every ChainConfig.Validate failure.
var errChainConfig = errors.New("invalid chain flags")

func chainConfigErr(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errChainConfig}, args...)...)
}

// Validate checks the values without touching the network or the disk.
func (c ChainConfig) Validate() error {
	if c.DevnetFile != "" {
		if c.EthURL != "" || c.Controller != "" || c.Keystore != "" {
			return chainConfigErr("--%s replaces --%s, --%s and --%s; give one or the other",
				flagChainDevnet, flagChainEthURL, flagChainController, flagChainKeystore)
		}
	} else {
		if c.EthURL == "" || c.Controller == "" {
			return chainConfigErr("give --%s, or --%s and --%s", flagChainDevnet, flagChainEthURL, flagChainController)
		}
		urls := connect.URLs(c.EthURL)
		for i, u := range urls {
			if !connect.ValidURL(u) {
				return chainConfigErr("--%s: URL %d of %d: want an http(s) or ws(s) URL with a host (the value is not echoed: it may hold a key)", flagChainEthURL, i+1, len(urls))
			}
		}
		if len(urls) == 0 {
			return chainConfigErr("--%s is empty", flagChainEthURL)
		}
		if !common.IsHexAddress(c.Controller) {
			return chainConfigErr("--%s %q is not an address", flagChainController, c.Controller)
		}
		if c.Keystore == "" && !common.IsHexAddress(c.Account) {
			return chainConfigErr("give --%s, or an --%s address for read-only use", flagChainKeystore, flagChainAccount)
		}
	}
	if c.Account != "" && !common.IsHexAddress(c.Account) {
		if i, err := strconv.Atoi(c.Account); err != nil || i < 0 {
			return chainConfigErr("--%s %q: want an index or an address", flagChainAccount, c.Account)
		}
	}
	capWei, err := amount.ParseGwei(c.MaxGasPrice)
	if err != nil || capWei.Sign() == 0 {
		return chainConfigErr("--%s %q: want a positive number of gwei", flagChainMaxGasPrice, c.MaxGasPrice)
	}
	verifyWei, err := amount.ParseGwei(c.MaxGasPriceVerify)
	if err != nil || verifyWei.Cmp(capWei) < 0 {
		return chainConfigErr("--%s %q: want gwei at least --%s (%s)", flagChainMaxGasPriceVerify, c.MaxGasPriceVerify, flagChainMaxGasPrice, c.MaxGasPrice)
	}
	switch {
	case c.ResubmitTimeout <= 0:
		return chainConfigErr("--%s must be positive", flagChainTxResubmit)
	case c.PollInterval <= 0:
		return chainConfigErr("--%s must be positive", flagChainTxPoll)
	case c.PollInterval > c.ResubmitTimeout:
		return chainConfigErr("--%s %v is longer than --%s %v", flagChainTxPoll, c.PollInterval, flagChainTxResubmit, c.ResubmitTimeout)
	case c.ConfirmBlocks == 0:
		return chainConfigErr("--%s must be at least 1", flagChainTxConfirm)
	case !filepath.IsAbs(c.LockDir):
		return chainConfigErr("--%s %q: want an absolute directory, the same for every opkit process on the host", flagChainLockDir, c.LockDir)
	}
	return nil
}

// maxGasPriceWei is the validated cap in wei.
func (c ChainConfig) maxGasPriceWei() *big.Int {
	v, _ := amount.ParseGwei(c.MaxGasPrice)
	return v
}
