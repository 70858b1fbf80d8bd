package stake

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/opkit-dev/opkit/staking/chain"
)

// rpcRevert is a node's JSON-RPC answer to a reverting call: the message
// and the revert data.
type rpcRevert struct {
	msg  string
	data string
}

func (e rpcRevert) Error() string          { return e.msg }
func (e rpcRevert) ErrorCode() int         { return 3 }
func (e rpcRevert) ErrorData() interface{} { return e.data }

// errorString is the ABI encoding of Error(reason).
func errorString(t *testing.T, reason string) string {
	t.Helper()
	typ, _ := abi.NewType("string", "", nil)
	packed, err := abi.Arguments{{Type: typ}}.Pack(reason)
	if err != nil {
		t.Fatal(err)
	}
	return hexutil.Encode(append([]byte{0x08, 0xc3, 0x79, 0xa0}, packed...))
}

func TestAsRevert(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want string // "" for no revert
	}{
		{"data", fmt.Errorf("txmgr: gas estimation failed: %w", rpcRevert{"execution reverted: x", errorString(t, "insufficient fees to withdraw")}),
			`reverted: "insufficient fees to withdraw"`},
		{"message only", errors.New("execution reverted: bond amount is zero"), `reverted: "bond amount is zero"`},
		{"custom error", rpcRevert{"execution reverted", "0x118cdaa7"}, "reverted: revert data 0x118cdaa7"},
		{"no reason", errors.New("execution reverted"), "reverted without a reason"},
		{"not a revert", errors.New("connection refused"), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			re := chain.AsRevert(c.err)
			if c.want == "" {
				if re != nil {
					t.Fatalf("AsRevert = %v, want nil", re)
				}
				return
			}
			if re == nil || re.Error() != c.want || !errors.Is(fmt.Errorf("w: %w", re), ErrReverted) {
				t.Fatalf("AsRevert = %v, want %s", re, c.want)
			}
		})
	}
}

// stateless answers eth_call with "missing trie node" below keep, and
// reverts with reason at or above it (nil, the latest, too).
type stateless struct {
	keep   int64
	reason string
	calls  []string
}

func (s *stateless) CallContract(_ context.Context, _ ethereum.CallMsg, n *big.Int) ([]byte, error) {
	s.calls = append(s.calls, fmt.Sprint(n))
	if n != nil && n.Int64() < s.keep {
		return nil, errors.New("missing trie node 0xabc (path ) state is not available")
	}
	return nil, errors.New("execution reverted: " + s.reason)
}

func TestReplayRevertFallsBack(t *testing.T) {
	ctx := context.Background()
	// The node keeps the block's state: one replay there.
	b := &stateless{keep: 0, reason: "r"}
	re := chain.ReplayRevert(ctx, b, ethereum.CallMsg{}, big.NewInt(10))
	if re == nil || re.Reason != "r" || re.Note != "" || strings.Join(b.calls, ",") != "10" {
		t.Fatalf("replay %+v after calls %v", re, b.calls)
	}
	// No state at 10 or 9: the latest block, and the note says so.
	b = &stateless{keep: 11, reason: "r"}
	re = chain.ReplayRevert(ctx, b, ethereum.CallMsg{}, big.NewInt(10))
	if re == nil || re.Reason != "r" || !strings.Contains(re.Note, "replayed at the latest block") || strings.Join(b.calls, ",") != "10,9,<nil>" {
		t.Fatalf("replay %+v after calls %v", re, b.calls)
	}
	t.Log(re)
}
