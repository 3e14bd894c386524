//go:build unix

package report_test

import (
	"syscall"
	"time"
)

// cpuTime is the processor time this process has used, user and system:
// a measure that other work on the machine does not inflate.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
