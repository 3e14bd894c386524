package ingest

import (
	"bytes"
	"context"
	"testing"

	"earshot/internal/analyze"
	"earshot/internal/generate"
	"earshot/internal/store/storetest"
)

// BenchmarkImport measures the whole pipeline (decode, analyse, thread,
// persist) on generated mentions; it reports mentions per second.
func BenchmarkImport(b *testing.B) {
	var data bytes.Buffer
	const n = 20000
	if err := generate.New(generate.Options{Seed: 3}).WriteJSONL(&data, n); err != nil {
		b.Fatal(err)
	}
	an := analyze.New()
	b.ResetTimer()
	var total float64
	for b.Loop() {
		b.StopTimer()
		st := storetest.Open(b)
		p := New(st, an, Options{})
		b.StartTimer()
		stats, err := p.Import(context.Background(), bytes.NewReader(data.Bytes()), ImportOptions{})
		if err != nil || stats.New != n {
			b.Fatalf("import: %v, %+v", err, stats)
		}
		total += stats.Elapsed.Seconds()
	}
	b.ReportMetric(float64(n*b.N)/total, "mentions/s")
}

// BenchmarkImportRouted is BenchmarkImport with an organisation file in
// force: rules, site detection, SLA policies, timers and assignment for
// every mention.
func BenchmarkImportRouted(b *testing.B) {
	var data bytes.Buffer
	const n = 20000
	if err := generate.New(generate.Options{Seed: 3}).WriteJSONL(&data, n); err != nil {
		b.Fatal(err)
	}
	var total float64
	for b.Loop() {
		b.StopTimer()
		p, _ := routedPipeline(b, nil)
		b.StartTimer()
		stats, err := p.Import(context.Background(), bytes.NewReader(data.Bytes()), ImportOptions{})
		if err != nil || stats.New != n {
			b.Fatalf("import: %v, %+v", err, stats)
		}
		total += stats.Elapsed.Seconds()
	}
	b.ReportMetric(float64(n*b.N)/total, "mentions/s")
}
