package report_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"earshot/internal/report"
	"earshot/internal/store/storetest"
)

// BenchmarkSummary1M computes the summary over the whole of an existing
// store, to measure it at scale: prepare one with
//
//	earshot generate --count 1000000 --seed 1 --out m.jsonl && earshot import m.jsonl --data DIR
//
// then run
//
//	EARSHOT_BENCH_DATA=DIR go test ./internal/report/ -run '^$' -bench Summary1M -benchtime 10x
//
// (or EARSHOT_BENCH_DATABASE_URL for PostgreSQL). Without either it is
// skipped: a manual benchmark, not a CI test. The window is the
// generator's default month (January 2026), holding every mention; its
// previous window is computed too, as the API does.
func BenchmarkSummary1M(b *testing.B) {
	st := storetest.OpenPrepared(b)
	r := report.New(st, report.Options{})
	ctx := context.Background()
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2026, 2, 5, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		q    report.Query
	}{
		{"all", report.Query{From: from, To: to}},
		{"by-channel", report.Query{From: from, To: to, GroupBy: report.GroupChannel}},
		{"by-intent", report.Query{From: from, To: to, GroupBy: report.GroupIntent}},
		{"week-platform-x", report.Query{From: from.AddDate(0, 0, 10), To: from.AddDate(0, 0, 17), Filter: report.Filter{Platform: "x"}}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var times []time.Duration
			var sum *report.Summary
			c0 := cpuTime()
			for b.Loop() {
				t0 := time.Now()
				var err error
				if sum, err = r.Summary(ctx, tc.q); err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(t0))
			}
			// The store's own CPU (PostgreSQL's server) is not in cpu-ms.
			b.ReportMetric(float64((cpuTime()-c0).Microseconds())/1000/float64(len(times)), "cpu-ms/op")
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(times[len(times)-1].Microseconds())/1000, "max-ms")
			b.ReportMetric(float64(sum.Mentions.Total), "mentions")
			b.ReportMetric(float64(sum.Cases.Opened), "cases")
		})
	}
}
