//go:build !linux

package bench

// readUsage is not implemented off Linux: CPU use and peak RSS read as zero.
func readUsage() (Usage, error) { return Usage{}, nil }

// resetPeakRSS is not available off Linux.
func resetPeakRSS() bool { return false }
