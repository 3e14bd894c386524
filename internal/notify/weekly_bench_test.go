package notify_test

import (
	"context"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/generate"
	"earshot/internal/ingest"
	"earshot/internal/model"
	"earshot/internal/notify"
	"earshot/internal/report"
	"earshot/internal/store/storetest"
)

// BenchmarkBuildWeekly builds the weekly email (its eleven summaries:
// the week, the week before and each day; the praise; the chart) over
// two weeks of generated mentions, 50,000 by default.
func BenchmarkBuildWeekly(b *testing.B) {
	ctx := context.Background()
	st := storetest.Open(b)
	start := time.Date(2026, 3, 30, 13, 0, 0, 0, time.UTC)
	const count = 50_000
	end := start.Add(14 * 24 * time.Hour)
	p := ingest.New(st, analyze.New(), ingest.Options{Now: func() time.Time { return end.Add(7 * 24 * time.Hour) }})
	g := generate.New(generate.Options{Seed: 1, Start: start, Days: 14, Count: count})
	batch := make([]*model.Mention, 0, 1000)
	for i := range count {
		m := g.Next()
		if err := p.Prepare(&m); err != nil {
			b.Fatal(err)
		}
		batch = append(batch, &m)
		if len(batch) == cap(batch) || i == count-1 {
			if _, err := p.Store(ctx, batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	o := liveOrg(b, "organization: T\ntimezone: America/Chicago\n").Router().Org()
	chi, _ := time.LoadLocation("America/Chicago")
	reports := report.New(st, report.Options{Location: func() *time.Location { return chi }})
	from := start.Add(7 * 24 * time.Hour)
	for b.Loop() {
		w, err := notify.BuildWeekly(ctx, reports, o, from, from.Add(7*24*time.Hour), "")
		if err != nil || len(w.Chart) == 0 {
			b.Fatal(w, err)
		}
	}
}
