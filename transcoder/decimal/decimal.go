// Package decimal owns the exact reading of the unsigned decimals that
// ladders and HLS playlists write ("123", "1.25"): bit rates, seconds and
// frame rates become scaled integers without going through floats.
package decimal

import (
	"math"
	"strconv"
	"strings"
)

// ParseScaled parses an unsigned decimal "123" or "1.25" and
// multiplies it by mult exactly; a result that is not a whole number, or
// does not fit, is rejected.
func ParseScaled(s string, mult int64) (int64, bool) {
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" || !AllDigits(intPart) || (hasDot && (frac == "" || !AllDigits(frac))) || len(intPart) > 12 {
		return 0, false
	}
	iv, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil || iv >= math.MaxInt64/mult {
		return 0, false
	}
	v := iv * mult
	scale := mult
	for _, d := range frac {
		if scale%10 != 0 {
			if d != '0' {
				return 0, false // finer than one bit per second
			}
			continue
		}
		scale /= 10
		v += int64(d-'0') * scale
	}
	return v, true
}

// AllDigits reports whether s is a non-empty run of ASCII digits.
func AllDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
