package reward

import "errors"

// Outcome is what one round's duty came to.
type Outcome int

const (
	// OutcomeUnknown: the round's duty did not finish (for example the
	// chain could not be read).
	OutcomeUnknown Outcome = iota
	// OutcomeRewarded: this process's reward() was mined in the round.
	OutcomeRewarded
	// OutcomeAlreadyRewarded: the reward for the round was already on chain.
	OutcomeAlreadyRewarded
	// OutcomeNotActive: the transcoder is not in the round's active set.
	OutcomeNotActive
	// OutcomeNotInitialized: the round is not initialized and this
	// operator did not opt in to initializing it.
	OutcomeNotInitialized
)

var outcomeNames = [...]string{
	OutcomeUnknown:         "unknown",
	OutcomeRewarded:        "rewarded",
	OutcomeAlreadyRewarded: "already_rewarded",
	OutcomeNotActive:       "not_active",
	OutcomeNotInitialized:  "not_initialized",
}

func (o Outcome) String() string {
	if o < 0 || int(o) >= len(outcomeNames) {
		return "unknown"
	}
	return outcomeNames[o]
}

// Fulfilled reports whether the round needs nothing more from us.
func (o Outcome) Fulfilled() bool {
	return o == OutcomeRewarded || o == OutcomeAlreadyRewarded || o == OutcomeNotActive
}

// Errors callers act on.
var (
	// ErrRoundEnded is the cause of a round context cancelled because the
	// next round started.
	ErrRoundEnded = errors.New("reward: round ended")
	// ErrProtection: the protection DB could not be read or written, so
	// nothing was sent.
	ErrProtection = errors.New("reward: protection database unavailable; refusing to send")
	// ErrDutyFailed: a transaction for the round's duty was mined without
	// fulfilling it; the protection rule forbids a second one this round.
	ErrDutyFailed = errors.New("reward: duty transaction mined without effect; not retrying this round")
	// ErrAwaitingTx: a transaction of ours is pending; the duty waits for it
	// rather than sending another.
	ErrAwaitingTx = errors.New("reward: waiting for a pending transaction")
	// ErrNonceUsed is what a Sender's error wraps when a send pinned to a
	// nonce finds the nonce used by another transaction.
	ErrNonceUsed = errors.New("reward: the duty's nonce was used by another transaction")
	// ErrInvalidConfig is returned by New for an unusable Config.
	ErrInvalidConfig = errors.New("reward: invalid config")
)
