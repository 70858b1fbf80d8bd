package main

import (
	"encoding/json"
	"math/big"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemo runs `opkit demo --duration 60s --json` as a user would (its
// processes are this binary run as opkit) and checks the summary it reads
// from the chain. `make test` runs it as its own step, after the unit
// tests, as it keeps both cores busy for about two minutes.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the demo streams 60 s of 1080p through every process")
	}
	t.Setenv(envTestExec, "1") // the demo's children: this test binary, run as opkit
	out := filepath.Join(t.TempDir(), "demo")
	stdout, err := runOpkit(t, "demo", "--duration", "60s", "--json", "--out", out)
	var s demoSummary
	if jerr := json.Unmarshal([]byte(stdout), &s); jerr != nil {
		t.Fatalf("summary %q: %v (demo: %v)", stdout, jerr, err)
	}
	if err != nil || !s.OK {
		t.Fatalf("demo: %v; failed checks %q; logs in %s", err, s.Failed, out)
	}
	// The checks the demo made, made again here on its summary.
	if s.Rewards == 0 || s.MissedRounds != 0 || s.Rewards < s.Rounds-1 {
		t.Errorf("rounds %d, rewards %d, missed %v: want a reward in every round", s.Rounds, s.Rewards, s.Missed)
	}
	if s.Segments != 30 || s.SegmentsClaimed != 30 || s.Claims == 0 || s.VerificationsPassed == 0 || s.VerificationsFailed != 0 || s.Slashed != 0 {
		t.Errorf("segments %d (claimed %d), claims %d, verifications %d passed %d failed, %d slashed",
			s.Segments, s.SegmentsClaimed, s.Claims, s.VerificationsPassed, s.VerificationsFailed, s.Slashed)
	}
	want := big.NewInt(int64(s.Segments * s.Renditions * demoPriceWei))
	if s.FeesWei.Cmp(want) != 0 {
		t.Errorf("fees %s wei, want %d segments × %d renditions × %d wei = %s", s.FeesWei, s.Segments, s.Renditions, demoPriceWei, want)
	}
	// The fee share: the operator's cut is fees − fees × feeShare, the rest
	// is the delegators' pool, shared by stake; the two balances add up to
	// the fees but for the pool's rounding.
	cut := new(big.Int).Sub(want, new(big.Int).Div(new(big.Int).Mul(want, big.NewInt(demoFeeShare)), big.NewInt(100)))
	if s.Claims == 1 && s.TranscoderCutWei.Cmp(cut) != 0 {
		t.Errorf("operator's cut %s wei, want %s", s.TranscoderCutWei, cut)
	}
	sum := new(big.Int).Add(s.Operator.Fees, s.Delegator.Fees)
	dust := new(big.Int).Sub(s.FeesWei, sum)
	if dust.Sign() < 0 || dust.Cmp(big.NewInt(int64(2*s.Claims))) > 0 || s.Operator.Fees.Cmp(s.TranscoderCutWei) < 0 || s.Delegator.Fees.Sign() == 0 {
		t.Errorf("operator %s + delegator %s wei of %s (cut %s)", s.Operator.Fees, s.Delegator.Fees, s.FeesWei, s.TranscoderCutWei)
	}
	t.Logf("demo: %d rounds, %d rewards, %d segments at %.2fx real time, %d claims, %d verifications passed, fees %s wei (operator %s, delegator %s, rounding %s), %.0f s",
		s.Rounds, s.Rewards, s.Segments, s.RealTimeRatio, s.Claims, s.VerificationsPassed, s.FeesWei, s.Operator.Fees, s.Delegator.Fees, dust, s.WallSeconds)
}

// The demo's children never see the operator's own OPKIT_* settings.
func TestDemoEnvironDropsOperatorSettings(t *testing.T) {
	got := demoEnviron([]string{"PATH=/bin", "OPKIT_ETH_URL=https://mainnet", "OPKIT_DB=/var/lib/opkit/protection.db", envTestExec + "=1", "HOME=/h"})
	want := []string{"PATH=/bin", envTestExec + "=1", "HOME=/h"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("environment %q, want %q", got, want)
	}
}
