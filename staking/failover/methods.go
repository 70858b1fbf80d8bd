package failover

import (
	"context"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
)

var _ bind.ContractBackend = (*Client)(nil)

// The calls opkit makes, each failing over. Subscriptions stay on the
// active endpoint: over HTTP nodes refuse them and callers poll.

func (c *Client) ChainID(ctx context.Context) (*big.Int, error) {
	return call(ctx, c, "eth_chainId", func(ctx context.Context, e *ethclient.Client) (*big.Int, error) { return e.ChainID(ctx) })
}

func (c *Client) BlockNumber(ctx context.Context) (uint64, error) {
	return call(ctx, c, "eth_blockNumber", func(ctx context.Context, e *ethclient.Client) (uint64, error) { return e.BlockNumber(ctx) })
}

func (c *Client) HeaderByNumber(ctx context.Context, n *big.Int) (*types.Header, error) {
	return call(ctx, c, "eth_getBlockByNumber", func(ctx context.Context, e *ethclient.Client) (*types.Header, error) {
		return e.HeaderByNumber(ctx, n)
	})
}

func (c *Client) NonceAt(ctx context.Context, a common.Address, n *big.Int) (uint64, error) {
	return call(ctx, c, "eth_getTransactionCount", func(ctx context.Context, e *ethclient.Client) (uint64, error) {
		return e.NonceAt(ctx, a, n)
	})
}

func (c *Client) PendingNonceAt(ctx context.Context, a common.Address) (uint64, error) {
	return call(ctx, c, "eth_getTransactionCount", func(ctx context.Context, e *ethclient.Client) (uint64, error) {
		return e.PendingNonceAt(ctx, a)
	})
}

func (c *Client) BalanceAt(ctx context.Context, a common.Address, n *big.Int) (*big.Int, error) {
	return call(ctx, c, "eth_getBalance", func(ctx context.Context, e *ethclient.Client) (*big.Int, error) {
		return e.BalanceAt(ctx, a, n)
	})
}

func (c *Client) SuggestGasTipCap(ctx context.Context) (*big.Int, error) {
	return call(ctx, c, "eth_maxPriorityFeePerGas", func(ctx context.Context, e *ethclient.Client) (*big.Int, error) {
		return e.SuggestGasTipCap(ctx)
	})
}

func (c *Client) SuggestGasPrice(ctx context.Context) (*big.Int, error) {
	return call(ctx, c, "eth_gasPrice", func(ctx context.Context, e *ethclient.Client) (*big.Int, error) { return e.SuggestGasPrice(ctx) })
}

func (c *Client) EstimateGas(ctx context.Context, m ethereum.CallMsg) (uint64, error) {
	return call(ctx, c, "eth_estimateGas", func(ctx context.Context, e *ethclient.Client) (uint64, error) { return e.EstimateGas(ctx, m) })
}

// SendTransaction hands the same signed transaction to the next endpoint
// when one fails to answer: same bytes, same nonce, so it is never sent
// twice as two transactions.
func (c *Client) SendTransaction(ctx context.Context, tx *types.Transaction) error {
	_, err := call(ctx, c, "eth_sendRawTransaction", func(ctx context.Context, e *ethclient.Client) (struct{}, error) {
		return struct{}{}, e.SendTransaction(ctx, tx)
	})
	return err
}

func (c *Client) TransactionReceipt(ctx context.Context, h common.Hash) (*types.Receipt, error) {
	return call(ctx, c, "eth_getTransactionReceipt", func(ctx context.Context, e *ethclient.Client) (*types.Receipt, error) {
		return e.TransactionReceipt(ctx, h)
	})
}

type txByHash struct {
	tx      *types.Transaction
	pending bool
}

func (c *Client) TransactionByHash(ctx context.Context, h common.Hash) (*types.Transaction, bool, error) {
	r, err := call(ctx, c, "eth_getTransactionByHash", func(ctx context.Context, e *ethclient.Client) (txByHash, error) {
		tx, pending, err := e.TransactionByHash(ctx, h)
		return txByHash{tx, pending}, err
	})
	return r.tx, r.pending, err
}

func (c *Client) CallContract(ctx context.Context, m ethereum.CallMsg, n *big.Int) ([]byte, error) {
	return call(ctx, c, "eth_call", func(ctx context.Context, e *ethclient.Client) ([]byte, error) { return e.CallContract(ctx, m, n) })
}

func (c *Client) PendingCallContract(ctx context.Context, m ethereum.CallMsg) ([]byte, error) {
	return call(ctx, c, "eth_call", func(ctx context.Context, e *ethclient.Client) ([]byte, error) { return e.PendingCallContract(ctx, m) })
}

func (c *Client) CodeAt(ctx context.Context, a common.Address, n *big.Int) ([]byte, error) {
	return call(ctx, c, "eth_getCode", func(ctx context.Context, e *ethclient.Client) ([]byte, error) { return e.CodeAt(ctx, a, n) })
}

func (c *Client) PendingCodeAt(ctx context.Context, a common.Address) ([]byte, error) {
	return call(ctx, c, "eth_getCode", func(ctx context.Context, e *ethclient.Client) ([]byte, error) { return e.PendingCodeAt(ctx, a) })
}

func (c *Client) FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error) {
	return call(ctx, c, "eth_getLogs", func(ctx context.Context, e *ethclient.Client) ([]types.Log, error) { return e.FilterLogs(ctx, q) })
}

func (c *Client) SubscribeFilterLogs(ctx context.Context, q ethereum.FilterQuery, ch chan<- types.Log) (ethereum.Subscription, error) {
	return c.eps[c.Active()].Client.SubscribeFilterLogs(ctx, q, ch)
}

func (c *Client) SubscribeNewHead(ctx context.Context, ch chan<- *types.Header) (ethereum.Subscription, error) {
	return c.eps[c.Active()].Client.SubscribeNewHead(ctx, ch)
}
