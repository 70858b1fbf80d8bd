package txmgr

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"go.uber.org/zap"
)

// ETHBackend is the part of an Ethereum JSON-RPC client the manager uses.
// *ethclient.Client and go-ethereum's simulated client satisfy it.
type ETHBackend interface {
	ChainID(ctx context.Context) (*big.Int, error)
	PendingNonceAt(ctx context.Context, account common.Address) (uint64, error)
	NonceAt(ctx context.Context, account common.Address, blockNumber *big.Int) (uint64, error)
	SuggestGasTipCap(ctx context.Context) (*big.Int, error)
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
	EstimateGas(ctx context.Context, call ethereum.CallMsg) (uint64, error)
	SendTransaction(ctx context.Context, tx *types.Transaction) error
	TransactionReceipt(ctx context.Context, txHash common.Hash) (*types.Receipt, error)
	BalanceAt(ctx context.Context, account common.Address, blockNumber *big.Int) (*big.Int, error)
}

// SignFn signs tx as from. The signer returned by package keys provides one.
type SignFn func(ctx context.Context, from common.Address, tx *types.Transaction) (*types.Transaction, error)

// Defaults for the optional Config fields.
const (
	DefaultResubmitTimeout = 60 * time.Second
	DefaultPollInterval    = 2 * time.Second
	DefaultFeeBumpPercent  = 11
	DefaultConfirmBlocks   = 1
	// MinFeeBumpPercent is the smallest bump allowed: geth-compatible pools
	// need at least +10% on both tip and fee cap to accept a replacement.
	MinFeeBumpPercent = 11
	// gasLimitHeadroomPercent is added to estimated gas: the state a contract
	// call reads may change between estimation and inclusion.
	gasLimitHeadroomPercent = 20
)

// Config holds the manager's live dependencies and settings.
type Config struct {
	Backend ETHBackend
	// ChainID signs transactions for this chain. If nil it is read from the
	// backend on the first Send.
	ChainID *big.Int
	// From is the account that sends; Sign must be able to sign for it.
	From common.Address
	Sign SignFn
	// MaxGasPrice is the hard cap on the fee per gas, in wei. No transaction
	// is sent, and no replacement made, with a fee cap above it.
	MaxGasPrice *big.Int
	// ResubmitTimeout is how long a sent transaction may stay unmined before
	// it is replaced with a fee bump.
	ResubmitTimeout time.Duration
	// PollInterval is how often receipts and fees are checked.
	PollInterval time.Duration
	// FeeBumpPercent is the bump of tip and fee cap for a replacement.
	FeeBumpPercent int
	// ConfirmBlocks is how many blocks, counting the one that includes the
	// transaction, must be on the chain before Send returns; 1 returns on
	// inclusion.
	ConfirmBlocks uint64
	// LockDir, when set, makes New take the account's host-wide lock there
	// (see LockAccount; ChainID is then required) and Close release it, so
	// that no two processes on one host manage the account's nonces.
	LockDir string
	// Journal, when set, records every signed transaction before it is
	// published (see Recover and Candidate.Key).
	Journal Journal
	Clock   Clock
	Metrics Metrics
	Logger  *zap.Logger
}

// ErrInvalidConfig is returned by Validate and New for an unusable Config.
var ErrInvalidConfig = errors.New("txmgr: invalid config")

// withDefaults fills unset optional fields.
func (c Config) withDefaults() Config {
	if c.ResubmitTimeout == 0 {
		c.ResubmitTimeout = DefaultResubmitTimeout
	}
	if c.PollInterval == 0 {
		c.PollInterval = DefaultPollInterval
	}
	if c.FeeBumpPercent == 0 {
		c.FeeBumpPercent = DefaultFeeBumpPercent
	}
	if c.ConfirmBlocks == 0 {
		c.ConfirmBlocks = DefaultConfirmBlocks
	}
	if c.Clock == nil {
		c.Clock = SystemClock{}
	}
	if c.Metrics == nil {
		c.Metrics = NoopMetrics{}
	}
	if c.Logger == nil {
		c.Logger = zap.NewNop()
	}
	return c
}

// Validate checks the required fields and the ranges of the settings.
func (c Config) Validate() error {
	switch {
	case c.Backend == nil:
		return fmt.Errorf("%w: no backend", ErrInvalidConfig)
	case c.Sign == nil:
		return fmt.Errorf("%w: no signer", ErrInvalidConfig)
	case c.From == (common.Address{}):
		return fmt.Errorf("%w: no from address", ErrInvalidConfig)
	case c.MaxGasPrice == nil || c.MaxGasPrice.Sign() <= 0:
		return fmt.Errorf("%w: max gas price must be above zero", ErrInvalidConfig)
	case c.ResubmitTimeout < 0:
		return fmt.Errorf("%w: resubmit timeout %v is negative", ErrInvalidConfig, c.ResubmitTimeout)
	case c.PollInterval < 0:
		return fmt.Errorf("%w: poll interval %v is negative", ErrInvalidConfig, c.PollInterval)
	case c.FeeBumpPercent != 0 && c.FeeBumpPercent < MinFeeBumpPercent:
		return fmt.Errorf("%w: fee bump %d%% is below the %d%% a replacement needs",
			ErrInvalidConfig, c.FeeBumpPercent, MinFeeBumpPercent)
	case c.ChainID != nil && c.ChainID.Sign() <= 0:
		return fmt.Errorf("%w: chain id must be above zero", ErrInvalidConfig)
	case c.LockDir != "" && c.ChainID == nil:
		return fmt.Errorf("%w: the account lock needs the chain id", ErrInvalidConfig)
	}
	return nil
}
