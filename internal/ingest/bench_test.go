package ingest

import (
	"bytes"
	"context"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/generate"
	"earshot/internal/model"
	"earshot/internal/store"
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

// BenchmarkIngestReplicas measures API-style ingest on one database by
// two replicas (pipelines, each with its own store), each with eight
// callers storing generated mentions 20 at a time, as API clients send
// them; it reports mentions per second. Set EARSHOT_TEST_DATABASE_URL
// to run it on PostgreSQL, where the replicas' transactions contend.
func BenchmarkIngestReplicas(b *testing.B) {
	const n, replicas, callers, chunk = 10000, 2, 8, 20
	var data bytes.Buffer
	if err := generate.New(generate.Options{Seed: 3}).WriteJSONL(&data, n); err != nil {
		b.Fatal(err)
	}
	an := analyze.New()
	var total float64
	for b.Loop() {
		b.StopTimer()
		var ms []model.Mention
		for line := range bytes.Lines(data.Bytes()) {
			m, err := Decode(line, time.Now())
			if err != nil {
				b.Fatal(err)
			}
			ms = append(ms, m)
		}
		cfg := storetest.Config(b)
		var ps []*Pipeline
		for range replicas {
			st, err := store.Open(context.Background(), cfg)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { st.Close() })
			ps = append(ps, New(st, an, Options{}))
		}
		var next atomic.Int64
		var wg sync.WaitGroup
		b.StartTimer()
		start := time.Now()
		for i := range replicas * callers {
			wg.Go(func() {
				for {
					from := int(next.Add(chunk)) - chunk
					if from >= len(ms) {
						return
					}
					if _, err := ps[i%replicas].Ingest(context.Background(), ms[from:min(from+chunk, len(ms))]); err != nil {
						b.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		total += time.Since(start).Seconds()
	}
	b.ReportMetric(float64(n*b.N)/total, "mentions/s")
}
