package feed

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"earshot/internal/connector"
)

// BenchmarkPollFeed is the cost of one poll of an RSS feed of 100 items:
// "changed" fetches and parses the whole feed (a first poll, or a feed
// with news), "unchanged" is the conditional GET answered 304 Not
// Modified, what most polls of a feed cost. The feed is served as fixed
// bytes over loopback HTTP; allocations include the double's and the
// HTTP transport's. Run with
//
//	go test -run '^$' -bench . -benchmem ./internal/connector/feed/
func BenchmarkPollFeed(b *testing.B) {
	var doc strings.Builder
	doc.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Dallas Health News</title><link>https://news.example.org/</link>`)
	for i := range 100 {
		at := now.Add(-time.Duration(i) * time.Hour).Format(time.RFC1123Z)
		fmt.Fprintf(&doc, `<item><title>Lone Star Health members report denied claims, part %d</title>
<link>https://news.example.org/2026/12/claims-%d</link><description><![CDATA[<p>Members of <b>Lone Star Health</b> say claims for MRI scans were denied.</p>]]></description>
<pubDate>%s</pubDate><guid isPermaLink="false">item-%d</guid><dc:creator>Ana Ruiz</dc:creator></item>`, i, i, at, i)
	}
	doc.WriteString(`</channel></rss>`)
	body := []byte(doc.String())
	const etag, modified = `"v1"`, "Mon, 07 Dec 2026 10:00:00 GMT"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", modified)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(body)
	}))
	defer srv.Close()
	ch, err := New(connector.Config{ID: "news", Platform: "rss", URL: srv.URL + "/feed.xml", Client: srv.Client(),
		UserAgent: "earshot-test/1", Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	_, seen, err := ch.Poller.Poll(ctx, "")
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name, cursor string
		want         int
	}{{"changed", "", 100}, {"unchanged", seen, 0}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			if c.want > 0 {
				b.SetBytes(int64(len(body)))
			}
			for b.Loop() {
				ms, _, err := ch.Poller.Poll(ctx, c.cursor)
				if err != nil || len(ms) != c.want {
					b.Fatalf("poll: %d mentions, want %d, %v", len(ms), c.want, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/poll")
		})
	}
}
