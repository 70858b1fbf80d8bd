package protection

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

func testKey(round uint64, duty Duty) Key {
	return Key{ChainID: 1337, Controller: common.HexToAddress("0xc0"), Account: common.HexToAddress("0xa1"), Duty: duty, Round: round}
}

func TestIntentIsRecordedOnce(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "p.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	now := time.Unix(1_700_000_000, 0)
	rec, created, err := db.PutLegacyIntent(testKey(5, DutyReward), 3, now)
	if err != nil || !created || rec.Nonce != 3 || rec.State != StateIntent {
		t.Fatalf("first intent: %+v created=%v err=%v", rec, created, err)
	}
	rec, created, err = db.PutLegacyIntent(testKey(5, DutyReward), 9, now)
	if err != nil || created || rec.Nonce != 3 {
		t.Fatalf("second intent must return the first: %+v created=%v err=%v", rec, created, err)
	}
	if got, err := db.Get(testKey(5, DutyInitialize)); err != nil || got != nil {
		t.Fatalf("other duty: %+v, %v", got, err)
	}
	rec.State = StateDone
	if err := db.Put(rec); err != nil {
		t.Fatal(err)
	}
	got, err := db.Get(testKey(5, DutyReward))
	if err != nil || got.State != StateDone || got.Nonce != 3 {
		t.Fatalf("after Put: %+v, %v", got, err)
	}
}

func TestLatest(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "p.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if got, err := db.Latest(testKey(0, DutyReward)); err != nil || got != nil {
		t.Fatalf("empty: %+v, %v", got, err)
	}
	for _, r := range []uint64{3, 300, 7} {
		if _, _, err := db.PutLegacyIntent(testKey(r, DutyReward), r, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := db.PutLegacyIntent(testKey(999, DutyInitialize), 1, time.Now()); err != nil {
		t.Fatal(err)
	}
	got, err := db.Latest(testKey(0, DutyReward))
	if err != nil || got == nil || got.Key.Round != 300 {
		t.Fatalf("latest reward: %+v, %v", got, err)
	}
}

func TestSecondOpenIsLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(path, Options{LockTimeout: 50 * time.Millisecond})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second open: %v, want ErrLocked", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db2, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("reopen after close: %v", err)
	}
	_ = db2.Close()
}

func TestClosedDBIsUnavailable(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "p.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	if _, err := db.Get(testKey(1, DutyReward)); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Get on closed DB: %v", err)
	}
	if _, _, err := db.PutLegacyIntent(testKey(1, DutyReward), 0, time.Now()); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("PutIntent on closed DB: %v", err)
	}
}

// TestPutIntentRecordsNothingSigned: a new intent has no nonce until the
// caller records the one its transaction was signed with.
func TestPutIntentRecordsNothingSigned(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "p.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rec, created, err := db.PutIntent(testKey(5, DutyReward), time.Now())
	if err != nil || !created || rec.NonceSource != NonceUnsigned || rec.State != StateIntent {
		t.Fatalf("PutIntent = %+v, %v, %v", rec, created, err)
	}
	rec.Nonce, rec.NonceSource = 12, NonceSigned
	if err := db.Put(rec); err != nil {
		t.Fatal(err)
	}
	again, created, err := db.PutIntent(testKey(5, DutyReward), time.Now())
	if err != nil || created || again.Nonce != 12 || again.NonceSource != NonceSigned {
		t.Fatalf("second PutIntent = %+v, %v, %v; want the signed record kept", again, created, err)
	}
}
