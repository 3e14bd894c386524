package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"earshot/internal/model"
	"earshot/internal/store"
)

// seedCases stores n cases of one mention each, straight through the
// store (the pipeline's analysis is not what is measured here).
func seedCases(b *testing.B, st *store.Store, n int) {
	b.Helper()
	ctx := context.Background()
	start := time.Now().Add(-30 * 24 * time.Hour).UTC()
	prios := []model.Priority{model.PriorityLow, model.PriorityNormal, model.PriorityNormal, model.PriorityHigh, model.PriorityUrgent}
	for done := 0; done < n; {
		err := st.WriteBatch(ctx, func(bt *store.Batch) error {
			for i := 0; i < 2000 && done < n; i, done = i+1, done+1 {
				at := start.Add(time.Duration(done) * time.Second)
				a := model.Author{ID: "a" + strconv.Itoa(done%5000), Handle: "member" + strconv.Itoa(done%5000), Name: "Pat Doe"}
				ids, err := bt.UpsertAuthors(ctx, []store.AuthorRow{{Platform: "x", Author: a}}, at)
				if err != nil {
					return err
				}
				aid := ids[0]
				due := at.Add(time.Hour)
				c := &model.Case{Status: model.StatusNew, Priority: prios[done%len(prios)], Platform: "x", Channel: "acme", AuthorID: aid,
					CreatedAt: at, UpdatedAt: at, LastActivityAt: at, FirstResponseDue: &due, SentimentFirst: "negative", SentimentLast: "negative",
					MentionCount: 1, Summary: fmt.Sprintf("My claim %d was denied again and nobody calls back", done)}
				if err := bt.InsertCase(ctx, c); err != nil {
					return err
				}
				m := &model.Mention{Platform: "x", Channel: "acme", ExternalID: "m" + strconv.Itoa(done), Kind: "post", Direction: "inbound",
					Text: c.Summary, CreatedAt: at, ReceivedAt: at, Author: a}
				if err := bt.InsertMention(ctx, m, aid, c.ID, []byte(`{"sentiment":{"label":"negative","score":-0.6},"intents":["claim"]}`)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInboxPage serves the whole inbox page (queue, views with
// counts, filters) to a signed-in agent over a store of
// EARSHOT_BENCH_MENTIONS mentions (default 20,000), and reports p50 and
// p95 latency and the page's size.
func BenchmarkInboxPage(b *testing.B) {
	n := 20_000
	if v := os.Getenv("EARSHOT_BENCH_MENTIONS"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	h := newHarness(b)
	seedCases(b, h.st, n)
	c := h.signIn("agent")
	jarCookies := c.Jar.Cookies(mustURL(h.srv.URL))
	for _, path := range []string{"/", "/?q=denied", "/?sentiment=negative&assignee=unassigned"} {
		b.Run(path, func(b *testing.B) {
			var times []time.Duration
			size := 0
			for b.Loop() {
				req := httptest.NewRequest("GET", path, nil)
				for _, ck := range jarCookies {
					req.AddCookie(ck)
				}
				rec := httptest.NewRecorder()
				t0 := time.Now()
				h.app.ServeHTTP(rec, req)
				times = append(times, time.Since(t0))
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
				size = rec.Body.Len()
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
			b.ReportMetric(float64(size), "page-bytes")
		})
	}
}

// reportBenchPaths are the reports pages measured: the default (last 7
// days by channel), 30 days, a filter, and another split.
var reportBenchPaths = []string{
	"/reports",
	"/reports?window=30d",
	"/reports?window=30d&platform=x",
	"/reports?window=30d&group_by=intent",
}

// benchPages serves each of paths with the session cookies and reports
// p50 and p95 latency and the page's size.
func benchPages(b *testing.B, app http.Handler, paths []string, cookies []*http.Cookie) {
	for _, path := range paths {
		b.Run(path, func(b *testing.B) {
			var times []time.Duration
			size := 0
			for b.Loop() {
				req := httptest.NewRequest("GET", path, nil)
				for _, ck := range cookies {
					req.AddCookie(ck)
				}
				rec := httptest.NewRecorder()
				t0 := time.Now()
				app.ServeHTTP(rec, req)
				times = append(times, time.Since(t0))
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
				size = rec.Body.Len()
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
			b.ReportMetric(float64(size), "page-bytes")
		})
	}
}

// BenchmarkReportsPage serves the whole reports page (figures, charts,
// tables, praise) to a signed-in viewer over a store of
// EARSHOT_BENCH_MENTIONS mentions (default 20,000) made in the last 30
// days, and reports p50 and p95 latency and the page's size. For the 1M
// figure, BenchmarkReportsPageStore serves a prepared store.
func BenchmarkReportsPage(b *testing.B) {
	n := 20_000
	if v := os.Getenv("EARSHOT_BENCH_MENTIONS"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	h := newHarness(b)
	seedCases(b, h.st, n)
	c := h.signIn("viewer")
	benchPages(b, h.app, reportBenchPaths, c.Jar.Cookies(mustURL(h.srv.URL)))
}
