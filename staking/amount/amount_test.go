package amount

import (
	"errors"
	"testing"
)

func TestParseDecimal(t *testing.T) {
	cases := []struct {
		in       string
		decimals int
		want     string // "" means an error
	}{
		{"1", 18, "1000000000000000000"},
		{"1000.5", 18, "1000500000000000000000"},
		{"0.000000000000000001", 18, "1"},
		{".5", 18, "500000000000000000"},
		{"1_000", 18, "1000000000000000000000"},
		{"123456789012345678901234567890", 18, "123456789012345678901234567890000000000000000000"},
		{"0", 18, "0"},
		{"20", 9, "20000000000"},
		{"0.1", 9, "100000000"},
		{"12.5", 4, "125000"},
		{"0.0000000000000000001", 18, ""}, // 19 places: not silently rounded
		{"1e18", 18, ""},
		{"-1", 18, ""},
		{"", 18, ""},
		{".", 18, ""},
		{"1.2.3", 18, ""},
		{"0x10", 18, ""},
		{" 7 ", 0, "7"},
	}
	for _, tc := range cases {
		got, err := ParseDecimal(tc.in, tc.decimals)
		if tc.want == "" {
			if err == nil || !errors.Is(err, ErrAmount) {
				t.Errorf("parseDecimal(%q, %d) = %v, %v; want errAmount", tc.in, tc.decimals, got, err)
			}
			continue
		}
		if err != nil || got.String() != tc.want {
			t.Errorf("parseDecimal(%q, %d) = %v, %v; want %s", tc.in, tc.decimals, got, err, tc.want)
		}
	}
}

func TestFormatDecimalRoundTrips(t *testing.T) {
	for _, s := range []string{"0", "1", "1000.5", "0.000000000000000001", "123456789.123456789123456789"} {
		v, err := ParseLPT(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := FormatLPT(v); got != s {
			t.Errorf("formatLPT(parseLPT(%q)) = %q", s, got)
		}
	}
	if p, err := ParsePercent("100.0001"); err == nil {
		t.Fatalf("parsePercent over 100%% = %d", p)
	}
	if p, _ := ParsePercent("12.5"); p != 125_000 {
		t.Fatalf("12.5%% = %d ppm, want 125000", p)
	}
}
