package store_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

// BenchmarkDueSLACases finds the cases whose SLA timers are due among
// 1,000,000 open cases (EARSHOT_BENCH_CASES overrides the number), of
// which one in a thousand is due. Seeding is one INSERT ... SELECT over
// a generated series.
func BenchmarkDueSLACases(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("EARSHOT_BENCH_CASES")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	s, err := store.Open(ctx, storetest.Config(b))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	now := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)
	start := time.Now()
	if err := store.SeedOpenCases(ctx, s, n, now); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d open cases on %s in %v", n, s.Engine(), time.Since(start).Round(time.Millisecond))
	var due int
	for b.Loop() {
		ids, err := s.DueSLACases(ctx, now, 200)
		if err != nil {
			b.Fatal(err)
		}
		due = len(ids)
	}
	if due != 200 {
		b.Fatalf("found %d due cases, want 200", due)
	}
}
