package solver

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

var (
	bucketRequests = []byte("requests")
	bucketOpen     = []byte("open") // ids of the requests not yet answered or set aside
	bucketMeta     = []byte("meta")
	keyCursor      = []byte("next_block") // the first block not yet scanned
)

// ErrStoreLocked: another process has the solver DB open.
var ErrStoreLocked = errors.New("solver DB is locked by another process")

// Store is the solver's bbolt DB of requests and scan cursor.
type Store struct{ db *bolt.DB }

// OpenStore opens (or creates) the DB at path.
func OpenStore(path string) (*Store, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s", ErrStoreLocked, path)
	}
	if err != nil {
		return nil, fmt.Errorf("open solver DB %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		_, e1 := tx.CreateBucketIfNotExists(bucketRequests)
		_, e2 := tx.CreateBucketIfNotExists(bucketMeta)
		_, e3 := tx.CreateBucketIfNotExists(bucketOpen)
		return errors.Join(e1, e2, e3)
	})
	if err != nil {
		return nil, errors.Join(fmt.Errorf("init solver DB: %w", err), db.Close())
	}
	return &Store{db: db}, nil
}

// Close closes the DB.
func (s *Store) Close() error { return s.db.Close() }

func idKey(id uint64) []byte { return binary.BigEndian.AppendUint64(nil, id) }

// Cursor is the first block not yet scanned; ok false before the first scan.
func (s *Store) Cursor() (next uint64, ok bool, err error) {
	err = s.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketMeta).Get(keyCursor); len(v) == 8 {
			next, ok = binary.BigEndian.Uint64(v), true
		}
		return nil
	})
	return next, ok, err
}

// AddScanned records the requests found in a scan and moves the cursor to
// next, in one transaction: a request is never skipped, and one seen again
// keeps its record.
func (s *Store) AddScanned(reqs []Request, next uint64, now time.Time) (added []Request, err error) {
	err = s.db.Update(func(tx *bolt.Tx) error {
		added = added[:0]
		b := tx.Bucket(bucketRequests)
		for _, r := range reqs {
			if b.Get(idKey(r.ID)) != nil {
				continue
			}
			v, err := json.Marshal(Record{Request: r, State: StatePending, FirstSeen: now})
			if err != nil {
				return err
			}
			if err := errors.Join(b.Put(idKey(r.ID), v), tx.Bucket(bucketOpen).Put(idKey(r.ID), nil)); err != nil {
				return err
			}
			added = append(added, r)
		}
		return tx.Bucket(bucketMeta).Put(keyCursor, binary.BigEndian.AppendUint64(nil, next))
	})
	if err != nil {
		return nil, fmt.Errorf("solver DB: %w", err)
	}
	return added, nil
}

// Put replaces a request's record.
func (s *Store) Put(r Record) error {
	v, err := json.Marshal(r)
	if err != nil {
		return err
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		open := tx.Bucket(bucketOpen)
		var oerr error
		if r.open() {
			oerr = open.Put(idKey(r.ID), nil)
		} else {
			oerr = open.Delete(idKey(r.ID))
		}
		return errors.Join(tx.Bucket(bucketRequests).Put(idKey(r.ID), v), oerr)
	})
	if err != nil {
		return fmt.Errorf("solver DB: %w", err)
	}
	return nil
}

// open says whether the request still needs work.
func (r Record) open() bool { return r.State == StatePending || r.State == StateDecided }

// Records returns every request, oldest first; with openOnly, those not
// yet answered or set aside, read through an index so that the answered
// history does not slow each step.
func (s *Store) Records(openOnly bool) ([]Record, error) {
	var out []Record
	decode := func(v []byte) error {
		var r Record
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("corrupt record: %w", err)
		}
		out = append(out, r)
		return nil
	}
	err := s.db.View(func(tx *bolt.Tx) error {
		reqs := tx.Bucket(bucketRequests)
		if !openOnly {
			return reqs.ForEach(func(_, v []byte) error { return decode(v) })
		}
		return tx.Bucket(bucketOpen).ForEach(func(k, _ []byte) error {
			v := reqs.Get(k)
			if v == nil {
				return fmt.Errorf("open request %x has no record", k)
			}
			return decode(v)
		})
	})
	if err != nil {
		return nil, fmt.Errorf("solver DB: %w", err)
	}
	return out, nil
}
