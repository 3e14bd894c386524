package ingest

import (
	"bytes"
	"context"
	"syscall"
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
	var total, cpu float64
	for b.Loop() {
		b.StopTimer()
		st := storetest.Open(b)
		p := New(st, an, Options{})
		b.StartTimer()
		cpu0 := cpuSeconds()
		stats, err := p.Import(context.Background(), bytes.NewReader(data.Bytes()), ImportOptions{})
		cpu += cpuSeconds() - cpu0
		if err != nil || stats.New != n {
			b.Fatalf("import: %v, %+v", err, stats)
		}
		total += stats.Elapsed.Seconds()
	}
	b.ReportMetric(float64(n*b.N)/total, "mentions/s")
	b.ReportMetric(cpu*1e6/float64(n*b.N), "cpu-µs/mention")
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
	var total, cpu float64
	for b.Loop() {
		b.StopTimer()
		p, _ := routedPipeline(b, nil)
		b.StartTimer()
		cpu0 := cpuSeconds()
		stats, err := p.Import(context.Background(), bytes.NewReader(data.Bytes()), ImportOptions{})
		cpu += cpuSeconds() - cpu0
		if err != nil || stats.New != n {
			b.Fatalf("import: %v, %+v", err, stats)
		}
		total += stats.Elapsed.Seconds()
	}
	b.ReportMetric(float64(n*b.N)/total, "mentions/s")
	b.ReportMetric(cpu*1e6/float64(n*b.N), "cpu-µs/mention")
}

// cpuSeconds is the process's user and system CPU time so far: a cost
// measure that other load on a shared machine disturbs less than wall
// time.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
