package solver_test

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/opkit-dev/opkit/claims/solver"
)

func TestStoreCursorAndOpenIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "verifier.db")
	s, err := solver.OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := s.Cursor(); ok || err != nil {
		t.Fatalf("fresh DB has a cursor (%v)", err)
	}
	now := time.Now()
	added, err := s.AddScanned([]solver.Request{{ID: 0, Seg: 3}, {ID: 1, Seg: 4}, {ID: 2, Seg: 5}}, 10, now)
	if err != nil || len(added) != 3 {
		t.Fatalf("added %d, %v", len(added), err)
	}
	// Seen again (a rescan): kept as it is, not added twice.
	if added, err := s.AddScanned([]solver.Request{{ID: 1, Seg: 4}}, 12, now); err != nil || len(added) != 0 {
		t.Fatalf("rescan added %d, %v", len(added), err)
	}
	if next, ok, err := s.Cursor(); !ok || next != 12 || err != nil {
		t.Fatalf("cursor %d %v %v", next, ok, err)
	}
	recs, _ := s.Records(true)
	recs[1].State, recs[1].Verdict = solver.StateAnswered, &solver.Verdict{Pass: true}
	recs[2].State = solver.StateUnjudgeable
	recs[0].State, recs[0].Verdict = solver.StateDecided, &solver.Verdict{}
	for _, r := range recs {
		if err := s.Put(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Reopened: one open request, the decided one; all three kept.
	s, err = solver.OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	open, err1 := s.Records(true)
	all, err2 := s.Records(false)
	if err := errors.Join(err1, err2); err != nil || len(open) != 1 || open[0].ID != 0 || open[0].State != solver.StateDecided || len(all) != 3 {
		t.Fatalf("open %+v, all %d, %v", open, len(all), err)
	}
	// A second process cannot open it.
	if _, err := solver.OpenStore(path); !errors.Is(err, solver.ErrStoreLocked) {
		t.Fatalf("second open: %v, want ErrStoreLocked", err)
	}
}
