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
	an := analyze.New()
	benchImport(b, func() *Pipeline { return New(storetest.Open(b), an, Options{}) })
}

// BenchmarkImportRouted is BenchmarkImport with an organisation file in
// force: rules, site detection, SLA policies, timers and assignment for
// every mention.
func BenchmarkImportRouted(b *testing.B) {
	benchImport(b, func() *Pipeline {
		p, _ := routedPipeline(b, nil)
		return p
	})
}

// benchImport imports 20,000 generated mentions into a fresh pipeline
// from newPipeline per round (set up off the clock) and reports mentions
// per second and CPU time per mention.
func benchImport(b *testing.B, newPipeline func() *Pipeline) {
	var data bytes.Buffer
	const n = 20000
	if err := generate.New(generate.Options{Seed: 3}).WriteJSONL(&data, n); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var total, cpu float64
	for b.Loop() {
		b.StopTimer()
		p := newPipeline()
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
