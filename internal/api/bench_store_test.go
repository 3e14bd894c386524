package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"earshot/internal/auth"
	"earshot/internal/model"
	"earshot/internal/store/storetest"
)

// casesBenchPaths are the case lists measured: the first page of the
// queue (default and largest size), a filtered one, and searches for a
// common, a middling and a rare word.
var casesBenchPaths = []string{
	"/api/v1/cases",
	"/api/v1/cases?limit=200",
	"/api/v1/cases?status=new",
	"/api/v1/cases?q=denied",
	"/api/v1/cases?q=card",
	"/api/v1/cases?q=copay",
	"/api/v1/cases?q=zzyzx",
}

// BenchmarkCasesStore serves GET /api/v1/cases from an existing store, to
// measure it at scale: prepare one with `earshot generate --count 1000000`
// and `earshot import --data DIR`, then run
//
//	EARSHOT_BENCH_DATA=DIR go test ./internal/api/ -run '^$' -bench CasesStore/first -benchtime 200x
//
// (or EARSHOT_BENCH_DATABASE_URL for PostgreSQL). It adds an API token to
// that store. Without either variable it is skipped: this is a manual
// benchmark, not a CI test. -bench 'CasesStore/first' runs only the first
// pages; the every-page runs read a whole search each time.
func BenchmarkCasesStore(b *testing.B) {
	ctx := context.Background()
	st := storetest.OpenPrepared(b)
	secret, hash := auth.NewToken()
	if err := st.CreateToken(ctx, &model.Token{Name: "bench", Role: model.RoleViewer, Hash: hash, CreatedAt: time.Now()}); err != nil {
		b.Fatal(err)
	}
	h := New(Config{Store: st})
	// get serves one request, adding its time to times.
	get := func(b *testing.B, path string, times *[]time.Duration) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		rec := httptest.NewRecorder()
		t0 := time.Now()
		h.ServeHTTP(rec, req)
		*times = append(*times, time.Since(t0))
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		return rec
	}
	for _, path := range casesBenchPaths {
		b.Run("first-page"+strings.TrimPrefix(path, "/api/v1/cases"), func(b *testing.B) {
			var times []time.Duration
			size, n := 0, 0
			for b.Loop() {
				rec := get(b, path, &times)
				size = rec.Body.Len()
				var page struct {
					Cases []json.RawMessage `json:"cases"`
				}
				if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
					b.Fatal(err)
				}
				n = len(page.Cases)
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
			b.ReportMetric(float64(size), "page-bytes")
			b.ReportMetric(float64(n), "cases")
		})
	}
	// Every page of a search, to its end: the later pages go on to older
	// windows of matches.
	for _, path := range []string{"/api/v1/cases?q=copay&limit=200", "/api/v1/cases?q=card&limit=200"} {
		b.Run("every-page"+strings.TrimPrefix(path, "/api/v1/cases"), func(b *testing.B) {
			var times []time.Duration
			pages, cases := 0, 0
			for b.Loop() {
				pages, cases = 0, 0
				cursor := ""
				for {
					rec := get(b, path+"&cursor="+cursor, &times)
					var page struct {
						Cases      []json.RawMessage `json:"cases"`
						NextCursor string            `json:"next_cursor"`
					}
					if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
						b.Fatal(err)
					}
					pages++
					cases += len(page.Cases)
					if page.NextCursor == "" {
						break
					}
					cursor = page.NextCursor
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
			b.ReportMetric(float64(times[len(times)-1].Microseconds())/1000, "max-ms")
			b.ReportMetric(float64(pages), "pages")
			b.ReportMetric(float64(cases), "cases")
		})
	}
}
