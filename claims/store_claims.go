package claims

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/ethereum/go-ethereum/common"
	bolt "go.etcd.io/bbolt"
)

// The claims side of the receipt store: claim records, where each claim
// stands, and the store's summary.

// ClaimState is where a claim stands.
type ClaimState string

// Claim states, in the order a claim moves through them.
const (
	// ClaimIntent: recorded before claimWork is sent; the transaction may be on chain.
	ClaimIntent ClaimState = "intent"
	// ClaimClaimed: claimWork is mined; ClaimID and the blocks are known.
	ClaimClaimed ClaimState = "claimed"
	// ClaimVerified: every challenged segment was submitted (or could not be).
	ClaimVerified ClaimState = "verified"
	// ClaimDistributed: the claim's fees were credited to the transcoder.
	ClaimDistributed ClaimState = "distributed"
	// ClaimSlashed: the claim was slashed; its fees are gone.
	ClaimSlashed ClaimState = "slashed"
	// ClaimFailed: claimWork was mined and reverted, in a store written before a reverted
	// claimWork dropped its intent (now its receipts are claimed again); never set now.
	ClaimFailed ClaimState = "failed"
)

// Final reports whether nothing more will be done for the claim.
func (s ClaimState) Final() bool {
	return s == ClaimDistributed || s == ClaimSlashed || s == ClaimFailed
}

// ClaimRecord is what the store keeps about one claim, keyed by (Job, Start).
type ClaimRecord struct {
	Job   uint64      `json:"job"`
	Start uint64      `json:"start"`
	End   uint64      `json:"end"`
	Root  common.Hash `json:"root"`
	State ClaimState  `json:"state"`
	// ClaimsBefore is the job's numClaims read just before claimWork was sent: the new
	// claim's id is at least this.
	ClaimsBefore uint64 `json:"claims_before"`
	// IntentBlock is the head when the intent was recorded: it tells a new intent for the
	// same range, after a reverted claimWork, from the one before.
	IntentBlock uint64      `json:"intent_block,omitempty"`
	ClaimTx     common.Hash `json:"claim_tx,omitempty"`
	// ClaimNonce is the nonce claimWork was signed with, recorded before it was published: a
	// re-send goes out at this nonce only, so at most one claimWork of the range is mined.
	ClaimNonce  *uint64 `json:"claim_nonce,omitempty"`
	ClaimID     uint64  `json:"claim_id"`
	ClaimBlock  uint64  `json:"claim_block,omitempty"`
	EndVerify   uint64  `json:"end_verification_block,omitempty"`
	EndSlashing uint64  `json:"end_slashing_block,omitempty"`
	Fees        string  `json:"fees_wei,omitempty"`
	// ChallengeSeed is the hash of block ClaimBlock+1; zero until that block is mined and
	// Challenged (the segments the challenge rule picks, possibly none) is computed.
	ChallengeSeed common.Hash `json:"challenge_seed,omitempty"`
	Challenged    []uint64    `json:"challenged,omitempty"`
	// Verified maps a challenged segment to its outcome (VerifyResult*).
	Verified map[uint64]string `json:"verified,omitempty"`
	// VerifySent lists segments whose verify() was handed to the sender before its outcome
	// was known: it may be in flight.
	VerifySent  []uint64    `json:"verify_sent,omitempty"`
	Distributed common.Hash `json:"distribute_tx,omitempty"`
	// DistributeReverts counts distributeFees transactions mined reverted (a reorganisation
	// put one before the slashing window's end): each retry is a new send, later by as many
	// blocks.
	DistributeReverts uint64    `json:"distribute_reverts,omitempty"`
	Error             string    `json:"error,omitempty"`
	Updated           time.Time `json:"updated"`
}

// Segments is how many segments the claim covers.
func (c ClaimRecord) Segments() uint64 { return c.End - c.Start + 1 }

// RecordClaimIntent records c (state ClaimIntent) and attaches every receipt of c's range to it,
// in one transaction, before claimWork is sent. It fails with ErrAlreadyClaimed if any of them
// is already in a claim, and with ErrNotFound if any is missing.
func (s *Store) RecordClaimIntent(c ClaimRecord) error {
	if c.End < c.Start {
		return fmt.Errorf("%w: claim range [%d, %d]", ErrInvalidReceipt, c.Start, c.End)
	}
	c.State, c.Updated = ClaimIntent, s.now().UTC()
	return s.update(func(tx *bolt.Tx) error {
		cb := tx.Bucket(bucketClaims)
		if cb.Get(u64key(c.Job, c.Start)) != nil {
			return fmt.Errorf("%w: job %d already has a claim from segment %d", ErrAlreadyClaimed, c.Job, c.Start)
		}
		for seg := c.Start; seg <= c.End && seg >= c.Start; seg++ {
			err := s.modifyRecord(tx, c.Job, seg, func(rec *Record) error {
				if rec.InClaim {
					return fmt.Errorf("%w: job %d segment %d is in the claim from %d", ErrAlreadyClaimed, c.Job, seg, rec.ClaimStart)
				}
				rec.InClaim, rec.ClaimStart = true, c.Start
				return nil
			})
			if err != nil {
				return err
			}
		}
		if err := advanceFree(tx, c.Job); err != nil {
			return err
		}
		return putClaim(cb, c)
	})
}

// DropIntent removes the intent of the claim of (job, start) and frees its receipts. Only for
// an intent whose claimWork is known not to be on chain or in flight (it was refused before
// being sent); anything past ClaimIntent is refused with ErrAlreadyClaimed.
func (s *Store) DropIntent(job, start uint64) error {
	return s.update(func(tx *bolt.Tx) error {
		cb := tx.Bucket(bucketClaims)
		c, err := getClaim(cb, job, start)
		if err != nil {
			return err
		}
		if c.State != ClaimIntent {
			return fmt.Errorf("%w: claim of job %d from segment %d is %s", ErrAlreadyClaimed, job, start, c.State)
		}
		for seg := c.Start; seg <= c.End && seg >= c.Start; seg++ {
			err := s.modifyRecord(tx, job, seg, func(rec *Record) error {
				rec.InClaim, rec.ClaimStart = false, 0
				return nil
			})
			if err != nil {
				return err
			}
		}
		if from, ok := freeFrom(tx, job); ok && c.Start < from {
			if err := setFree(tx, job, c.Start); err != nil {
				return err
			}
		}
		return cb.Delete(u64key(job, start))
	})
}

// getClaim reads the claim of (job, start); ErrNotFound when there is none.
func getClaim(cb *bolt.Bucket, job, start uint64) (ClaimRecord, error) {
	var c ClaimRecord
	v := cb.Get(u64key(job, start))
	if v == nil {
		return c, fmt.Errorf("%w: claim of job %d from segment %d", ErrNotFound, job, start)
	}
	if err := json.Unmarshal(v, &c); err != nil {
		return c, fmt.Errorf("claim of job %d from segment %d: %w", job, start, err)
	}
	return c, nil
}

func putClaim(cb *bolt.Bucket, c ClaimRecord) error {
	v, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return cb.Put(u64key(c.Job, c.Start), v)
}

// UpdateClaim changes the claim of (job, start) with fn in one transaction.
func (s *Store) UpdateClaim(job, start uint64, fn func(*ClaimRecord) error) error {
	return s.update(func(tx *bolt.Tx) error {
		cb := tx.Bucket(bucketClaims)
		c, err := getClaim(cb, job, start)
		if err != nil {
			return err
		}
		if err := fn(&c); err != nil {
			return err
		}
		c.Updated = s.now().UTC()
		return putClaim(cb, c)
	})
}

// Claims returns every claim, by job and first segment.
func (s *Store) Claims() ([]ClaimRecord, error) {
	var out []ClaimRecord
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketClaims).ForEach(func(_, v []byte) error {
			var c ClaimRecord
			if err := json.Unmarshal(v, &c); err != nil {
				return err
			}
			out = append(out, c)
			return nil
		})
	})
	return out, err
}

// JobStatus counts one job's receipts.
type JobStatus struct {
	Job       uint64 `json:"job"`
	Stream    string `json:"stream"`
	Receipts  int    `json:"receipts"`
	Unclaimed int    `json:"unclaimed"`
	Rejected  int    `json:"rejected"`
	FirstSeg  uint64 `json:"first_seg"`
	LastSeg   uint64 `json:"last_seg"`
}

// Status summarises the store.
type Status struct {
	Binding *Binding      `json:"binding,omitempty"`
	Jobs    []JobStatus   `json:"jobs"`
	Claims  []ClaimRecord `json:"claims"`
	// Unclaimed is the number of receipts in no claim and not rejected.
	Unclaimed int `json:"unclaimed"`
}

// Status reads the whole store's summary.
func (s *Store) Status() (Status, error) {
	st := Status{Jobs: []JobStatus{}, Claims: []ClaimRecord{}}
	if b, err := s.Binding(); err == nil {
		st.Binding = &b
	}
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketReceipts).ForEachBucket(func(k []byte) error {
			js := JobStatus{Job: binary.BigEndian.Uint64(k)}
			err := tx.Bucket(bucketReceipts).Bucket(k).ForEach(func(_, v []byte) error {
				var rec Record
				if err := json.Unmarshal(v, &rec); err != nil {
					return err
				}
				if js.Receipts == 0 {
					js.Stream, js.FirstSeg = rec.Receipt.StreamID, rec.Receipt.Seg
				}
				js.Receipts++
				js.LastSeg = rec.Receipt.Seg
				switch {
				case rec.Rejected != "":
					js.Rejected++
				case !rec.InClaim:
					js.Unclaimed++
				}
				return nil
			})
			st.Unclaimed += js.Unclaimed
			st.Jobs = append(st.Jobs, js)
			return err
		})
	})
	if err != nil {
		return st, err
	}
	cs, err := s.Claims()
	if err != nil {
		return st, err
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].Job != cs[j].Job {
			return cs[i].Job < cs[j].Job
		}
		return cs[i].Start < cs[j].Start
	})
	st.Claims = append(st.Claims, cs...)
	return st, nil
}
