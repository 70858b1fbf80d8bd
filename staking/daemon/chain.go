package daemon

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/opkit-dev/opkit/contracts/bindings"
	"github.com/opkit-dev/opkit/staking/reward"
	"github.com/opkit-dev/opkit/staking/rounds"
	"github.com/opkit-dev/opkit/staking/txmgr"
)

// Backend is the JSON-RPC client the daemon runs on: what the transaction
// manager needs plus contract calls. *ethclient.Client satisfies it.
type Backend interface {
	txmgr.ETHBackend
	bind.ContractCaller
}

// ErrNoContract is returned when the Controller does not know a contract.
var ErrNoContract = errors.New("controller has no address for contract")

// Protocol holds the addresses and calldata the duty needs, resolved through
// the Controller.
type Protocol struct {
	Controller     common.Address
	RoundsManager  common.Address
	BondingManager common.Address
	RewardData     []byte
	InitializeData []byte
}

// ResolveProtocol looks the managers up in the Controller.
func ResolveProtocol(ctx context.Context, b Backend, controller common.Address) (Protocol, error) {
	ctrl, err := bindings.NewControllerCaller(controller, b)
	if err != nil {
		return Protocol{}, fmt.Errorf("bind controller: %w", err)
	}
	p := Protocol{Controller: controller}
	for name, dst := range map[string]*common.Address{"RoundsManager": &p.RoundsManager, "BondingManager": &p.BondingManager} {
		addr, err := ctrl.GetContract(&bind.CallOpts{Context: ctx}, crypto.Keccak256Hash([]byte(name)))
		if err != nil {
			return Protocol{}, fmt.Errorf("look up %s in controller %s: %w", name, controller, err)
		}
		if addr == (common.Address{}) {
			return Protocol{}, fmt.Errorf("%w %s (controller %s)", ErrNoContract, name, controller)
		}
		*dst = addr
	}
	if p.RewardData, err = pack(bindings.BondingManagerMetaData, "reward"); err != nil {
		return Protocol{}, err
	}
	if p.InitializeData, err = pack(bindings.RoundsManagerMetaData, "initializeRound"); err != nil {
		return Protocol{}, err
	}
	return p, nil
}

func pack(md *bind.MetaData, method string) ([]byte, error) {
	a, err := md.GetAbi()
	if err != nil {
		return nil, fmt.Errorf("parse ABI for %s: %w", method, err)
	}
	return packABI(a, method)
}

func packABI(a *abi.ABI, method string) ([]byte, error) {
	data, err := a.Pack(method)
	if err != nil {
		return nil, fmt.Errorf("pack %s: %w", method, err)
	}
	return data, nil
}

// Reader reads round and transcoder state for the watcher and the duty.
type Reader struct {
	b       Backend
	rounds  *bindings.RoundsManagerCaller
	bonding *bindings.BondingManagerCaller
}

var (
	_ rounds.Chain = (*Reader)(nil)
	_ reward.Chain = (*Reader)(nil)
)

// NewReader binds the managers of p.
func NewReader(b Backend, p Protocol) (*Reader, error) {
	rm, err := bindings.NewRoundsManagerCaller(p.RoundsManager, b)
	if err != nil {
		return nil, fmt.Errorf("bind rounds manager: %w", err)
	}
	bm, err := bindings.NewBondingManagerCaller(p.BondingManager, b)
	if err != nil {
		return nil, fmt.Errorf("bind bonding manager: %w", err)
	}
	return &Reader{b: b, rounds: rm, bonding: bm}, nil
}

func (r *Reader) HeaderByNumber(ctx context.Context, n *big.Int) (*types.Header, error) {
	return r.b.HeaderByNumber(ctx, n)
}

// pin returns block, or the latest block number so that several reads see
// one state.
func (r *Reader) pin(ctx context.Context, block *big.Int) (*big.Int, error) {
	if block != nil {
		return block, nil
	}
	h, err := r.b.HeaderByNumber(ctx, nil)
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
	opts := &bind.CallOpts{Context: ctx, BlockNumber: block}
	var st rounds.State
	round, err := r.rounds.CurrentRound(opts)
	if err != nil {
		return st, fmt.Errorf("currentRound at block %s: %w", block, err)
	}
	start, err := r.rounds.CurrentRoundStartBlock(opts)
	if err != nil {
		return st, fmt.Errorf("currentRoundStartBlock at block %s: %w", block, err)
	}
	length, err := r.rounds.RoundLength(opts)
	if err != nil {
		return st, fmt.Errorf("roundLength at block %s: %w", block, err)
	}
	initialized, err := r.rounds.CurrentRoundInitialized(opts)
	if err != nil {
		return st, fmt.Errorf("currentRoundInitialized at block %s: %w", block, err)
	}
	locked, err := r.rounds.CurrentRoundLocked(opts)
	if err != nil {
		return st, fmt.Errorf("currentRoundLocked at block %s: %w", block, err)
	}
	return rounds.State{Round: round.Uint64(), StartBlock: start.Uint64(), Length: length.Uint64(),
		Initialized: initialized, Locked: locked}, nil
}

// Transcoder reads whether addr is active and its last reward round, at one
// block.
func (r *Reader) Transcoder(ctx context.Context, addr common.Address) (reward.Transcoder, error) {
	block, err := r.pin(ctx, nil)
	if err != nil {
		return reward.Transcoder{}, err
	}
	opts := &bind.CallOpts{Context: ctx, BlockNumber: block}
	t, err := r.bonding.GetTranscoder(opts, addr)
	if err != nil {
		return reward.Transcoder{}, fmt.Errorf("getTranscoder(%s): %w", addr, err)
	}
	active, err := r.bonding.IsActiveTranscoder(opts, addr)
	if err != nil {
		return reward.Transcoder{}, fmt.Errorf("isActiveTranscoder(%s): %w", addr, err)
	}
	return reward.Transcoder{Active: active, LastRewardRound: t.LastRewardRound.Uint64()}, nil
}

func (r *Reader) NonceAt(ctx context.Context, a common.Address, n *big.Int) (uint64, error) {
	return r.b.NonceAt(ctx, a, n)
}

func (r *Reader) PendingNonceAt(ctx context.Context, a common.Address) (uint64, error) {
	return r.b.PendingNonceAt(ctx, a)
}

func (r *Reader) BalanceAt(ctx context.Context, a common.Address, n *big.Int) (*big.Int, error) {
	return r.b.BalanceAt(ctx, a, n)
}

// Sender adapts the transaction manager to the duty's Sender.
type Sender struct{ M *txmgr.Manager }

var _ reward.Sender = Sender{}

func (s Sender) Send(ctx context.Context, c reward.Call) (*types.Receipt, error) {
	to := c.To
	return s.M.Send(ctx, txmgr.Candidate{To: &to, Data: c.Data, GasLimit: c.GasLimit, Label: c.Label})
}
