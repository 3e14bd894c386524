package ftsindex

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"
)

// BenchmarkIndex indexes mentions handed over, as the SQLite store's
// ingest does, and reports the rate.
func BenchmarkIndex(b *testing.B) {
	const n = 20_000
	rows := make([]Row, n)
	for i := range rows {
		rows[i] = Row{ID: int64(i + 1), Text: "my claim for the ID card was denied again, call me " + strconv.Itoa(i), Author: "member" + strconv.Itoa(i%500) + " Pat Doe"}
	}
	for b.Loop() {
		b.StopTimer()
		x := benchIndex(b, b.TempDir())
		b.StartTimer()
		x.Add(rows)
		if err := x.WaitFor(context.Background(), n); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		x.Stop()
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "mentions/s")
}

// benchIndex opens an index in dir that is handed every mention, so its
// source has none to add.
func benchIndex(b *testing.B, dir string) *Index {
	b.Helper()
	path := filepath.Join(dir, "search.db")
	none := func(context.Context, int64, int64, int) ([]Row, error) { return nil, nil }
	x, err := Open(context.Background(), Options{Write: openDB(b, path, 1), Read: openDB(b, path, 4), Source: none})
	if err != nil {
		b.Fatal(err)
	}
	return x
}

// BenchmarkSearch looks up a word in one mention of ten, and a rare one,
// in an index of 20,000 mentions.
func BenchmarkSearch(b *testing.B) {
	const n = 20_000
	rows := make([]Row, n)
	for i := range rows {
		word := "billing"
		if i%10 == 0 {
			word = "denied"
		}
		rows[i] = Row{ID: int64(i + 1), Text: "my claim was " + word + " " + strconv.Itoa(i), Author: "member Pat Doe"}
	}
	x := benchIndex(b, b.TempDir())
	defer x.Stop()
	x.Add(rows)
	ctx := context.Background()
	if err := x.WaitFor(ctx, n); err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{"denied", "claim 1234"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				if _, err := x.Search(ctx, q, 0, 1001); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
