package claims

import (
	"bytes"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Putting receipts in the store: the checks, and what a repeat of a stored
// segment is.

// validate checks what Put can check without the chain.
func validate(rec Record) error {
	r := rec.Receipt
	switch {
	case r.StreamID == "":
		return fmt.Errorf("%w: empty stream id", ErrInvalidReceipt)
	case len(r.BroadcasterSig) != 65:
		return fmt.Errorf("%w: broadcaster signature is %d bytes, want 65", ErrInvalidReceipt, len(r.BroadcasterSig))
	case len(rec.Renditions) > 0 && TranscodedDataHash(rec.Renditions...) != r.TranscodedDataHash:
		return fmt.Errorf("%w: transcodedDataHash is not the hash of the rendition hashes", ErrInvalidReceipt)
	}
	if _, err := RecoverBroadcaster(r.SegmentHash(), r.BroadcasterSig); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidReceipt, err)
	}
	return nil
}

// Put stores the receipt of one transcoded segment of job. The same segment put again (same
// stream, segment, source hash and broadcaster signature: SameSegment) is a repeat and does
// nothing, even when its output hashes differ, as a re-run on another worker or after a
// restart gives; the first receipt stays. Another source or signature for the same (job,
// segment), or a receipt of another stream than the job's earlier receipts, is refused with a
// *ConflictError and the stored one is kept.
func (s *Store) Put(job uint64, r Receipt, renditions [][]byte) error {
	_, err := s.PutFirst(job, r, renditions)
	return err
}

// PutFirst is Put that also returns the record the store keeps for the segment: the one just
// stored, or for a repeat the first one.
func (s *Store) PutFirst(job uint64, r Receipt, renditions [][]byte) (Record, error) {
	rec := Record{Job: job, Receipt: r, Renditions: renditions, Received: s.now().UTC()}
	if err := validate(rec); err != nil {
		return Record{}, fmt.Errorf("put job %d segment %d: %w", job, r.Seg, err)
	}
	err := s.update(func(tx *bolt.Tx) error {
		jb, err := tx.Bucket(bucketReceipts).CreateBucketIfNotExists(u64key(job))
		if err != nil {
			return err
		}
		if v := jb.Get(u64key(r.Seg)); v != nil {
			return keepFirst(job, v, r, &rec)
		}
		if err := sameStream(jb, job, r); err != nil {
			return err
		}
		v, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		if err := jb.Put(u64key(r.Seg), v); err != nil {
			return err
		}
		if from, ok := freeFrom(tx, job); ok && r.Seg < from {
			return setFree(tx, job, r.Seg)
		}
		return nil
	})
	if err != nil {
		return Record{}, err
	}
	return rec, nil
}

// keepFirst decodes the stored record v of r's segment into kept; r must be a repeat of it.
func keepFirst(job uint64, v []byte, r Receipt, kept *Record) error {
	var have Record
	if err := json.Unmarshal(v, &have); err != nil {
		return fmt.Errorf("decode job %d segment %d: %w", job, r.Seg, err)
	}
	if !have.Receipt.SameSegment(r) {
		return &ConflictError{Job: job, Seg: r.Seg, Stored: have.Receipt.Hash(), Offered: r.Hash()}
	}
	*kept = have
	return nil
}

// sameStream refuses a receipt of another stream than the job's earlier receipts.
func sameStream(jb *bolt.Bucket, job uint64, r Receipt) error {
	_, v := jb.Cursor().First()
	if v == nil {
		return nil
	}
	var first Record
	if err := json.Unmarshal(v, &first); err != nil {
		return fmt.Errorf("decode job %d: %w", job, err)
	}
	if first.Receipt.StreamID != r.StreamID {
		return fmt.Errorf("%w: job %d is stream %q, receipt is stream %q", ErrConflict, job, first.Receipt.StreamID, r.StreamID)
	}
	return nil
}

// SameSegment reports whether o is a receipt of the same segment as r, as the broadcaster
// signed it: stream, segment number, source hash and signature. The output hashes are left
// out: they may differ run to run (x264 with threads on auto), and the store keeps the first.
func (r Receipt) SameSegment(o Receipt) bool {
	return r.StreamID == o.StreamID && r.Seg == o.Seg && r.DataHash == o.DataHash && bytes.Equal(r.BroadcasterSig, o.BroadcasterSig)
}
