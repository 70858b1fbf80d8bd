// Package amount owns the protocol's decimal amounts as the operator writes
// and reads them: LPT and ETH (18 decimals), gwei (9) and percentages (4,
// held as parts per million), parsed exactly (no floats) and printed
// without trailing zeros.
package amount

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// Decimal places of the units the chain commands take.
const (
	LPTDecimals     = 18 // LPT amounts, like ETH
	GweiDecimals    = 9  // gwei → wei
	PercentDecimals = 4  // percent → parts per million
)

// ErrAmount is wrapped by every amount parse failure.
var ErrAmount = errors.New("invalid amount")

// ParseDecimal parses a non-negative decimal such as "12", "0.5" or
// "1_000.25" into an integer count of 10^-decimals units, exactly: no floats,
// and more fractional digits than the unit holds is an error rather than a
// silent rounding.
func ParseDecimal(s string, decimals int) (*big.Int, error) {
	clean := strings.ReplaceAll(strings.TrimSpace(s), "_", "")
	whole, frac, hasDot := strings.Cut(clean, ".")
	if clean == "" || (hasDot && frac == "" && whole == "") || !digits(whole) || !digits(frac) {
		return nil, fmt.Errorf("%w: %q is not a non-negative decimal number", ErrAmount, s)
	}
	if len(frac) > decimals {
		return nil, fmt.Errorf("%w: %q has more than %d decimal places", ErrAmount, s, decimals)
	}
	if whole == "" {
		whole = "0"
	}
	v, ok := new(big.Int).SetString(whole+frac+strings.Repeat("0", decimals-len(frac)), 10)
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrAmount, s)
	}
	return v, nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// FormatDecimal prints v (in 10^-decimals units) as a decimal without
// trailing zeros: FormatDecimal(1500000000000000000, 18) is "1.5".
func FormatDecimal(v *big.Int, decimals int) string {
	if v == nil {
		return "0"
	}
	neg := v.Sign() < 0
	s := new(big.Int).Abs(v).String()
	if len(s) <= decimals {
		s = strings.Repeat("0", decimals-len(s)+1) + s
	}
	whole, frac := s[:len(s)-decimals], strings.TrimRight(s[len(s)-decimals:], "0")
	out := whole
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// ParseLPT, FormatLPT, ParseGwei and FormatGwei are ParseDecimal and
// FormatDecimal in LPT and in gwei.
func ParseLPT(s string) (*big.Int, error)  { return ParseDecimal(s, LPTDecimals) }
func FormatLPT(v *big.Int) string          { return FormatDecimal(v, LPTDecimals) }
func ParseGwei(s string) (*big.Int, error) { return ParseDecimal(s, GweiDecimals) }
func FormatGwei(v *big.Int) string         { return FormatDecimal(v, GweiDecimals) }

// ParsePercent parses a percentage ("10", "12.5") into parts per million.
func ParsePercent(s string) (uint64, error) {
	v, err := ParseDecimal(s, PercentDecimals)
	if err != nil {
		return 0, err
	}
	if v.Cmp(big.NewInt(1_000_000)) > 0 {
		return 0, fmt.Errorf("%w: %s%% is over 100%%", ErrAmount, s)
	}
	return v.Uint64(), nil
}
