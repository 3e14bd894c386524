package google

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"earshot/internal/connector"
)

// BenchmarkPoll100Reviews is the cost of one first poll of a location
// with 100 reviews: two pages of 50 (nextPageToken), as the Business
// Profile API lists them newest first, served as fixed bytes over
// loopback HTTP, and the parse into mentions. Allocations include the
// double's and the HTTP transport's. Run with
//
//	go test -run '^$' -bench . -benchmem ./internal/connector/google/
func BenchmarkPoll100Reviews(b *testing.B) {
	var pages [2][]byte
	for p := range pages {
		var reviews []map[string]any
		for i := range pageSize {
			n := 100 - (p*pageSize + i) // newest first
			at := now.Add(-time.Duration(n) * time.Hour).Format(time.RFC3339)
			reviews = append(reviews, fakeReview(fmt.Sprint("r", n), "TWO",
				"Waited an hour at the front desk and nobody could tell me if my plan covers the MRI", at, at))
		}
		list := map[string]any{"reviews": reviews, "averageRating": 2.4, "totalReviewCount": 100}
		if p == 0 {
			list["nextPageToken"] = "page-2"
		}
		var err error
		if pages[p], err = json.Marshal(list); err != nil {
			b.Fatal(err)
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v4/"+location+"/reviews" || r.Header.Get("Authorization") != "Bearer tok-123" {
			http.Error(w, `{"error":{"code":404,"status":"NOT_FOUND"}}`, http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("pageToken") == "page-2" {
			w.Write(pages[1])
			return
		}
		w.Write(pages[0])
	}))
	defer srv.Close()
	ch, err := New(connector.Config{ID: "google-dallas", Platform: "google", AccountID: location, BaseURL: srv.URL,
		Auth: connector.StaticToken("tok-123"), Client: srv.Client(), UserAgent: "earshot-test/1", Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.SetBytes(int64(len(pages[0]) + len(pages[1])))
	for b.Loop() {
		ms, _, err := ch.Poller.Poll(ctx, "")
		if err != nil || len(ms) != 100 {
			b.Fatalf("poll: %d mentions, %v", len(ms), err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/poll")
}
