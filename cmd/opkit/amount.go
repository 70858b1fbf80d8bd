package main

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// Decimal places of the units the chain commands take.
const (
	lptDecimals  = 18 // LPT amounts, like ETH
	gweiDecimals = 9  // gwei → wei
	pctDecimals  = 4  // percent → parts per million
)

// errAmount is wrapped by every amount parse failure.
var errAmount = errors.New("invalid amount")

// parseDecimal parses a non-negative decimal such as "12", "0.5" or
// "1_000.25" into an integer count of 10^-decimals units, exactly: no floats,
// and more fractional digits than the unit holds is an error rather than a
// silent rounding.
func parseDecimal(s string, decimals int) (*big.Int, error) {
	clean := strings.ReplaceAll(strings.TrimSpace(s), "_", "")
	whole, frac, hasDot := strings.Cut(clean, ".")
	if clean == "" || (hasDot && frac == "" && whole == "") || !digits(whole) || !digits(frac) {
		return nil, fmt.Errorf("%w: %q is not a non-negative decimal number", errAmount, s)
	}
	if len(frac) > decimals {
		return nil, fmt.Errorf("%w: %q has more than %d decimal places", errAmount, s, decimals)
	}
	if whole == "" {
		whole = "0"
	}
	v, ok := new(big.Int).SetString(whole+frac+strings.Repeat("0", decimals-len(frac)), 10)
	if !ok {
		return nil, fmt.Errorf("%w: %q", errAmount, s)
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

// formatDecimal prints v (in 10^-decimals units) as a decimal without
// trailing zeros: formatDecimal(1500000000000000000, 18) is "1.5".
func formatDecimal(v *big.Int, decimals int) string {
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

func parseLPT(s string) (*big.Int, error)  { return parseDecimal(s, lptDecimals) }
func formatLPT(v *big.Int) string          { return formatDecimal(v, lptDecimals) }
func parseGwei(s string) (*big.Int, error) { return parseDecimal(s, gweiDecimals) }
func formatGwei(v *big.Int) string         { return formatDecimal(v, gweiDecimals) }

// parsePercent parses a percentage ("10", "12.5") into parts per million.
func parsePercent(s string) (uint64, error) {
	v, err := parseDecimal(s, pctDecimals)
	if err != nil {
		return 0, err
	}
	if v.Cmp(big.NewInt(1_000_000)) > 0 {
		return 0, fmt.Errorf("%w: %s%% is over 100%%", errAmount, s)
	}
	return v.Uint64(), nil
}
