package bench

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// DefaultMaxLoad is the load (Summary.Load) the capacity search allows: each
// stream may use at most 80% of real time, which leaves headroom for input
// jitter and other work on the machine.
const DefaultMaxLoad = 0.8

// CapacityTrial is one benchmark run of the capacity search.
type CapacityTrial struct {
	Sessions int
	Summary  Summary
	// Holds reports whether the run kept Load at or below the limit with no
	// failed segment.
	Holds bool
}

// CapacityResult is the outcome of FindCapacity.
type CapacityResult struct {
	// Capacity is the highest session count that held; 0 when even one
	// session did not.
	Capacity int
	MaxLoad  float64
	// Limited reports that the search stopped at its session limit with
	// that count still holding: the true capacity may be higher.
	Limited bool
	// Trials in increasing order of sessions, one per count tried.
	Trials []CapacityTrial
}

// TrialFunc runs the benchmark with the given number of concurrent sessions.
type TrialFunc func(ctx context.Context, sessions int) (Summary, error)

// ErrBadSearch reports invalid capacity search parameters.
var ErrBadSearch = errors.New("invalid capacity search")

// FindCapacity finds the highest number of concurrent sessions whose run
// keeps Summary.Load at or below maxLoad. It doubles the session count from
// 1 until a run fails to hold (or maxSessions is reached), then bisects
// between the last count that held and the first that did not. It assumes
// load grows with sessions; on a noisy machine the answer is only as good as
// each run.
func FindCapacity(ctx context.Context, maxLoad float64, maxSessions int, run TrialFunc) (CapacityResult, error) {
	res := CapacityResult{MaxLoad: maxLoad}
	if maxLoad <= 0 || maxSessions < 1 {
		return res, fmt.Errorf("%w: max load %v and max sessions %d must be positive", ErrBadSearch, maxLoad, maxSessions)
	}
	try := func(k int) (bool, error) {
		s, err := run(ctx, k)
		if err != nil {
			return false, fmt.Errorf("capacity trial with %d sessions: %w", k, err)
		}
		holds := s.Failed == 0 && s.Segments > 0 && s.Load <= maxLoad
		res.Trials = append(res.Trials, CapacityTrial{Sessions: k, Summary: s, Holds: holds})
		return holds, nil
	}
	lo, hi := 0, 0 // lo holds (0: none yet), hi fails (0: none yet)
	for k := 1; hi == 0; k *= 2 {
		k = min(k, maxSessions)
		ok, err := try(k)
		if err != nil {
			return res, err
		}
		if !ok {
			hi = k
			break
		}
		lo = k
		if k == maxSessions {
			res.Limited = true
			break
		}
	}
	for hi > 0 && hi-lo > 1 {
		mid := lo + (hi-lo)/2
		ok, err := try(mid)
		if err != nil {
			return res, err
		}
		if ok {
			lo = mid
		} else {
			hi = mid
		}
	}
	res.Capacity = lo
	slices.SortFunc(res.Trials, func(a, b CapacityTrial) int { return a.Sessions - b.Sessions })
	return res, nil
}

// CapacityChart is the chart of a capacity search: load against sessions,
// with the limit and the real-time line. about says what was measured.
func CapacityChart(res CapacityResult, about string) Chart {
	pts := make([]Point, 0, len(res.Trials))
	for _, t := range res.Trials {
		pts = append(pts, Point{X: float64(t.Sessions), Y: t.Summary.Load})
	}
	title := fmt.Sprintf("opkit bench capacity: %d sessions at load <= %.2f", res.Capacity, res.MaxLoad)
	if res.Limited {
		title += " (search limit reached)"
	}
	return Chart{
		Title:    title,
		Subtitle: about,
		XLabel:   "concurrent sessions",
		YLabel:   "load = sessions × wall / source duration",
		XInteger: true,
		Series:   []Series{{Name: "measured load", Points: pts}},
		Lines: []HLine{
			{Y: res.MaxLoad, Label: fmt.Sprintf("limit %.2f", res.MaxLoad), Color: "#c0392b"},
			{Y: 1, Label: "real time 1.0", Color: "#7f8c8d"},
		},
	}
}
