package solver

import (
	"errors"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// Request is one VerificationRequested event.
type Request struct {
	ID                 uint64      `json:"id"`
	Job                uint64      `json:"job"`
	Claim              uint64      `json:"claim"`
	Seg                uint64      `json:"seg"`
	StreamID           string      `json:"streamId"`
	Options            string      `json:"transcodingOptions"`
	DataHash           common.Hash `json:"dataHash"`
	TranscodedDataHash common.Hash `json:"transcodedDataHash"`
	Block              uint64      `json:"block"` // where the event was seen
}

func (r Request) String() string {
	return fmt.Sprintf("request %d (job %d claim %d segment %d)", r.ID, r.Job, r.Claim, r.Seg)
}

// Verdict is the answer to a request.
type Verdict struct {
	Pass   bool   `json:"pass"`
	Reason string `json:"reason"` // why, for logs and `opkit verifier status`
}

// Errors of a Checker that the service acts on; any other error is taken
// as temporary and the request is checked again on the next poll.
var (
	// ErrUnavailable: the segment or its renditions cannot be fetched (yet).
	// Past Config.GiveUpAfter the request fails: a transcoder must keep
	// what it claimed until its claim's window ends.
	ErrUnavailable = errors.New("segment data unavailable")
	// ErrCannotJudge: the solver cannot decide this request (a profile it
	// does not know, a source it cannot decode); it is never answered.
	ErrCannotJudge = errors.New("cannot judge")
)

// State is where a request stands in the solver's DB.
type State string

const (
	StatePending     State = "pending"     // seen, not decided
	StateDecided     State = "decided"     // verdict recorded, answer not yet mined
	StateAnswered    State = "answered"    // the chain holds an answer (ours or another solver's)
	StateUnjudgeable State = "unjudgeable" // ErrCannotJudge: never answered
)

// Record is a request as the DB keeps it.
type Record struct {
	Request
	State     State     `json:"state"`
	FirstSeen time.Time `json:"firstSeen"`
	Verdict   *Verdict  `json:"verdict,omitempty"`
	Attempt   int       `json:"attempt"` // submitResult sends that reverted so far
	Tx        string    `json:"tx,omitempty"`
	LastError string    `json:"lastError,omitempty"`
}
