package report_test

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"earshot/internal/report"
	"earshot/internal/store/storetest"
)

// BenchmarkSummary1M computes the summary over the whole of a prepared
// store of 1,000,000 mentions (scripts/reportbench.sh builds one: 90
// days from 6 September 2026) and over the reports page's 30 days, to
// measure it at scale:
//
//	EARSHOT_BENCH_DATA=DIR go test ./internal/report/ -run '^$' -bench Summary1M -benchtime 3x
//
// (or EARSHOT_BENCH_DATABASE_URL for PostgreSQL). Without either it is
// skipped: a manual benchmark, not a CI test. EARSHOT_BENCH_FROM and
// EARSHOT_BENCH_TO (RFC 3339) move the whole window; its previous
// window is computed too, as the API does.
func BenchmarkSummary1M(b *testing.B) {
	st := storetest.OpenPrepared(b)
	r := report.New(st, report.Options{})
	ctx := context.Background()
	from := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)
	for _, v := range []struct {
		env string
		dst *time.Time
	}{{"EARSHOT_BENCH_FROM", &from}, {"EARSHOT_BENCH_TO", &to}} {
		if s := os.Getenv(v.env); s != "" {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				b.Fatalf("%s: %v", v.env, err)
			}
			*v.dst = t
		}
	}
	pageFrom, pageTo, loc := benchWindow(b)
	for _, tc := range []struct {
		name string
		q    report.Query
	}{
		{"all", report.Query{From: from, To: to}},
		{"by-channel", report.Query{From: from, To: to, GroupBy: report.GroupChannel}},
		{"by-intent", report.Query{From: from, To: to, GroupBy: report.GroupIntent}},
		{"page-30d", report.Query{From: pageFrom, To: pageTo, Location: loc}},
		{"page-30d-by-channel", report.Query{From: pageFrom, To: pageTo, GroupBy: report.GroupChannel, Location: loc}},
		{"page-week-platform-x", report.Query{From: pageTo.AddDate(0, 0, -7), To: pageTo, Filter: report.Filter{Platform: "x"}, Location: loc}},
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
