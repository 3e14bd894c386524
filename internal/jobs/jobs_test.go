package jobs

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

// clock is a settable test clock.
type clock struct{ ns atomic.Int64 }

func newClock(t time.Time) *clock { c := &clock{}; c.set(t); return c }
func (c *clock) now() time.Time   { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) set(t time.Time)  { c.ns.Store(t.UnixNano()) }
func (c *clock) add(d time.Duration) {
	c.ns.Add(int64(d))
}

var t0 = time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)

func TestRetryBackoffAndDeadLetter(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	clk := newClock(t0)
	reg := prometheus.NewRegistry()
	r := New(st, Options{Worker: "w1", Now: clk.now, Metrics: NewMetrics(reg)})
	var calls atomic.Int32
	r.Handle("flaky", func(ctx context.Context, j store.Job) error {
		calls.Add(1)
		return errors.New("endpoint down")
	})
	if _, err := st.EnqueueJobs(ctx, clk.now(), store.NewJob{Kind: "flaky", DedupeKey: "f1", MaxAttempts: 3}); err != nil {
		t.Fatal(err)
	}
	// Attempt 1 now; 2 after 15s; 3 after 30s more; then dead.
	for i, step := range []struct {
		advance time.Duration
		calls   int32
	}{{0, 1}, {10 * time.Second, 1}, {5 * time.Second, 2}, {29 * time.Second, 2}, {time.Second, 3}, {time.Hour, 3}} {
		clk.add(step.advance)
		r.Tick(ctx)
		if got := calls.Load(); got != step.calls {
			t.Fatalf("step %d: %d calls, want %d", i, got, step.calls)
		}
	}
	dead, err := st.DeadJobs(ctx, 10)
	if err != nil || len(dead) != 1 || dead[0].Attempts != 3 || dead[0].LastError != "endpoint down" {
		t.Fatalf("dead jobs %+v, %v", dead, err)
	}
	if n := counter(t, reg, "flaky", "retry"); n != 2 {
		t.Errorf("retry count %v, want 2", n)
	}
	if n := counter(t, reg, "flaky", "dead"); n != 1 {
		t.Errorf("dead count %v, want 1", n)
	}
	// The dedupe key stays taken: enqueueing again does nothing.
	if n, _ := st.EnqueueJobs(ctx, clk.now(), store.NewJob{Kind: "flaky", DedupeKey: "f1"}); n != 0 {
		t.Errorf("re-enqueue added %d jobs", n)
	}
}

func TestDeferPermanentAndLease(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	clk := newClock(t0)
	r := New(st, Options{Worker: "w1", Now: clk.now, Lease: time.Minute})
	var deferred, perm atomic.Int32
	r.Handle("limited", func(ctx context.Context, j store.Job) error {
		if deferred.Add(1) < 4 {
			return DeferError{After: time.Second}
		}
		return nil
	})
	r.Handle("bad", func(ctx context.Context, j store.Job) error {
		perm.Add(1)
		return Permanent(errors.New("no such target"))
	})
	st.EnqueueJobs(ctx, clk.now(), store.NewJob{Kind: "limited", MaxAttempts: 2}, store.NewJob{Kind: "bad"}, store.NewJob{Kind: "orphan"})
	for range 4 {
		r.Tick(ctx)
		clk.add(time.Second)
	}
	if deferred.Load() != 4 || perm.Load() != 1 {
		t.Errorf("deferred ran %d times (want 4: deferrals do not count as attempts), permanent %d", deferred.Load(), perm.Load())
	}
	dead, _ := st.DeadJobs(ctx, 10)
	if len(dead) != 2 {
		t.Errorf("dead jobs %+v, want the permanent failure and the job of unknown kind", dead)
	}

	// A runner that dies holding a job loses it when the lease ends.
	st.EnqueueJobs(ctx, clk.now(), store.NewJob{Kind: "limited"})
	if js, err := st.ClaimJobs(ctx, "dead-runner", clk.now(), time.Minute, 10); err != nil || len(js) != 1 {
		t.Fatalf("claim %v %v", js, err)
	}
	if n, _ := r.Tick(ctx); n != 0 {
		t.Errorf("ran a job another runner holds")
	}
	clk.add(61 * time.Second)
	if n, _ := r.Tick(ctx); n != 1 {
		t.Errorf("ran %d jobs after the lease ended, want 1", n)
	}
}

func TestClaimIsExclusive(t *testing.T) {
	ctx := context.Background()
	cfg := storetest.Config(t)
	var stores []*store.Store
	for range 3 {
		s, err := store.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores = append(stores, s)
	}
	var jobs []store.NewJob
	for range 300 {
		jobs = append(jobs, store.NewJob{Kind: "count", RunAt: t0})
	}
	if _, err := stores[0].EnqueueJobs(ctx, t0, jobs...); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for i, s := range stores {
		r := New(s, Options{Worker: string(rune('a' + i)), Now: func() time.Time { return t0 }, Batch: 7})
		r.Handle("count", func(ctx context.Context, j store.Job) error {
			mu.Lock()
			seen[j.ID]++
			mu.Unlock()
			return nil
		})
		wg.Go(func() {
			for range 30 {
				if _, err := r.Tick(ctx); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if len(seen) != 300 {
		t.Errorf("%d of 300 jobs ran", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("job %d ran %d times", id, n)
		}
	}
}

func TestPurgeSweep(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	clk := newClock(t0)
	r := New(st, Options{Now: clk.now})
	r.Handle("ok", func(context.Context, store.Job) error { return nil })
	r.Handle("bad", func(context.Context, store.Job) error { return Permanent(errors.New("no")) })
	st.EnqueueJobs(ctx, clk.now(), store.NewJob{Kind: "ok", DedupeKey: "old"}, store.NewJob{Kind: "bad"})
	r.Tick(ctx)
	clk.add(40 * 24 * time.Hour)
	st.EnqueueJobs(ctx, clk.now(), store.NewJob{Kind: "ok", DedupeKey: "new"})
	r.Tick(ctx)
	if err := PurgeSweep(st, 30*24*time.Hour)(ctx, clk.now()); err != nil {
		t.Fatal(err)
	}
	ok, _ := st.JobsByKind(ctx, "ok")
	dead, _ := st.DeadJobs(ctx, 10)
	if len(ok) != 1 || ok[0].DedupeKey != "new" || len(dead) != 1 {
		t.Errorf("after purge: %+v, dead %+v", ok, dead)
	}
}

// counter reads earshot_jobs_total{kind, outcome} from reg.
func counter(t *testing.T, reg *prometheus.Registry, kind, outcome string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "earshot_jobs_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["kind"] == kind && labels["outcome"] == outcome {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}
