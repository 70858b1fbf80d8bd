// Package protection owns the operator's duty-protection database: a bbolt
// file in which the intent to send a round duty transaction (reward or
// initializeRound) is recorded before the transaction is sent. A record for
// (chain, account, duty, round) means "a transaction for this duty may already
// be on its way"; callers then look up or await that transaction and never
// send a second one with a different nonce. The model is Prysm's
// slashing-protection DB: if the check cannot run, the caller refuses to act.
//
// bbolt holds an exclusive file lock while the database is open, so a second
// process using the same wallet and database (a transcoder sharing the key, a
// cron job next to the daemon) gets ErrLocked instead of racing for the round.
package protection

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Duty is the kind of per-round transaction a record protects.
type Duty uint8

const (
	// DutyReward is BondingManager.reward().
	DutyReward Duty = 1
	// DutyInitialize is RoundsManager.initializeRound().
	DutyInitialize Duty = 2
)

func (d Duty) String() string {
	switch d {
	case DutyReward:
		return "reward"
	case DutyInitialize:
		return "initialize"
	default:
		return fmt.Sprintf("duty(%d)", uint8(d))
	}
}

// State is where a duty stands.
type State string

const (
	// StateIntent: the intent was recorded; a transaction with Nonce may
	// have been broadcast.
	StateIntent State = "intent"
	// StateDone: the duty is fulfilled on chain (by us or by someone else).
	StateDone State = "done"
	// StateFailed: a transaction for the duty was mined but did not fulfil
	// it. No further transaction is sent for the round.
	StateFailed State = "failed"
)

// Key names one duty in one round for one account on one deployment
// (chain id and Controller address, so a fresh devnet with a reused chain id
// never meets an old record).
type Key struct {
	ChainID    uint64
	Controller common.Address
	Account    common.Address
	Duty       Duty
	Round      uint64
}

// NonceSource says what a record's Nonce is.
type NonceSource string

const (
	// NonceLegacy (empty, as records of earlier versions have it): the
	// account's pending nonce when the intent was recorded, which the
	// transaction may not have used.
	NonceLegacy NonceSource = ""
	// NonceUnsigned: nothing has been signed for the intent yet.
	NonceUnsigned NonceSource = "unsigned"
	// NonceSigned: Nonce and TxHash are those of a transaction signed for
	// the duty, recorded before it was published.
	NonceSigned NonceSource = "signed"
)

// Record is what is stored for a Key.
type Record struct {
	Key         Key         `json:"key"`
	State       State       `json:"state"`
	Nonce       uint64      `json:"nonce"`
	NonceSource NonceSource `json:"nonce_source,omitempty"`
	TxHash      common.Hash `json:"tx_hash,omitempty"`
	Updated     time.Time   `json:"updated"`
}

var (
	// ErrLocked is returned by Open when another process holds the database.
	ErrLocked = errors.New("protection database is locked by another process")
	// ErrUnavailable wraps every read or write failure: callers must refuse
	// to send when they see it.
	ErrUnavailable = errors.New("protection database unavailable")
)

var bucket = []byte("duties")

// DB is an open protection database.
type DB struct {
	db   *bolt.DB
	path string
}

// Options tune Open.
type Options struct {
	// LockTimeout bounds the wait for the file lock (default 1s).
	LockTimeout time.Duration
}

// Open opens or creates the database at path and takes its file lock.
func Open(path string, opts Options) (*DB, error) {
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = time.Second
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opts.LockTimeout})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s is in use (is another opkit process using the same wallet?)", ErrLocked, path)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: open %s: %v", ErrUnavailable, path, err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucket)
		return err
	}); err != nil {
		return nil, errors.Join(fmt.Errorf("%w: init %s: %v", ErrUnavailable, path, err), db.Close())
	}
	return &DB{db: db, path: path}, nil
}

// Path is the file the database lives in.
func (d *DB) Path() string { return d.path }

// Close releases the file lock.
func (d *DB) Close() error {
	if err := d.db.Close(); err != nil {
		return fmt.Errorf("close protection database %s: %w", d.path, err)
	}
	return nil
}

const prefixLen = 8 + 2*common.AddressLength + 1

// bytes is chain id | controller | account | duty | round, big-endian, so
// the records of one duty sort by round.
func (k Key) bytes() []byte {
	b := make([]byte, prefixLen+8)
	binary.BigEndian.PutUint64(b, k.ChainID)
	copy(b[8:], k.Controller[:])
	copy(b[8+common.AddressLength:], k.Account[:])
	b[prefixLen-1] = byte(k.Duty)
	binary.BigEndian.PutUint64(b[prefixLen:], k.Round)
	return b
}

// Get returns the record for k, or nil when there is none.
func (d *DB) Get(k Key) (*Record, error) {
	var rec *Record
	err := d.db.View(func(tx *bolt.Tx) error {
		raw := tx.Bucket(bucket).Get(k.bytes())
		if raw == nil {
			return nil
		}
		rec = new(Record)
		return json.Unmarshal(raw, rec)
	})
	if err != nil {
		return nil, fmt.Errorf("%w: read %s round %d: %v", ErrUnavailable, k.Duty, k.Round, err)
	}
	return rec, nil
}

// Put stores rec, synced to disk before it returns.
func (d *DB) Put(rec Record) error {
	raw, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("%w: encode %s round %d: %v", ErrUnavailable, rec.Key.Duty, rec.Key.Round, err)
	}
	err = d.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucket).Put(rec.Key.bytes(), raw)
	})
	if err != nil {
		return fmt.Errorf("%w: write %s round %d: %v", ErrUnavailable, rec.Key.Duty, rec.Key.Round, err)
	}
	return nil
}

// PutIntent records the intent for k, with nothing signed yet, unless a
// record already exists; it returns the stored record and whether it was
// created by this call. Check and write are one bbolt transaction. The
// caller records the nonce of the transaction once it is signed.
func (d *DB) PutIntent(k Key, now time.Time) (Record, bool, error) {
	return d.putIntent(Record{Key: k, State: StateIntent, NonceSource: NonceUnsigned, Updated: now.UTC()})
}

// PutLegacyIntent records an intent as versions before NonceSource did:
// with the account's pending nonce. Kept for tests of upgraded databases.
func (d *DB) PutLegacyIntent(k Key, nonce uint64, now time.Time) (Record, bool, error) {
	return d.putIntent(Record{Key: k, State: StateIntent, Nonce: nonce, Updated: now.UTC()})
}

func (d *DB) putIntent(rec Record) (Record, bool, error) {
	k := rec.Key
	var (
		out     Record
		created bool
	)
	err := d.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucket)
		if raw := b.Get(k.bytes()); raw != nil {
			return json.Unmarshal(raw, &out)
		}
		out = rec
		raw, err := json.Marshal(out)
		if err != nil {
			return err
		}
		created = true
		return b.Put(k.bytes(), raw)
	})
	if err != nil {
		return Record{}, false, fmt.Errorf("%w: record %s intent round %d: %v", ErrUnavailable, k.Duty, k.Round, err)
	}
	return out, created, nil
}

// Latest returns the record with the highest round for the key's chain,
// controller, account and duty (its Round is ignored), or nil.
func (d *DB) Latest(k Key) (*Record, error) {
	prefix := k.bytes()[:prefixLen]
	end := Key{ChainID: k.ChainID, Controller: k.Controller, Account: k.Account, Duty: k.Duty, Round: ^uint64(0)}.bytes()
	var rec *Record
	err := d.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucket).Cursor()
		key, v := c.Seek(end)
		switch {
		case key == nil:
			key, v = c.Last()
		case !bytes.Equal(key, end):
			key, v = c.Prev()
		}
		if key == nil || !bytes.HasPrefix(key, prefix) {
			return nil
		}
		rec = new(Record)
		return json.Unmarshal(v, rec)
	})
	if err != nil {
		return nil, fmt.Errorf("%w: read latest %s: %v", ErrUnavailable, k.Duty, err)
	}
	return rec, nil
}
