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

// benchWindow is the 30 days the reports page shows, ending at
// EARSHOT_BENCH_TO (RFC 3339) or else at 6 December 2026, where the
// data of scripts/reportbench.sh ends, in Chicago (the demo
// organisation's zone).
func benchWindow(b *testing.B) (from, to time.Time, loc *time.Location) {
	loc, err := time.LoadLocation("America/Chicago")
	if err != nil {
		b.Fatal(err)
	}
	to = time.Date(2026, 12, 6, 0, 0, 0, 0, loc)
	if v := os.Getenv("EARSHOT_BENCH_TO"); v != "" {
		if to, err = time.Parse(time.RFC3339, v); err != nil {
			b.Fatalf("EARSHOT_BENCH_TO: %v", err)
		}
	}
	return to.AddDate(0, 0, -30), to, loc
}

// pageSeries are the series the reports page draws: volume, sentiment,
// response rate and first response, by day.
var pageSeries = []string{"inbound", "sentiment", "response_rate", "first_response_median"}

// BenchmarkSeries1M reads, over a prepared store (scripts/reportbench.sh
// builds one of 1,000,000 mentions; EARSHOT_BENCH_DATA or
// EARSHOT_BENCH_DATABASE_URL names it), each series the reports page
// draws over 30 days by day, then all four with the summary of the
// window (which figures the window before it too), as the page asks
// for them. It reports p50 and p95 wall-clock per request and the
// process's processor time per request; without a prepared store it
// skips.
//
//	EARSHOT_BENCH_DATA=/work/bench/report-1m go test ./internal/report/ -run '^$' -bench Series1M -benchtime 20x
func BenchmarkSeries1M(b *testing.B) {
	ctx := context.Background()
	st := storetest.OpenPrepared(b)
	from, to, loc := benchWindow(b)
	r := report.New(st, report.Options{Location: func() *time.Location { return loc }, Now: func() time.Time { return to }})
	measure := func(b *testing.B, do func() error) {
		var times []time.Duration
		cpu0 := cpuTime()
		for b.Loop() {
			t0 := time.Now()
			if err := do(); err != nil {
				b.Fatal(err)
			}
			times = append(times, time.Since(t0))
		}
		// Processor time of this process (with the database's work on
		// SQLite, not PostgreSQL's server) per request: on a busy machine
		// wall-clock times mostly measure the wait for a core.
		b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(len(times)), "cpu-ms/op")
		slices.Sort(times)
		b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(times[(len(times)*95+99)/100-1].Microseconds())/1000, "p95-ms")
	}
	series := func(metric string) error {
		_, err := r.Series(ctx, report.SeriesQuery{Metric: metric, Interval: report.Day, From: from, To: to, Location: loc})
		return err
	}
	for _, metric := range pageSeries {
		b.Run(metric, func(b *testing.B) { measure(b, func() error { return series(metric) }) })
	}
	// The parts of the summary this package's deadlines and spikes add.
	q := report.Query{From: from, To: to, Location: loc}
	b.Run("deadlines", func(b *testing.B) {
		measure(b, func() error { _, _, err := report.DeadlinesForTest(ctx, r, q); return err })
	})
	b.Run("spikes", func(b *testing.B) {
		measure(b, func() error { _, err := report.SpikesForTest(ctx, r, q); return err })
	})
	b.Run("page", func(b *testing.B) {
		measure(b, func() error {
			if _, err := r.Summary(ctx, report.Query{From: from, To: to, Location: loc}); err != nil {
				return err
			}
			for _, metric := range pageSeries {
				if err := series(metric); err != nil {
					return err
				}
			}
			return nil
		})
	})
}
