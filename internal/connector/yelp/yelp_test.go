package yelp

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"earshot/internal/connector"
	"earshot/internal/ingest"
)

// fakeYelp is a test double of GET /v3/businesses/{id}/reviews in Yelp
// Fusion's documented shape.
type fakeYelp struct {
	t       *testing.T
	mu      sync.Mutex
	reviews []map[string]any // newest first, as Yelp gives them
	calls   int
	fail    func(w http.ResponseWriter) bool
}

func (f *fakeYelp) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if got := r.Header.Get("Authorization"); got != "Bearer yelp-key" {
		f.t.Errorf("Authorization = %q", got)
	}
	if got := r.Header.Get("User-Agent"); got != "earshot-test/1" {
		f.t.Errorf("User-Agent = %q", got)
	}
	if f.fail != nil && f.fail(w) {
		return
	}
	if r.Method != http.MethodGet || r.URL.Path != "/v3/businesses/dallas-medical-center-dallas/reviews" {
		w.WriteHeader(404)
		io.WriteString(w, `{"error":{"code":"BUSINESS_NOT_FOUND","description":"The requested business could not be found."}}`)
		return
	}
	if got := r.URL.Query().Get("sort_by"); got != "newest" {
		f.t.Errorf("sort_by = %q", got)
	}
	json.NewEncoder(w).Encode(map[string]any{
		"reviews": f.reviews[:min(3, len(f.reviews))], "total": len(f.reviews), "possible_languages": []string{"en"},
	})
}

func fakeReview(id string, rating float64, created string) map[string]any {
	return map[string]any{
		"id": id, "url": "https://www.yelp.com/biz/dallas-medical-center-dallas?hrid=" + id,
		"text": "Review " + id + " excerpt...", "rating": rating, "time_created": created,
		"user": map[string]any{"id": "u-" + id, "profile_url": "https://www.yelp.com/user_details?userid=u-" + id,
			"image_url": nil, "name": "Pat " + strings.ToUpper(id) + "."},
	}
}

var now = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

func newTest(t *testing.T) (*fakeYelp, connector.Channel) {
	t.Helper()
	f := &fakeYelp{t: t}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	ch, err := New(connector.Config{
		ID: "yelp-dallas", Platform: "yelp", AccountID: "dallas-medical-center-dallas", BaseURL: srv.URL,
		Auth: connector.StaticToken("yelp-key"), Client: srv.Client(), UserAgent: "earshot-test/1",
		Now: func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	return f, ch
}

func TestPollHearsEachExcerptOnceWithItsPacificTime(t *testing.T) {
	f, ch := newTest(t)
	if ch.Sender != nil {
		t.Error("a Yelp channel has a Sender; Yelp has no public reply API")
	}
	f.reviews = []map[string]any{
		fakeReview("c", 2, "2026-07-04 23:30:00"), // PDT, UTC-7
		fakeReview("b", 5, "2026-01-15 09:00:00"), // PST, UTC-8
		fakeReview("a", 1, "2025-11-02 01:30:00"),
	}
	ms, cursor, err := ch.Poller.Poll(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 3 {
		t.Fatalf("got %d mentions, want 3", len(ms))
	}
	for _, m := range ms {
		if err := ingest.Normalize(&m, now); err != nil {
			t.Errorf("mention %s breaks the contract: %v", m.ExternalID, err)
		}
	}
	if ms[0].ExternalID != "a" || ms[1].ExternalID != "b" || ms[2].ExternalID != "c" {
		t.Errorf("order = %s %s %s, want oldest first", ms[0].ExternalID, ms[1].ExternalID, ms[2].ExternalID)
	}
	if want := time.Date(2026, 1, 15, 17, 0, 0, 0, time.UTC); !ms[1].CreatedAt.Equal(want) {
		t.Errorf("winter time = %v, want %v (PST)", ms[1].CreatedAt.UTC(), want)
	}
	if want := time.Date(2026, 7, 5, 6, 30, 0, 0, time.UTC); !ms[2].CreatedAt.Equal(want) {
		t.Errorf("summer time = %v, want %v (PDT)", ms[2].CreatedAt.UTC(), want)
	}
	c := ms[2]
	if c.Platform != "yelp" || c.Channel != "yelp-dallas" || c.Kind != "review" || *c.Rating != 2 ||
		c.URL != "https://www.yelp.com/biz/dallas-medical-center-dallas?hrid=c" || c.Author.ID != "u-c" ||
		c.Author.Name != "Pat C." || c.ThreadID != "c" || c.Text != "Review c excerpt..." {
		t.Errorf("mention c = %+v", c)
	}

	// A new review pushes the oldest out of the three excerpts.
	f.reviews = append([]map[string]any{fakeReview("d", 4, "2026-12-06 08:00:00")}, f.reviews...)
	ms, cursor, err = ch.Poller.Poll(context.Background(), cursor)
	if err != nil || len(ms) != 1 || ms[0].ExternalID != "d" {
		t.Fatalf("second poll = %v, %v; want only d", ms, err)
	}
	ms, again, err := ch.Poller.Poll(context.Background(), cursor)
	if err != nil || len(ms) != 0 || again != cursor {
		t.Errorf("third poll = %d mentions, cursor changed %v, %v", len(ms), again != cursor, err)
	}
	// d is removed on Yelp: a, seen long ago, comes back into the three.
	f.reviews = f.reviews[1:]
	if ms, _, err := ch.Poller.Poll(context.Background(), cursor); err != nil || len(ms) != 0 {
		t.Errorf("after a removal = %d mentions, %v; want none", len(ms), err)
	}
}

func TestPollFailuresAreTyped(t *testing.T) {
	cases := []struct {
		name   string
		answer func(w http.ResponseWriter)
		check  func(t *testing.T, err error)
	}{
		{"per second", func(w http.ResponseWriter) {
			w.WriteHeader(429)
			io.WriteString(w, `{"error":{"code":"TOO_MANY_REQUESTS_PER_SECOND","description":"You have exceeded the queries-per-second limit for this endpoint."}}`)
		}, func(t *testing.T, err error) {
			var rl *connector.RateLimited
			if !errors.As(err, &rl) || rl.RetryAfter != time.Second {
				t.Errorf("err = %v, want RateLimited 1s", err)
			}
		}},
		{"daily", func(w http.ResponseWriter) {
			w.WriteHeader(429)
			io.WriteString(w, `{"error":{"code":"ACCESS_LIMIT_REACHED","description":"You've reached the access limit for this client."}}`)
		}, func(t *testing.T, err error) {
			var rl *connector.RateLimited
			if !errors.As(err, &rl) || rl.RetryAfter != time.Hour {
				t.Errorf("err = %v, want RateLimited 1h", err)
			}
		}},
		{"429 with Retry-After", func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "12")
			w.WriteHeader(429)
		}, func(t *testing.T, err error) {
			var rl *connector.RateLimited
			if !errors.As(err, &rl) || rl.RetryAfter != 12*time.Second {
				t.Errorf("err = %v, want RateLimited 12s", err)
			}
		}},
		{"502", func(w http.ResponseWriter) { w.WriteHeader(502) }, func(t *testing.T, err error) {
			var tmp *connector.Temporary
			if !errors.As(err, &tmp) {
				t.Errorf("err = %v, want Temporary", err)
			}
		}},
		{"bad key", func(w http.ResponseWriter) {
			w.WriteHeader(401)
			io.WriteString(w, `{"error":{"code":"TOKEN_INVALID","description":"Invalid access token or authorization header."}}`)
		}, func(t *testing.T, err error) {
			var p *connector.Permanent
			if !errors.As(err, &p) || !strings.Contains(p.Reason, "API key") || !strings.Contains(p.Reason, "TOKEN_INVALID") {
				t.Errorf("err = %v, want Permanent about the key", err)
			}
		}},
		{"not json", func(w http.ResponseWriter) { io.WriteString(w, `{"reviews": [`) }, func(t *testing.T, err error) {
			if err == nil || !strings.Contains(err.Error(), "not a review list") {
				t.Errorf("err = %v", err)
			}
		}},
		{"bad time", func(w http.ResponseWriter) {
			io.WriteString(w, `{"reviews":[{"id":"x","rating":3,"time_created":"2026-12-01T10:00:00Z","user":{"id":"u"}}]}`)
		}, func(t *testing.T, err error) {
			if err == nil || !strings.Contains(err.Error(), "time_created") {
				t.Errorf("err = %v", err)
			}
		}},
		{"bad rating", func(w http.ResponseWriter) {
			io.WriteString(w, `{"reviews":[{"id":"x","rating":7,"time_created":"2026-12-01 10:00:00","user":{"id":"u"}}]}`)
		}, func(t *testing.T, err error) {
			if err == nil || !strings.Contains(err.Error(), "rating 7") {
				t.Errorf("err = %v", err)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, ch := newTest(t)
			f.fail = func(w http.ResponseWriter) bool { c.answer(w); return true }
			ms, cursor, err := ch.Poller.Poll(context.Background(), `{"seen":["a"]}`)
			if len(ms) != 0 || cursor != `{"seen":["a"]}` {
				t.Errorf("failed poll gave %d mentions and cursor %q", len(ms), cursor)
			}
			c.check(t, err)
		})
	}
}

func TestNewRefusesABusinessIDThatIsAPath(t *testing.T) {
	for _, id := range []string{"", "..", "a/b", "a?b", "a b"} {
		if _, err := New(connector.Config{ID: "y", AccountID: id, Client: http.DefaultClient}); err == nil {
			t.Errorf("New accepted account_id %q", id)
		}
	}
}

func FuzzParseReviews(f *testing.F) {
	f.Add([]byte(`{"reviews":[{"id":"x","url":"https://www.yelp.com/biz/a?hrid=x","text":"ok","rating":4,"time_created":"2016-08-29 00:41:13","user":{"id":"u","profile_url":"https://www.yelp.com/user_details?userid=u","image_url":null,"name":"Ella A."}}],"total":1}`))
	f.Add([]byte(`{"reviews":[{"id":"x","rating":4.5,"time_created":"2016-03-13 02:30:00","user":{"name":"A"}}]}`))
	f.Add([]byte(`{"error":{"code":"X"}}`))
	pacific, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		rs, err := parseReviews(body, pacific)
		if err != nil {
			return
		}
		for _, r := range rs {
			m := r.mention("c")
			if m.ExternalID == "" || m.CreatedAt.IsZero() || *m.Rating < 1 || *m.Rating > 5 || (m.Author.ID == "" && m.Author.Handle == "") {
				t.Fatalf("parsed review breaks the contract: %+v", m)
			}
		}
	})
}
