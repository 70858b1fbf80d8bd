package daemon

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/opkit-dev/opkit/contracts/bindings"
	"github.com/opkit-dev/opkit/staking/chain"
	"github.com/opkit-dev/opkit/staking/reward"
	"github.com/opkit-dev/opkit/staking/rounds"
	"github.com/opkit-dev/opkit/staking/txmgr"
)

// Node is what the daemon reads from the node besides contract state:
// heads, nonces and the balance. *ethclient.Client satisfies it.
type Node interface {
	ChainID(ctx context.Context) (*big.Int, error)
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
	NonceAt(ctx context.Context, account common.Address, blockNumber *big.Int) (uint64, error)
	PendingNonceAt(ctx context.Context, account common.Address) (uint64, error)
	BalanceAt(ctx context.Context, account common.Address, blockNumber *big.Int) (*big.Int, error)
}

// Reader reads round and transcoder state for the watcher and the duty,
// each read pinned to one block so that its calls see one state.
type Reader struct {
	node  Node
	chain *chain.Client
}

var (
	_ rounds.Chain = (*Reader)(nil)
	_ reward.Chain = (*Reader)(nil)
)

// NewReader reads through node and c.
func NewReader(node Node, c *chain.Client) *Reader { return &Reader{node: node, chain: c} }

func (r *Reader) HeaderByNumber(ctx context.Context, n *big.Int) (*types.Header, error) {
	return r.node.HeaderByNumber(ctx, n)
}

// pin returns block, or the latest block number.
func (r *Reader) pin(ctx context.Context, block *big.Int) (*big.Int, error) {
	if block != nil {
		return block, nil
	}
	h, err := r.node.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("read head: %w", err)
	}
	return h.Number, nil
}

// RoundState reads the RoundsManager at block (nil: latest).
func (r *Reader) RoundState(ctx context.Context, block *big.Int) (rounds.State, error) {
	block, err := r.pin(ctx, block)
	if err != nil {
		return rounds.State{}, err
	}
	ri, err := r.chain.AtBlock(block).Round(ctx)
	if err != nil {
		return rounds.State{}, fmt.Errorf("at block %s: %w", block, err)
	}
	return rounds.State{Round: ri.Current, StartBlock: ri.StartBlock, Length: ri.Length,
		Initialized: ri.Initialized, Locked: ri.Locked}, nil
}

// Transcoder reads whether addr is active and its last reward round.
func (r *Reader) Transcoder(ctx context.Context, addr common.Address) (reward.Transcoder, error) {
	block, err := r.pin(ctx, nil)
	if err != nil {
		return reward.Transcoder{}, err
	}
	t, err := r.chain.AtBlock(block).Transcoder(ctx, addr)
	if err != nil {
		return reward.Transcoder{}, fmt.Errorf("at block %s: %w", block, err)
	}
	return reward.Transcoder{Active: t.Active, LastRewardRound: t.LastRewardRound}, nil
}

func (r *Reader) NonceAt(ctx context.Context, a common.Address, n *big.Int) (uint64, error) {
	return r.node.NonceAt(ctx, a, n)
}

func (r *Reader) PendingNonceAt(ctx context.Context, a common.Address) (uint64, error) {
	return r.node.PendingNonceAt(ctx, a)
}

func (r *Reader) BalanceAt(ctx context.Context, a common.Address, n *big.Int) (*big.Int, error) {
	return r.node.BalanceAt(ctx, a, n)
}

// Sender adapts the transaction manager to the duty's Sender.
type Sender struct{ M *txmgr.Manager }

var _ reward.Sender = Sender{}

func (s Sender) Send(ctx context.Context, c reward.Call) (*types.Receipt, error) {
	to := c.To
	r, err := s.M.Send(ctx, txmgr.Candidate{To: &to, Data: c.Data, GasLimit: c.GasLimit, Label: c.Label,
		Key: c.Key, Nonce: c.Nonce, OnSigned: c.OnSigned, DeadlineBlock: c.DeadlineBlock})
	if c.Nonce != nil && errors.Is(err, txmgr.ErrNonceConsumed) {
		err = fmt.Errorf("%w: %w", reward.ErrNonceUsed, err)
	}
	return r, err
}

// dutyCalls builds the reward() and initializeRound() calls.
func dutyCalls(c *chain.Client) (rewardCall, initCall reward.Call, err error) {
	rc, err := c.Reward()
	if err != nil {
		return rewardCall, initCall, err
	}
	ic, err := c.InitializeRound()
	if err != nil {
		return rewardCall, initCall, err
	}
	return reward.Call{To: *rc.To, Data: rc.Data, Label: rc.Label}, reward.Call{To: *ic.To, Data: ic.Data, Label: ic.Label}, nil
}

// errNoNotifications is returned by the subscriptions when the node client
// has none (the watcher then polls).
var errNoNotifications = errors.New("node client has no subscriptions")

var (
	_ rounds.HeadSubscriber     = (*Reader)(nil)
	_ rounds.NewRoundSubscriber = (*Reader)(nil)
)

// SubscribeNewHead passes heads through when the node client can subscribe
// (a WebSocket or IPC endpoint); over HTTP the node answers with an error.
func (r *Reader) SubscribeNewHead(ctx context.Context, ch chan<- *types.Header) (ethereum.Subscription, error) {
	s, ok := r.node.(interface {
		SubscribeNewHead(context.Context, chan<- *types.Header) (ethereum.Subscription, error)
	})
	if !ok {
		return nil, errNoNotifications
	}
	return s.SubscribeNewHead(ctx, ch)
}

// SubscribeNewRound subscribes to the RoundsManager's NewRound logs when
// the node client can.
func (r *Reader) SubscribeNewRound(ctx context.Context, ch chan<- types.Log) (ethereum.Subscription, error) {
	s, ok := r.node.(ethereum.LogFilterer)
	if !ok {
		return nil, errNoNotifications
	}
	a, err := bindings.RoundsManagerMetaData.GetAbi()
	if err != nil {
		return nil, fmt.Errorf("parse RoundsManager ABI: %w", err)
	}
	q := ethereum.FilterQuery{
		Addresses: []common.Address{r.chain.Addresses().RoundsManager},
		Topics:    [][]common.Hash{{a.Events["NewRound"].ID}},
	}
	return s.SubscribeFilterLogs(ctx, q, ch)
}

// hintedReward builds rewardWithHint calls with account's place in the pool
// after its reward, so the reward costs the O(1) move.
func hintedReward(c *chain.Client, account common.Address) func(context.Context, uint64) (reward.Call, error) {
	return func(ctx context.Context, round uint64) (reward.Call, error) {
		h, err := c.RewardHint(ctx, account, round)
		if err != nil {
			return reward.Call{}, err
		}
		cand, err := c.RewardWithHint(h)
		if err != nil {
			return reward.Call{}, err
		}
		return reward.Call{To: *cand.To, Data: cand.Data, Label: cand.Label}, nil
	}
}
