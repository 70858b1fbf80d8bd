package claims

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Errors of the receipt store. Check them with errors.Is.
var (
	// ErrStoreLocked is returned by OpenStore when another process holds the file.
	ErrStoreLocked = errors.New("claims: receipt store is locked by another process")
	// ErrStore wraps every read or write failure of the store: the service refuses to send
	// while it sees it.
	ErrStore = errors.New("claims: receipt store unavailable")
	// ErrConflict reports a receipt for a (job, segment) that already holds a different receipt.
	// The stored one is kept: claiming both would be a double claim.
	ErrConflict = errors.New("claims: conflicting receipt")
	// ErrInvalidReceipt reports a receipt that could never be verified on chain.
	ErrInvalidReceipt = errors.New("claims: invalid receipt")
	// ErrNotFound reports a receipt or claim the store does not hold.
	ErrNotFound = errors.New("claims: not found")
	// ErrAlreadyClaimed reports a claim intent over a segment that is already in a claim.
	ErrAlreadyClaimed = errors.New("claims: segment already claimed")
	// ErrWrongDeployment reports a store bound to another chain, JobsManager or account.
	ErrWrongDeployment = errors.New("claims: receipt store belongs to another deployment or account")
)

// ConflictError is the ErrConflict a Put returns; it names both receipt hashes.
type ConflictError struct {
	Job, Seg        uint64
	Stored, Offered common.Hash
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("claims: job %d segment %d already holds receipt %s, refusing %s", e.Job, e.Seg, e.Stored, e.Offered)
}

// Is makes errors.Is(err, ErrConflict) hold.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// Record is one transcoded segment as the store keeps it.
type Record struct {
	Job     uint64  `json:"job"`
	Receipt Receipt `json:"receipt"`
	// Renditions are the per-rendition output hashes in ladder order; TranscodedDataHash is
	// their keccak256. Optional: kept to answer a solver or an audit.
	Renditions [][]byte  `json:"renditions,omitempty"`
	Received   time.Time `json:"received"`
	// ClaimStart is the first segment of the claim this receipt is in, when InClaim.
	InClaim    bool   `json:"in_claim,omitempty"`
	ClaimStart uint64 `json:"claim_start,omitempty"`
	// Rejected says why the service will never claim this receipt (e.g. a signature that is
	// not the job's broadcaster's).
	Rejected string `json:"rejected,omitempty"`
}

// Binding names the deployment and account a store belongs to.
type Binding struct {
	ChainID     uint64         `json:"chain_id"`
	JobsManager common.Address `json:"jobs_manager"`
	Account     common.Address `json:"account"`
}

var (
	bucketReceipts = []byte("receipts") // job (8 bytes) -> bucket: seg (8 bytes) -> Record
	bucketClaims   = []byte("claims")   // job ‖ start -> ClaimRecord
	bucketMeta     = []byte("meta")
	bucketFree     = []byte("free") // job -> lowest segment that may be in no claim (a scan cursor)
	keyBinding     = []byte("binding")
)

// Store is the transcoder's receipt store: an embedded bbolt file holding every receipt, every
// claim and where each claim stands. Everything the service needs after a restart is here.
// bbolt locks the file, so one process uses a store at a time.
type Store struct {
	db  *bolt.DB
	now func() time.Time
}

// StoreOptions tune OpenStore.
type StoreOptions struct {
	LockTimeout time.Duration    // wait for the file lock; default 1s
	Now         func() time.Time // default time.Now
	ReadOnly    bool
}

// OpenStore opens or creates the store at path.
func OpenStore(path string, opts StoreOptions) (*Store, error) {
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opts.LockTimeout, ReadOnly: opts.ReadOnly})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s is in use", ErrStoreLocked, path)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: open %s: %v", ErrStore, path, err)
	}
	if !opts.ReadOnly {
		err = db.Update(func(tx *bolt.Tx) error {
			for _, b := range [][]byte{bucketReceipts, bucketClaims, bucketMeta, bucketFree} {
				if _, err := tx.CreateBucketIfNotExists(b); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, errors.Join(fmt.Errorf("%w: init %s: %v", ErrStore, path, err), db.Close())
		}
	}
	return &Store{db: db, now: opts.Now}, nil
}

// Close closes the file.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("%w: close: %v", ErrStore, err)
	}
	return nil
}

func u64key(vs ...uint64) []byte {
	b := make([]byte, 8*len(vs))
	for i, v := range vs {
		binary.BigEndian.PutUint64(b[8*i:], v)
	}
	return b
}

func (s *Store) view(fn func(*bolt.Tx) error) error {
	if err := s.db.View(fn); err != nil {
		return wrapStoreErr(err)
	}
	return nil
}

func (s *Store) update(fn func(*bolt.Tx) error) error {
	if err := s.db.Update(fn); err != nil {
		return wrapStoreErr(err)
	}
	return nil
}

// wrapStoreErr keeps the store's own typed errors and wraps anything else in ErrStore.
func wrapStoreErr(err error) error {
	for _, e := range []error{ErrConflict, ErrInvalidReceipt, ErrNotFound, ErrAlreadyClaimed, ErrWrongDeployment} {
		if errors.Is(err, e) {
			return err
		}
	}
	return fmt.Errorf("%w: %v", ErrStore, err)
}

// Bind ties the store to a deployment and account the first time, and afterwards refuses any
// other with ErrWrongDeployment: receipts of one chain must never be claimed on another.
func (s *Store) Bind(b Binding) error {
	return s.update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if v := meta.Get(keyBinding); v != nil {
			var have Binding
			if err := json.Unmarshal(v, &have); err != nil {
				return fmt.Errorf("decode binding: %w", err)
			}
			if have != b {
				return fmt.Errorf("%w: store is for chain %d, JobsManager %s, account %s; asked for chain %d, %s, %s",
					ErrWrongDeployment, have.ChainID, have.JobsManager, have.Account, b.ChainID, b.JobsManager, b.Account)
			}
			return nil
		}
		v, err := json.Marshal(b)
		if err != nil {
			return err
		}
		return meta.Put(keyBinding, v)
	})
}

// Binding returns the store's binding; ErrNotFound before the first Bind.
func (s *Store) Binding() (Binding, error) {
	var b Binding
	err := s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketMeta).Get(keyBinding)
		if v == nil {
			return fmt.Errorf("%w: store not bound to a deployment yet", ErrNotFound)
		}
		return json.Unmarshal(v, &b)
	})
	return b, err
}

// freeFrom is the job's scan cursor: no segment below it is free. ok is false without one.
func freeFrom(tx *bolt.Tx, job uint64) (uint64, bool) {
	b := tx.Bucket(bucketFree)
	if b == nil {
		return 0, false
	}
	v := b.Get(u64key(job))
	if len(v) != 8 {
		return 0, false
	}
	return binary.BigEndian.Uint64(v), true
}

func setFree(tx *bolt.Tx, job, seg uint64) error {
	return tx.Bucket(bucketFree).Put(u64key(job), u64key(seg))
}

// advanceFree moves the job's cursor past the receipts that are in a claim or rejected, so
// that UnclaimedRun does not decode a long stream's claimed history on every block.
func advanceFree(tx *bolt.Tx, job uint64) error {
	jb := tx.Bucket(bucketReceipts).Bucket(u64key(job))
	from, _ := freeFrom(tx, job)
	c := jb.Cursor()
	next := from
	for k, v := c.Seek(u64key(from)); k != nil; k, v = c.Next() {
		var rec Record
		if err := json.Unmarshal(v, &rec); err != nil {
			return err
		}
		if !rec.InClaim && rec.Rejected == "" {
			return setFree(tx, job, rec.Receipt.Seg)
		}
		next = rec.Receipt.Seg + 1
	}
	return setFree(tx, job, next)
}

// Get returns the record of (job, seg).
func (s *Store) Get(job, seg uint64) (Record, error) {
	var rec Record
	err := s.view(func(tx *bolt.Tx) error {
		jb := tx.Bucket(bucketReceipts).Bucket(u64key(job))
		var v []byte
		if jb != nil {
			v = jb.Get(u64key(seg))
		}
		if v == nil {
			return fmt.Errorf("%w: job %d segment %d", ErrNotFound, job, seg)
		}
		return json.Unmarshal(v, &rec)
	})
	return rec, err
}

// Jobs lists the jobs that have receipts, ascending.
func (s *Store) Jobs() ([]uint64, error) {
	var jobs []uint64
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketReceipts).ForEachBucket(func(k []byte) error {
			jobs = append(jobs, binary.BigEndian.Uint64(k))
			return nil
		})
	})
	return jobs, err
}

// UnclaimedRun returns the first run of consecutive unclaimed, unrejected receipts of job, in
// segment order and at most max long (0: no limit).
func (s *Store) UnclaimedRun(job uint64, max int) ([]Record, error) {
	var run []Record
	err := s.view(func(tx *bolt.Tx) error {
		jb := tx.Bucket(bucketReceipts).Bucket(u64key(job))
		if jb == nil {
			return nil
		}
		from, _ := freeFrom(tx, job)
		c := jb.Cursor()
		for k, v := c.Seek(u64key(from)); k != nil; k, v = c.Next() {
			var rec Record
			if err := json.Unmarshal(v, &rec); err != nil {
				return fmt.Errorf("decode job %d: %w", job, err)
			}
			free := !rec.InClaim && rec.Rejected == ""
			switch {
			case free && (len(run) == 0 || rec.Receipt.Seg == run[len(run)-1].Receipt.Seg+1):
				run = append(run, rec)
			case len(run) > 0:
				return nil
			}
			if max > 0 && len(run) == max {
				return nil
			}
		}
		return nil
	})
	return run, err
}

// Pending counts the receipts that are in no claim and not rejected. It reads each job only
// from its cursor on, so it stays cheap as claimed history grows.
func (s *Store) Pending() (int, error) {
	n := 0
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketReceipts).ForEachBucket(func(k []byte) error {
			job := binary.BigEndian.Uint64(k)
			from, _ := freeFrom(tx, job)
			c := tx.Bucket(bucketReceipts).Bucket(k).Cursor()
			for k, v := c.Seek(u64key(from)); k != nil; k, v = c.Next() {
				var rec Record
				if err := json.Unmarshal(v, &rec); err != nil {
					return fmt.Errorf("decode job %d: %w", job, err)
				}
				if !rec.InClaim && rec.Rejected == "" {
					n++
				}
			}
			return nil
		})
	})
	return n, err
}

// Receipts returns the receipts of segments start..end of job; every one must be stored.
func (s *Store) Receipts(job, start, end uint64) ([]Receipt, error) {
	var out []Receipt
	err := s.view(func(tx *bolt.Tx) error {
		jb := tx.Bucket(bucketReceipts).Bucket(u64key(job))
		if jb == nil {
			return fmt.Errorf("%w: job %d has no receipts", ErrNotFound, job)
		}
		for seg := start; seg <= end && seg >= start; seg++ {
			v := jb.Get(u64key(seg))
			if v == nil {
				return fmt.Errorf("%w: job %d segment %d", ErrNotFound, job, seg)
			}
			var rec Record
			if err := json.Unmarshal(v, &rec); err != nil {
				return err
			}
			out = append(out, rec.Receipt)
		}
		return nil
	})
	return out, err
}

// Reject marks a receipt the service will never claim, with the reason.
func (s *Store) Reject(job, seg uint64, reason string) error {
	return s.update(func(tx *bolt.Tx) error {
		err := s.modifyRecord(tx, job, seg, func(rec *Record) error {
			if rec.InClaim {
				return fmt.Errorf("%w: job %d segment %d", ErrAlreadyClaimed, job, seg)
			}
			rec.Rejected = reason
			return nil
		})
		if err != nil {
			return err
		}
		return advanceFree(tx, job)
	})
}

func (s *Store) modifyRecord(tx *bolt.Tx, job, seg uint64, fn func(*Record) error) error {
	jb := tx.Bucket(bucketReceipts).Bucket(u64key(job))
	var v []byte
	if jb != nil {
		v = jb.Get(u64key(seg))
	}
	if v == nil {
		return fmt.Errorf("%w: job %d segment %d", ErrNotFound, job, seg)
	}
	var rec Record
	if err := json.Unmarshal(v, &rec); err != nil {
		return err
	}
	if err := fn(&rec); err != nil {
		return err
	}
	nv, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	return jb.Put(u64key(seg), nv)
}
