package store

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestTurnsLeaveTheWriterACore checks that no more than GOMAXPROCS-1
// turns (at least one) run at once and that every taker gets one.
func TestTurnsLeaveTheWriterACore(t *testing.T) {
	for _, procs := range []int{1, 2, 4} {
		old := runtime.GOMAXPROCS(procs)
		tu := newTurns()
		runtime.GOMAXPROCS(old)
		limit := max(1, procs-1)
		var running, most, served atomic.Int32
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				done := tu.take()
				n := running.Add(1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				time.Sleep(time.Millisecond)
				running.Add(-1)
				served.Add(1)
				done()
			})
		}
		wg.Wait()
		if most.Load() > int32(limit) || most.Load() < 1 || served.Load() != 20 {
			t.Errorf("GOMAXPROCS %d: %d turns at once (limit %d), %d of 20 served", procs, most.Load(), limit, served.Load())
		}
	}
	var none turns // PostgreSQL
	none.take()()
}
