package txmgr

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// EntryState is where a journaled transaction stands.
type EntryState string

const (
	// EntryPending: signed and perhaps published; not yet seen mined.
	EntryPending EntryState = "pending"
	// EntryMined: one of its transactions was mined (it may have reverted).
	EntryMined EntryState = "mined"
	// EntryFailed: it can never be mined (refused, or its nonce was used
	// by another transaction). A later Send with its key starts afresh.
	EntryFailed EntryState = "failed"
)

// Entry is the journal's record of one Send: every transaction signed for
// it, at one nonce, oldest first, in their network encoding.
type Entry struct {
	Key         string      `json:"key"`
	Label       string      `json:"label"`
	Nonce       uint64      `json:"nonce"`
	MaxGasPrice string      `json:"max_gas_price_wei"`
	Txs         [][]byte    `json:"txs"`
	State       EntryState  `json:"state"`
	MinedTx     common.Hash `json:"mined_tx,omitempty"`
	Updated     time.Time   `json:"updated"`
}

// Journal keeps the signed transactions of an account so that a restarted
// process takes over the ones left pending (Manager.Recover) and a re-sent
// keyed candidate resumes its transaction instead of sending another.
type Journal interface {
	Get(key string) (*Entry, error)
	Put(e Entry) error
	// Entries lists every entry, in key order.
	Entries() ([]Entry, error)
	Delete(key string) error
}

// BoltJournal is a Journal in a bbolt file. bbolt holds an exclusive file
// lock while it is open, so two processes can never share one journal.
type BoltJournal struct {
	db   *bolt.DB
	path string
}

var _ Journal = (*BoltJournal)(nil)

var journalBucket = []byte("txs")

// JournalPath is the journal file of (chainID, account) in dir.
func JournalPath(dir string, chainID *big.Int, account common.Address) string {
	return filepath.Join(dir, fmt.Sprintf("txjournal-%s-%s.db", chainID, account.Hex()))
}

// OpenJournal opens or creates the journal at path (its directory is
// created with mode 0700).
func OpenJournal(path string) (*BoltJournal, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("%w: create %s: %w", ErrJournal, filepath.Dir(path), err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s is in use by another process", ErrAccountLocked, path)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: open %s: %w", ErrJournal, path, err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(journalBucket)
		return err
	}); err != nil {
		return nil, errors.Join(fmt.Errorf("%w: init %s: %w", ErrJournal, path, err), db.Close())
	}
	return &BoltJournal{db: db, path: path}, nil
}

// Path is the journal's file.
func (j *BoltJournal) Path() string { return j.path }

// Close releases the file.
func (j *BoltJournal) Close() error { return j.db.Close() }

func (j *BoltJournal) Get(key string) (*Entry, error) {
	var e *Entry
	err := j.db.View(func(tx *bolt.Tx) error {
		raw := tx.Bucket(journalBucket).Get([]byte(key))
		if raw == nil {
			return nil
		}
		e = new(Entry)
		return json.Unmarshal(raw, e)
	})
	if err != nil {
		return nil, fmt.Errorf("%w: read %q: %w", ErrJournal, key, err)
	}
	return e, nil
}

// Put stores e, synced to disk before it returns.
func (j *BoltJournal) Put(e Entry) error {
	raw, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("%w: encode %q: %w", ErrJournal, e.Key, err)
	}
	if err := j.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(journalBucket).Put([]byte(e.Key), raw)
	}); err != nil {
		return fmt.Errorf("%w: write %q: %w", ErrJournal, e.Key, err)
	}
	return nil
}

func (j *BoltJournal) Entries() ([]Entry, error) {
	var out []Entry
	err := j.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(journalBucket).ForEach(func(_, raw []byte) error {
			var e Entry
			if err := json.Unmarshal(raw, &e); err != nil {
				return err
			}
			out = append(out, e)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("%w: list: %w", ErrJournal, err)
	}
	return out, nil
}

func (j *BoltJournal) Delete(key string) error {
	if err := j.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(journalBucket).Delete([]byte(key))
	}); err != nil {
		return fmt.Errorf("%w: delete %q: %w", ErrJournal, key, err)
	}
	return nil
}

// entryTxs decodes the transactions of e.
func entryTxs(e Entry) ([]*types.Transaction, error) {
	txs := make([]*types.Transaction, 0, len(e.Txs))
	for i, raw := range e.Txs {
		tx := new(types.Transaction)
		if err := tx.UnmarshalBinary(raw); err != nil {
			return nil, fmt.Errorf("%w: entry %q transaction %d: %w", ErrJournal, e.Key, i, err)
		}
		txs = append(txs, tx)
	}
	if len(txs) == 0 {
		return nil, fmt.Errorf("%w: entry %q has no transaction", ErrJournal, e.Key)
	}
	return txs, nil
}
