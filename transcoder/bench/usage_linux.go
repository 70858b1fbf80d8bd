package bench

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"
)

// readUsage reads the process's CPU time so far and its peak RSS: VmHWM
// from /proc/self/status, which resetPeakRSS can restart, or getrusage's
// ru_maxrss (the lifetime peak) where /proc is not readable.
func readUsage() (Usage, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return Usage{}, fmt.Errorf("getrusage: %w", err)
	}
	u := Usage{CPU: time.Duration(ru.Utime.Nano() + ru.Stime.Nano())}
	if hwm, ok := vmHWM(); ok {
		u.PeakRSS = hwm
	} else {
		u.PeakRSS = ru.Maxrss * 1024 // Linux reports ru_maxrss in KiB
	}
	return u, nil
}

// resetPeakRSS restarts the VmHWM peak at the current RSS (Linux 4.0+), so
// that the peak read after a run is the run's own rather than that of
// source generation before it. It reports whether the reset took.
func resetPeakRSS() bool {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// vmHWM returns the VmHWM line of /proc/self/status in bytes.
func vmHWM() (int64, bool) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := bytes.Fields(sc.Bytes())
		if len(f) == 3 && string(f[0]) == "VmHWM:" && string(f[2]) == "kB" {
			kb, err := strconv.ParseInt(string(f[1]), 10, 64)
			return kb * 1024, err == nil
		}
	}
	return 0, false
}
