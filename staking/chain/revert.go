package chain

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
)

// ErrReverted is wrapped by every *RevertError: the EVM reverted a call or a
// transaction.
var ErrReverted = errors.New("reverted")

// RevertError is a reverted call or transaction with the reason the contract
// gave.
type RevertError struct {
	// Reason is the require/revert message; empty when the revert carried
	// none (then Data may hold a custom error) or it could not be learnt.
	Reason string
	// Data is the raw revert data when it is not an Error(string).
	Data []byte
	// Note says how the reason was found when that matters, e.g. that a
	// mined transaction was replayed at a later block than its own.
	Note string
}

func (e *RevertError) Error() string {
	var b strings.Builder
	b.WriteString("reverted")
	switch {
	case e.Reason != "":
		b.WriteString(": " + strconv.Quote(e.Reason))
	case len(e.Data) > 0:
		b.WriteString(": revert data " + hexutil.Encode(e.Data))
	default:
		b.WriteString(" without a reason")
	}
	if e.Note != "" {
		b.WriteString(" (" + e.Note + ")")
	}
	return b.String()
}

// Is makes errors.Is(err, ErrReverted) hold.
func (e *RevertError) Is(target error) bool { return target == ErrReverted }

// AsRevert returns the revert in a node's answer to eth_call or
// eth_estimateGas ("execution reverted: <reason>", with the revert data as
// the JSON-RPC error's data), or nil when err is no revert.
func AsRevert(err error) *RevertError {
	if err == nil {
		return nil
	}
	var re *RevertError
	if errors.As(err, &re) {
		return re
	}
	var de rpc.DataError
	if errors.As(err, &de) {
		if s, ok := de.ErrorData().(string); ok {
			if data, derr := hexutil.Decode(s); derr == nil && len(data) > 0 {
				if reason, uerr := abi.UnpackRevert(data); uerr == nil {
					return &RevertError{Reason: reason}
				}
				return &RevertError{Data: data}
			}
		}
	}
	msg := err.Error()
	const marker = "execution reverted"
	i := strings.Index(msg, marker)
	if i < 0 {
		return nil
	}
	rest := msg[i+len(marker):]
	if strings.HasPrefix(rest, ": ") {
		return &RevertError{Reason: rest[2:]}
	}
	return &RevertError{}
}

// CallBackend runs eth_call at a block; nil is the latest.
type CallBackend interface {
	CallContract(ctx context.Context, msg ethereum.CallMsg, block *big.Int) ([]byte, error)
}

// ReplayRevert learns why a mined transaction reverted: it replays the call
// with eth_call at the transaction's block, where the reverted transaction
// changed nothing, or at the block before when the node keeps no state at
// that block, or at the latest block as a last resort (the Note says so).
// It returns nil only when ctx ended.
func ReplayRevert(ctx context.Context, b CallBackend, msg ethereum.CallMsg, block *big.Int) *RevertError {
	var tries []*big.Int
	if block != nil {
		tries = append(tries, block)
		if block.Sign() > 0 {
			tries = append(tries, new(big.Int).Sub(block, common.Big1))
		}
	}
	tries = append(tries, nil)
	var errs []string
	for i, at := range tries {
		_, err := b.CallContract(ctx, msg, at)
		if ctx.Err() != nil {
			return nil
		}
		where := "the latest block"
		if at != nil {
			where = "block " + at.String()
		}
		if re := AsRevert(err); re != nil {
			out := *re
			if i > 0 {
				out.Note = fmt.Sprintf("replayed at %s; the node keeps no state at block %s: %s", where, block, errs[0])
			}
			return &out
		}
		if err == nil {
			return &RevertError{Note: fmt.Sprintf("mined in block %s; a replay at %s does not revert", block, where)}
		}
		errs = append(errs, err.Error())
	}
	return &RevertError{Note: "replay failed: " + strings.Join(errs, "; ")}
}
