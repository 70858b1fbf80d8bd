package transcoder

import (
	"fmt"
	"syscall"
	"time"
)

// readUsage reads the process's CPU time so far and its peak RSS.
func readUsage() (Usage, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return Usage{}, fmt.Errorf("getrusage: %w", err)
	}
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	// Linux reports ru_maxrss in KiB.
	return Usage{CPU: cpu, PeakRSS: ru.Maxrss * 1024}, nil
}
