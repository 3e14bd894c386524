package x

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"earshot/internal/connector"
)

// benchPage is one full page of the mentions timeline, as X answers it
// (https://docs.x.com/x-api/posts/timelines/introduction): 100 posts,
// newest first, by 20 authors expanded in includes.users.
func benchPage(b *testing.B) []byte {
	b.Helper()
	var posts []map[string]any
	var users []map[string]any
	for i := 100; i >= 1; i-- {
		id := strconv.Itoa(1800000000000000000 + i)
		author := strconv.Itoa(500 + i%20)
		posts = append(posts, post(id, author, "@BCBSTX my member card #"+strconv.Itoa(i)+" never came and the pharmacy will not fill my prescription"))
	}
	for a := range 20 {
		users = append(users, user(strconv.Itoa(500+a), "member_"+strconv.Itoa(a), "post_count", 100*a))
	}
	body, err := json.Marshal(map[string]any{"data": posts, "includes": map[string]any{"users": users},
		"meta": map[string]any{"result_count": 100, "newest_id": posts[0]["id"], "oldest_id": posts[99]["id"]}})
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// BenchmarkPoll100Posts is the cost of one poll of an X channel whose
// mentions timeline has a full page of 100 new posts: the request, the
// answer over loopback HTTP from a double that sends fixed bytes, and
// the parse into mentions. Allocations include the double's and the HTTP
// transport's. Run with
//
//	go test -run '^$' -bench . -benchmem ./internal/connector/x/
func BenchmarkPoll100Posts(b *testing.B) {
	page := benchPage(b)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/2/users/"+ourID+"/mentions" || r.Header.Get("Authorization") != "Bearer "+testToken {
			http.Error(w, `{"title":"Not Found Error"}`, http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(page)
	}))
	defer srv.Close()
	c, err := newClient(connector.Config{ID: "acme-x", Platform: "x", AccountID: ourID, BaseURL: srv.URL,
		Auth: connector.StaticToken(testToken), Client: srv.Client(), UserAgent: testUA, Now: func() time.Time { return testNow }})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		ms, next, err := c.Poll(ctx, "")
		if err != nil || len(ms) != 100 || next != "1800000000000000100" {
			b.Fatalf("poll: %d mentions, next %q, %v", len(ms), next, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/poll")
}

// BenchmarkParseMentionsPage is the parse alone of a page of 100 posts.
func BenchmarkParseMentionsPage(b *testing.B) {
	page := benchPage(b)
	b.ReportAllocs()
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		ms, _, _, err := parseMentionsPage(page, "acme-x", ourID)
		if err != nil || len(ms) != 100 {
			b.Fatalf("parse: %d mentions, %v", len(ms), err)
		}
	}
}
