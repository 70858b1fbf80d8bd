package txmgr

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

// The strings are what geth (and nodes that copy its txpool) return over
// JSON-RPC.
func TestClassifySendError(t *testing.T) {
	cases := []struct {
		msg  string
		want sendResult
	}{
		{"already known", resultAlreadyKnown},
		{"known transaction: 0xabc", resultAlreadyKnown},
		{"nonce too low: next nonce 5, tx nonce 4", resultNonceTooLow},
		{"nonce too high", resultNonceTooHigh},
		{"replacement transaction underpriced", resultUnderpriced},
		{"transaction underpriced: tip needed 1, tip permitted 0", resultUnderpriced},
		{"max fee per gas less than block base fee: address 0x1, maxFeePerGas: 1, baseFee: 2", resultUnderpriced},
		{"insufficient funds for gas * price + value: address 0x1 have 0 want 1", resultInsufficientFunds},
		{"exceeds block gas limit", resultRejected},
		{"intrinsic gas too low", resultRejected},
		{"tx fee (1.50 ether) exceeds the configured cap (1.00 ether)", resultRejected},
		{"dial tcp 127.0.0.1:8545: connect: connection refused", resultUnknown},
	}
	for _, tc := range cases {
		t.Run(tc.msg, func(t *testing.T) {
			err := fmt.Errorf("rpc: %w", errors.New(tc.msg))
			if got := classifySendError(err); got != tc.want {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	if classifySendError(nil) != resultOK {
		t.Fatal("nil error is not ok")
	}
}

func TestSendResultLabelsAreBounded(t *testing.T) {
	names := SendResults()
	if len(names) != int(resultUnknown)+1 {
		t.Fatalf("%d result names for %d results", len(names), resultUnknown+1)
	}
	sorted := slices.Clone(names)
	slices.Sort(sorted)
	if len(slices.Compact(sorted)) != len(names) || slices.Contains(names, "") {
		t.Fatalf("result names %v empty or repeated", names)
	}
	if metricLabel("reward") != LabelReward || metricLabel("0xdeadbeef") != LabelOther {
		t.Fatal("unknown labels must map to other")
	}
}
