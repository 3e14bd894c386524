package web

import (
	"context"
	"crypto/rand"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"testing"
	"time"

	"earshot/internal/auth"
	"earshot/internal/model"
	"earshot/internal/report"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

// inboxBenchPaths are the page kinds measured: the whole queue, filtered
// views (common and rare filters, alone and combined) and search for
// common and rare words.
var inboxBenchPaths = []string{
	"/",
	"/?status=new",
	"/?sentiment=negative",
	"/?sentiment=negative&assignee=unassigned",
	"/?status=open&sentiment=positive&platform=x",
	"/?assignee=mine",
	"/?intent=billing",
	"/?intent=find_doctor",
	"/?platform=web",
	"/?platform=yelp&sentiment=positive&status=new",
	"/?q=denied",
	"/?q=card",
	"/?q=zzyzx",
}

// BenchmarkInboxPageStore serves the inbox page from an existing store, to
// measure it at scale: prepare one with `earshot generate --count 1000000`
// and `earshot import --data DIR`, then run
//
//	EARSHOT_BENCH_DATA=DIR go test ./internal/web/ -run '^$' -bench InboxPageStore -benchtime 100x
//
// (or EARSHOT_BENCH_DATABASE_URL for PostgreSQL). It adds a benchmark
// user and session to that store. Without either variable it is skipped:
// this is a manual benchmark, not a CI test.
func BenchmarkInboxPageStore(b *testing.B) {
	ctx := context.Background()
	st := storetest.OpenPrepared(b)
	const email = "bench-agent@example.org"
	u, err := st.UserByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		u = &model.User{Email: email, Name: "Bench", Role: model.RoleAgent, CreatedAt: time.Now()}
		err = st.CreateUser(ctx, u)
	}
	if err != nil {
		b.Fatal(err)
	}
	secret := rand.Text()
	now := time.Now().UTC()
	if err := st.CreateSession(ctx, store.Session{Hash: auth.HashToken(secret), UserID: u.ID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(time.Hour)}); err != nil {
		b.Fatal(err)
	}
	// By default every request counts the views afresh (an empty count
	// cache); EARSHOT_BENCH_COUNT_CACHE=on measures the steady state of a
	// busy inbox, where counts come from the cache.
	cached := os.Getenv("EARSHOT_BENCH_COUNT_CACHE") == "on"
	app, err := New(Config{Store: st})
	if err != nil {
		b.Fatal(err)
	}
	defer app.Close()
	for _, path := range inboxBenchPaths {
		b.Run(path, func(b *testing.B) {
			var times []time.Duration
			size := 0
			for b.Loop() {
				req := httptest.NewRequest("GET", path, nil)
				req.AddCookie(&http.Cookie{Name: sessionCookie, Value: secret})
				rec := httptest.NewRecorder()
				if !cached {
					app.counts = newCountCache()
				}
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

// BenchmarkReportsPageStore serves the reports page from an existing
// store (EARSHOT_BENCH_DATA or EARSHOT_BENCH_DATABASE_URL, prepared as
// for BenchmarkInboxPageStore) to a viewer, at the time
// EARSHOT_BENCH_NOW (RFC 3339; default now) so that the windows meet
// the store's mentions, with days read in EARSHOT_BENCH_ZONE (an IANA
// zone; default UTC):
//
//	EARSHOT_BENCH_DATA=DIR EARSHOT_BENCH_NOW=2026-12-05T23:00:00-06:00 EARSHOT_BENCH_ZONE=America/Chicago \
//	  go test ./internal/web/ -run '^$' -bench ReportsPageStore -benchtime 20x
func BenchmarkReportsPageStore(b *testing.B) {
	ctx := context.Background()
	st := storetest.OpenPrepared(b)
	now := time.Now()
	if v := os.Getenv("EARSHOT_BENCH_NOW"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			b.Fatalf("EARSHOT_BENCH_NOW: %v", err)
		}
		now = t
	}
	const email = "bench-viewer@example.org"
	u, err := st.UserByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		u = &model.User{Email: email, Name: "Bench", Role: model.RoleViewer, CreatedAt: time.Now()}
		err = st.CreateUser(ctx, u)
	}
	if err != nil {
		b.Fatal(err)
	}
	secret := rand.Text()
	if err := st.CreateSession(ctx, store.Session{Hash: auth.HashToken(secret), UserID: u.ID, CreatedAt: time.Now(), LastSeenAt: time.Now(),
		ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
		b.Fatal(err)
	}
	loc := time.UTC
	if v := os.Getenv("EARSHOT_BENCH_ZONE"); v != "" {
		if loc, err = time.LoadLocation(v); err != nil {
			b.Fatalf("EARSHOT_BENCH_ZONE: %v", err)
		}
	}
	reports := report.New(st, report.Options{Location: func() *time.Location { return loc }})
	app, err := New(Config{Store: st, Reports: reports, Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	defer app.Close()
	benchPages(b, app, reportBenchPaths, []*http.Cookie{{Name: sessionCookie, Value: secret}})
}
