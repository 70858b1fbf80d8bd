package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"
)

// demoSummary is what `opkit demo` prints: everything read from the chain
// at the end of the run, and the checks it made.
type demoSummary struct {
	OK                  bool              `json:"ok"`
	Failed              []string          `json:"failed_checks,omitempty"`
	Rounds              int               `json:"rounds"` // active rounds, the current one included
	Round               uint64            `json:"round"`  // the current round: its reward may still come
	Rewards             int               `json:"rewards"`
	RewardsPerRound     map[string]string `json:"rewards_per_round_wei"`
	MissedRounds        int               `json:"missed_rounds"`
	Missed              []uint64          `json:"missed,omitempty"`
	Segments            int               `json:"segments"` // answered by the node
	SegmentsClaimed     uint64            `json:"segments_claimed"`
	Renditions          int               `json:"renditions"`
	RealTimeRatio       float64           `json:"realtime_ratio"`
	Claims              int               `json:"claims"`
	VerificationsPassed int               `json:"verifications_passed"`
	VerificationsFailed int               `json:"verifications_failed"`
	Slashed             int               `json:"slashed"`
	PriceWei            int64             `json:"price_wei"`
	FeeShare            int               `json:"fee_share_percent"`
	FeesWei             *big.Int          `json:"fees_wei"` // paid out by distributeFees
	FeesExpectedWei     *big.Int          `json:"fees_expected_wei"`
	TranscoderCutWei    *big.Int          `json:"transcoder_cut_wei"`
	DelegatorPoolWei    *big.Int          `json:"delegator_pool_wei"`
	FeeDustWei          *big.Int          `json:"fee_dust_wei"` // rounding left in the pool
	Operator            demoAccount       `json:"operator"`
	Delegator           demoAccount       `json:"delegator"`
	HLSMaster           string            `json:"hls_master"`
	Out                 string            `json:"out"`
	WallSeconds         float64           `json:"wall_s"`
}

// demoAccount is an account's stake and fees before and after the run.
type demoAccount struct {
	Address     string   `json:"address"`
	StakeBefore *big.Int `json:"stake_before_wei"`
	StakeAfter  *big.Int `json:"stake_after_wei"`
	Fees        *big.Int `json:"fees_wei"`
}

func (s *demoSummary) fail(format string, a ...any) {
	s.Failed = append(s.Failed, fmt.Sprintf(format, a...))
}

func (s *demoSummary) check(ok bool, format string, a ...any) {
	if !ok {
		s.fail(format, a...)
	}
}

// summarize reads the run's outcome from the chain and checks it.
func (d *demo) summarize(ctx context.Context) (*demoSummary, error) {
	e, err := d.chain.events(ctx)
	if err != nil {
		return nil, err
	}
	round, err := d.chain.round(ctx, nil)
	if err != nil {
		return nil, err
	}
	requests, err := d.chain.requests()
	if err != nil {
		return nil, err
	}
	s := &demoSummary{
		Rewards: len(e.Rewards), RewardsPerRound: map[string]string{}, Renditions: d.cfg.renditions(),
		SegmentsClaimed: e.ClaimedSegs, Claims: e.Claims, VerificationsPassed: e.Passed, VerificationsFailed: e.Failed,
		Slashed: e.Slashed, PriceWei: demoPriceWei, FeeShare: demoFeeShare, FeesWei: e.Distributed,
		TranscoderCutWei: e.TranscoderCut, DelegatorPoolWei: new(big.Int).Sub(e.Distributed, e.TranscoderCut),
		Out: d.cfg.out, WallSeconds: time.Since(d.started).Seconds(),
	}
	for r, amt := range e.Rewards {
		s.RewardsPerRound[strconv.FormatUint(r, 10)] = amt.String()
	}
	s.Round = round
	if e.Activation > 0 && round >= e.Activation {
		s.Rounds = int(round - e.Activation + 1)
	}
	s.Missed = e.missedRounds(round - 1)
	s.MissedRounds = len(s.Missed)
	if err := d.accounts(ctx, s); err != nil {
		return nil, err
	}
	if d.bcast != nil && d.bcast.Summary != nil {
		s.Segments, s.RealTimeRatio, s.HLSMaster = d.bcast.Segments.Answered, d.bcast.RealTimeRatio, d.bcast.MasterPlaylist
	}
	s.FeesExpectedWei = new(big.Int).SetInt64(int64(s.Segments) * int64(s.Renditions) * demoPriceWei)
	d.checks(s, requests)
	s.OK = len(s.Failed) == 0
	return s, nil
}

func (d *demo) accounts(ctx context.Context, s *demoSummary) error {
	for name, p := range map[string]*demoAccount{"operator": &s.Operator, "delegator": &s.Delegator} {
		who := d.chain.operator
		if name == "delegator" {
			who = d.chain.delegator
		}
		after, err := d.chain.balances(ctx, who)
		if err != nil {
			return err
		}
		*p = demoAccount{Address: who.Hex(), StakeBefore: d.before[name].Stake, StakeAfter: after.Stake, Fees: after.Fees}
	}
	paid := new(big.Int).Add(s.Operator.Fees, s.Delegator.Fees)
	s.FeeDustWei = new(big.Int).Sub(s.FeesWei, paid)
	return nil
}

// checks records every check that does not hold.
func (d *demo) checks(s *demoSummary, requests uint64) {
	s.check(s.Rewards > 0 && s.MissedRounds == 0, "rewards in every active round: %d rewards, missed rounds %v", s.Rewards, s.Missed)
	s.check(s.Segments > 0 && s.Segments == d.cfg.segments(), "every segment answered: %d of %d", s.Segments, d.cfg.segments())
	s.check(s.SegmentsClaimed == uint64(s.Segments), "every answered segment claimed: %d claimed, %d answered", s.SegmentsClaimed, s.Segments)
	s.check(s.Claims > 0, "at least one claim")
	if s.Segments >= demoMinChallenged {
		s.check(s.VerificationsPassed > 0, "at least one verification passed (1 in %d segments is challenged)", demoVerificationRate)
	}
	s.check(s.VerificationsFailed == 0 && s.Slashed == 0, "no failed verification, no slash: %d failed, %d slashed", s.VerificationsFailed, s.Slashed)
	s.check(uint64(s.VerificationsPassed+s.VerificationsFailed) == requests, "every verification request answered: %d of %d",
		s.VerificationsPassed+s.VerificationsFailed, requests)
	s.check(s.FeesWei.Cmp(s.FeesExpectedWei) == 0, "fees paid = segments × renditions × price: %s wei, want %d × %d × %d = %s",
		s.FeesWei, s.Segments, s.Renditions, demoPriceWei, s.FeesExpectedWei)
	// The operator keeps its cut and shares the pool with its delegator by
	// stake; the pool's per-stake factor rounds down, at most a wei per
	// payout and account.
	maxDust := big.NewInt(int64(2 * s.Claims))
	s.check(s.FeeDustWei.Sign() >= 0 && s.FeeDustWei.Cmp(maxDust) <= 0, "fee balances add up to the fees paid: %s + %s, %s wei left over (at most %s)",
		s.Operator.Fees, s.Delegator.Fees, s.FeeDustWei, maxDust)
	s.check(s.Operator.Fees.Cmp(s.TranscoderCutWei) >= 0 && s.Delegator.Fees.Sign() > 0,
		"fees split by fee share: operator %s wei (cut %s), delegator %s wei", s.Operator.Fees, s.TranscoderCutWei, s.Delegator.Fees)
	s.check(s.Operator.StakeAfter.Cmp(s.Operator.StakeBefore) > 0 && s.Delegator.StakeAfter.Cmp(s.Delegator.StakeBefore) > 0,
		"stake grew with the rewards")
	if _, err := os.Stat(s.HLSMaster); s.HLSMaster == "" || err != nil {
		s.fail("HLS master playlist %q: %v", s.HLSMaster, err)
	}
}

// print writes the summary: one JSON object, or lines for a reader.
func (s *demoSummary) print(w io.Writer, asJSON bool) error {
	if asJSON {
		return json.NewEncoder(w).Encode(s)
	}
	rounds := make([]string, 0, len(s.RewardsPerRound))
	for r := range s.RewardsPerRound {
		rounds = append(rounds, r)
	}
	sort.Slice(rounds, func(i, j int) bool { a, _ := strconv.Atoi(rounds[i]); b, _ := strconv.Atoi(rounds[j]); return a < b })
	p := func(format string, a ...any) { fmt.Fprintf(w, format+"\n", a...) }
	p("== opkit demo summary")
	p("rounds active      %d, rewarded %d, missed %d %v (round %d is current: its reward may still come)", s.Rounds, s.Rewards, s.MissedRounds, s.Missed, s.Round)
	for _, r := range rounds {
		p("  round %-4s      reward %s wei LPT", r, s.RewardsPerRound[r])
	}
	p("operator  %s  stake %s -> %s wei, fees %s wei", s.Operator.Address, s.Operator.StakeBefore, s.Operator.StakeAfter, s.Operator.Fees)
	p("delegator %s  stake %s -> %s wei, fees %s wei", s.Delegator.Address, s.Delegator.StakeBefore, s.Delegator.StakeAfter, s.Delegator.Fees)
	p("segments           %d answered (%.2fx real time), %d claimed in %d claims", s.Segments, s.RealTimeRatio, s.SegmentsClaimed, s.Claims)
	p("verifications      %d passed, %d failed; %d slashed", s.VerificationsPassed, s.VerificationsFailed, s.Slashed)
	p("fees               %s wei paid = %d segments × %d renditions × %d wei; operator cut %s, delegators' pool %s (fee share %d%%), %s wei rounding",
		s.FeesWei, s.Segments, s.Renditions, s.PriceWei, s.TranscoderCutWei, s.DelegatorPoolWei, s.FeeShare, s.FeeDustWei)
	p("HLS                %s", s.HLSMaster)
	p("logs and stores    %s", filepath.Clean(s.Out))
	if s.OK {
		p("ok: every check held (%.0f s)", s.WallSeconds)
		return nil
	}
	for _, f := range s.Failed {
		p("FAILED: %s", f)
	}
	return nil
}
