package txmgr

import (
	"errors"
	"strings"
)

// Errors callers act on. Check them with errors.Is.
var (
	// ErrClosed is returned by Send after Close.
	ErrClosed = errors.New("txmgr: closed")
	// ErrGasPriceAboveCap is returned when the context ended while the
	// transaction was held back because the fee it needs exceeds MaxGasPrice.
	// Nothing was sent.
	ErrGasPriceAboveCap = errors.New("txmgr: gas price above cap")
	// ErrReverted is returned with the receipt of a mined, reverted transaction.
	ErrReverted = errors.New("txmgr: transaction reverted")
	// ErrInsufficientFunds is returned when the node refuses the transaction
	// because the account cannot pay for it.
	ErrInsufficientFunds = errors.New("txmgr: insufficient funds")
	// ErrRejected is returned when the node refuses the transaction for a
	// reason that retrying cannot fix (gas limit, fee cap, invalid sender).
	ErrRejected = errors.New("txmgr: transaction rejected")
	// ErrNonceConsumed is returned when the nonce of the transaction was used
	// by a transaction this manager did not send.
	ErrNonceConsumed = errors.New("txmgr: nonce consumed by another transaction")
	// ErrNotConfirmed is returned when the context ended after the
	// transaction was sent but before it was confirmed. It may still be mined.
	ErrNotConfirmed = errors.New("txmgr: transaction not confirmed")
	// ErrDeadline is returned (wrapped in ErrNotConfirmed or with what
	// held the transaction back) when the head reached the candidate's
	// DeadlineBlock before the transaction was mined.
	ErrDeadline = errors.New("txmgr: deadline block reached")
	// ErrJournal wraps a failure to record a signed transaction in the
	// journal: the transaction is not published.
	ErrJournal = errors.New("txmgr: journal unavailable")
	// ErrEstimateGas is returned when gas estimation fails; for a contract
	// call this usually means the call would revert.
	ErrEstimateGas = errors.New("txmgr: gas estimation failed")
)

// sendResult is what the node said to SendTransaction. Its String is the
// bounded value of the result label of opkit_tx_sent_total.
type sendResult int

const (
	resultOK sendResult = iota
	resultAlreadyKnown
	resultNonceTooLow
	resultNonceTooHigh
	resultUnderpriced
	resultInsufficientFunds
	resultRejected
	resultUnknown
)

var sendResultNames = [...]string{
	resultOK:                "ok",
	resultAlreadyKnown:      "already_known",
	resultNonceTooLow:       "nonce_too_low",
	resultNonceTooHigh:      "nonce_too_high",
	resultUnderpriced:       "underpriced",
	resultInsufficientFunds: "insufficient_funds",
	resultRejected:          "rejected",
	resultUnknown:           "unknown_error",
}

func (r sendResult) String() string { return sendResultNames[r] }

// SendResults lists every value of the result label of opkit_tx_sent_total.
func SendResults() []string { return append([]string(nil), sendResultNames[:]...) }

// sendErrorPatterns maps the error strings geth-compatible nodes return over
// JSON-RPC to what the manager does about them. Order matters: the first
// match wins, so the more specific strings come first.
var sendErrorPatterns = []struct {
	substr string
	result sendResult
}{
	{"already known", resultAlreadyKnown},
	{"known transaction", resultAlreadyKnown},
	{"already imported", resultAlreadyKnown},
	{"nonce too low", resultNonceTooLow},
	{"nonce too high", resultNonceTooHigh},
	{"replacement transaction underpriced", resultUnderpriced},
	{"transaction underpriced", resultUnderpriced},
	{"gas price below minimum", resultUnderpriced},
	{"max fee per gas less than block base fee", resultUnderpriced},
	{"fee cap less than block base fee", resultUnderpriced},
	{"insufficient funds", resultInsufficientFunds},
	{"exceeds block gas limit", resultRejected},
	{"intrinsic gas too low", resultRejected},
	{"exceeds the configured cap", resultRejected}, // geth --rpc.txfeecap
	{"invalid sender", resultRejected},
	{"max priority fee per gas higher than max fee per gas", resultRejected},
	{"oversized data", resultRejected},
	{"transaction gas limit too high", resultRejected},
}

// classifySendError maps a SendTransaction error to an action.
func classifySendError(err error) sendResult {
	if err == nil {
		return resultOK
	}
	msg := strings.ToLower(err.Error())
	for _, p := range sendErrorPatterns {
		if strings.Contains(msg, p.substr) {
			return p.result
		}
	}
	return resultUnknown
}
