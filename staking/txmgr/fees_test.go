package txmgr

import (
	"math/big"
	"testing"
)

func gwei(f float64) *big.Int { return big.NewInt(int64(f * 1e9)) }

func TestInitialFees(t *testing.T) {
	cases := []struct {
		name                string
		tip, base, maxPrice *big.Int
		wantOK              bool
		wantTip, wantFeeCap *big.Int
	}{
		{"tip plus twice base fee", gwei(1), gwei(10), gwei(100), true, gwei(1), gwei(21)},
		{"fee cap clamped to cap", gwei(1), gwei(10), gwei(15), true, gwei(1), gwei(15)},
		{"exactly includable at cap", gwei(1), gwei(10), gwei(11), true, gwei(1), gwei(11)},
		{"base fee above cap", gwei(1), gwei(10), gwei(10), false, nil, nil},
		{"tip alone above cap", gwei(20), gwei(0), gwei(10), false, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, ok := initialFees(tc.tip, tc.base, tc.maxPrice)
			if ok != tc.wantOK {
				t.Fatalf("ok = %v, want %v", ok, tc.wantOK)
			}
			if !ok {
				return
			}
			if f.tip.Cmp(tc.wantTip) != 0 || f.feeCap.Cmp(tc.wantFeeCap) != 0 {
				t.Fatalf("got tip %v cap %v, want %v %v", f.tip, f.feeCap, tc.wantTip, tc.wantFeeCap)
			}
		})
	}
}

func TestBumpedFees(t *testing.T) {
	old := fees{tip: big.NewInt(100), feeCap: big.NewInt(1000)}
	cases := []struct {
		name                string
		tip, base, maxPrice *big.Int
		wantOK              bool
		wantTip, wantCap    int64
	}{
		// ceil(100×1.11) = 111, ceil(1000×1.11) = 1110.
		{"plain 11% bump", big.NewInt(50), big.NewInt(300), big.NewInt(1e6), true, 111, 1110},
		{"market moved more than the bump", big.NewInt(200), big.NewInt(1000), big.NewInt(1e6), true, 200, 2200},
		{"clamped to cap above the minimum bump", big.NewInt(200), big.NewInt(1000), big.NewInt(1500), true, 200, 1500},
		{"minimum bump above cap", big.NewInt(50), big.NewInt(300), big.NewInt(1109), false, 0, 0},
		{"clamped cap would not be includable", big.NewInt(50), big.NewInt(1450), big.NewInt(1500), false, 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, ok := bumpedFees(old, tc.tip, tc.base, 11, tc.maxPrice)
			if ok != tc.wantOK {
				t.Fatalf("ok = %v, want %v (got %v/%v)", ok, tc.wantOK, f.tip, f.feeCap)
			}
			if !ok {
				return
			}
			if f.tip.Int64() != tc.wantTip || f.feeCap.Int64() != tc.wantCap {
				t.Fatalf("got tip %v cap %v, want %d %d", f.tip, f.feeCap, tc.wantTip, tc.wantCap)
			}
			if f.feeCap.Cmp(tc.maxPrice) > 0 {
				t.Fatal("fee cap above max price")
			}
		})
	}
}

func TestBumpPercentRoundsUp(t *testing.T) {
	for _, tc := range []struct{ in, want int64 }{{0, 0}, {1, 2}, {9, 10}, {100, 111}, {1000000007, 1110000008}} {
		if got := bumpPercent(big.NewInt(tc.in), 11); got.Int64() != tc.want {
			t.Errorf("bump(%d) = %v, want %d", tc.in, got, tc.want)
		}
	}
}
