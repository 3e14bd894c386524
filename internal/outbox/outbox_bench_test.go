package outbox_test

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/connector"
	"earshot/internal/ingest"
	"earshot/internal/jobs"
	"earshot/internal/model"
	"earshot/internal/outbox"
	"earshot/internal/store/storetest"
)

// countingSender is a platform that takes every reply at once, each
// with an id of its own.
type countingSender struct{ n atomic.Int64 }

func (s *countingSender) Send(_ context.Context, out connector.Outgoing) (connector.Sent, error) {
	id := strconv.FormatInt(1900000000000000000+s.n.Add(1), 10)
	return connector.Sent{ID: id, URL: "https://x.com/acme/status/" + id}, nil
}

// BenchmarkOutboxDelivers measures the outbox's throughput: b.N replies,
// one on each of b.N cases, queued as the composer queues them, then
// delivered through a platform that answers at once by a jobs runner
// ticking back to back, with the sweep and batch serve uses (the guard
// again before each send, the store's claim, settle and job completion
// per reply). It reports replies a second. serve's runner ticks once a
// second and a tick claims at most ten batches of 20 jobs, so one
// replica sends at most 200 replies a second whatever this figure is.
// Run with
//
//	go test -run '^$' -bench OutboxDelivers -benchtime 1000x ./internal/outbox/
func BenchmarkOutboxDelivers(b *testing.B) {
	ctx := context.Background()
	st := storetest.Open(b)
	now := time.Now().UTC()
	p := ingest.New(st, analyze.New(), ingest.Options{})
	ms := make([]model.Mention, b.N)
	for i := range ms {
		id := strconv.Itoa(1700000000000000000 + i)
		ms[i] = model.Mention{Platform: "x", Channel: "acme", ExternalID: id, Kind: "post", Text: "my new card never came",
			CreatedAt: now.Add(-time.Hour), ThreadID: id, Author: model.Author{ID: strconv.Itoa(5000 + i), Handle: "member" + strconv.Itoa(i)}}
	}
	var caseIDs []int64
	for len(ms) > 0 {
		n := min(len(ms), 500)
		res, err := p.Ingest(ctx, ms[:n])
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range res {
			if r.Err != nil || r.CaseID == 0 {
				b.Fatalf("ingest: %+v", r)
			}
			caseIDs = append(caseIDs, r.CaseID)
		}
		ms = ms[n:]
	}
	for _, id := range caseIDs {
		rp := &model.Reply{CaseID: id, Text: "We are sorry. Please send us a direct message so we can help.",
			Visibility: model.VisibilityPublic, Author: "agent@example.org", CreatedAt: now}
		if err := st.AddReply(ctx, rp, nil); err != nil {
			b.Fatal(err)
		}
	}
	sender := &countingSender{}
	reg, err := connector.NewRegistry(connector.Channel{ID: "acme", Platform: "x", Sender: sender})
	if err != nil {
		b.Fatal(err)
	}
	ob := outbox.New(st, testGuard(), outbox.Options{Connectors: reg})
	runner := jobs.New(st, jobs.Options{})
	runner.Handle(model.JobKindDeliverReply, ob.Handler())
	runner.Every("outbox", ob.Sweep(200))

	b.ResetTimer()
	start := time.Now()
	for sender.n.Load() < int64(b.N) {
		ran, err := runner.Tick(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if ran == 0 {
			b.Fatalf("a tick ran nothing with %d of %d replies sent", sender.n.Load(), b.N)
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	if n := sender.n.Load(); n != int64(b.N) {
		b.Fatalf("the platform got %d sends for %d replies", n, b.N)
	}
	c, err := st.GetCase(ctx, caseIDs[len(caseIDs)-1])
	if err != nil || len(c.Replies) != 1 || c.Replies[0].State != model.ReplySent {
		b.Fatalf("the last case's reply: %+v %v", c.Replies, err)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "replies/s")
}
