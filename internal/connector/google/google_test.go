package google

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"earshot/internal/connector"
	"earshot/internal/ingest"
	"earshot/internal/model"
)

const location = "accounts/111/locations/222"

// fakeGoogle is a test double of the Business Profile API's reviews
// endpoints, answering in the documented shapes.
type fakeGoogle struct {
	t        *testing.T
	mu       sync.Mutex
	reviews  []map[string]any // any order; served newest updateTime first
	page     int              // reviews per page it serves (at most pageSize)
	lists    int              // list calls seen
	replies  map[string]string
	fail     func(w http.ResponseWriter) bool // answers instead when it returns true
	replyAns string                           // extra fields of the reply answer
}

func (f *fakeGoogle) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if got := r.Header.Get("Authorization"); got != "Bearer tok-123" {
		f.t.Errorf("Authorization = %q", got)
	}
	if got := r.Header.Get("User-Agent"); got != "earshot-test/1" {
		f.t.Errorf("User-Agent = %q", got)
	}
	if f.fail != nil && f.fail(w) {
		return
	}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/v4/"+location+"/reviews":
		f.lists++
		q := r.URL.Query()
		if q.Get("pageSize") != "50" || q.Get("orderBy") != "updateTime desc" {
			f.t.Errorf("list query = %v", q)
		}
		sorted := slices.Clone(f.reviews)
		slices.SortFunc(sorted, func(a, b map[string]any) int {
			return strings.Compare(b["updateTime"].(string), a["updateTime"].(string))
		})
		start := 0
		if tok := q.Get("pageToken"); tok != "" {
			fmt.Sscanf(tok, "p%d", &start)
		}
		end := min(start+f.page, len(sorted))
		ans := map[string]any{"reviews": sorted[start:end], "averageRating": 3.5, "totalReviewCount": len(sorted)}
		if end < len(sorted) {
			ans["nextPageToken"] = fmt.Sprintf("p%d", end)
		}
		json.NewEncoder(w).Encode(ans)
	case r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/reply"):
		var body struct{ Comment string }
		data, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(data, &body); err != nil {
			f.t.Errorf("reply body %s: %v", data, err)
		}
		name := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/v4/"), "/reply")
		f.replies[name] = body.Comment
		fmt.Fprintf(w, `{"comment":%q,"updateTime":"2026-12-07T10:00:00Z"%s}`, body.Comment, f.replyAns)
	default:
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"error":{"code":404,"message":"Requested entity was not found.","status":"NOT_FOUND"}}`)
	}
}

func fakeReview(id, stars, comment, created, updated string) map[string]any {
	return map[string]any{
		"name":       location + "/reviews/" + id,
		"reviewId":   id,
		"reviewer":   map[string]any{"displayName": "Reviewer " + id, "profilePhotoUrl": "https://lh3.googleusercontent.com/x"},
		"starRating": stars,
		"comment":    comment,
		"createTime": created,
		"updateTime": updated,
	}
}

var now = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

func newTest(t *testing.T) (*fakeGoogle, connector.Channel) {
	t.Helper()
	f := &fakeGoogle{t: t, page: 2, replies: map[string]string{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	ch, err := New(connector.Config{
		ID: "google-dallas", Platform: "google", AccountID: location, BaseURL: srv.URL,
		Auth: connector.StaticToken("tok-123"), Client: srv.Client(), UserAgent: "earshot-test/1",
		Now: func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	return f, ch
}

func TestPollReadsEveryPageFirstThenOnlyWhatChanged(t *testing.T) {
	f, ch := newTest(t)
	f.reviews = []map[string]any{
		fakeReview("a", "ONE", "Waited three hours in the ER.", "2026-12-01T10:00:00Z", "2026-12-01T10:00:00Z"),
		fakeReview("b", "FIVE", "Great nurses.", "2026-12-02T10:00:00Z", "2026-12-02T10:00:00Z"),
		fakeReview("c", "THREE", "", "2026-12-03T10:00:00Z", "2026-12-03T10:00:00.5Z"),
	}
	f.reviews[2]["reviewer"] = map[string]any{"isAnonymous": true}
	f.reviews[1]["reviewReply"] = map[string]any{"comment": "Thank you!", "updateTime": "2026-12-02T11:00:00Z"}
	ms, cursor, err := ch.Poller.Poll(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if f.lists != 2 {
		t.Errorf("list calls = %d, want 2 (two pages)", f.lists)
	}
	var ids []string
	for _, m := range ms {
		ids = append(ids, m.ExternalID[strings.LastIndex(m.ExternalID, "/")+1:])
		if err := ingest.Normalize(&m, now); err != nil {
			t.Errorf("mention %s breaks the contract: %v", m.ExternalID, err)
		}
	}
	if !slices.Equal(ids, []string{"a", "b", "c"}) {
		t.Fatalf("mentions = %v, want a b c, oldest first", ids)
	}
	a := ms[0]
	if a.Platform != "google" || a.Channel != "google-dallas" || a.Kind != "review" || a.Direction != "inbound" ||
		a.ThreadID != location+"/reviews/a" || *a.Rating != 1 || a.Text != "Waited three hours in the ER." ||
		!a.CreatedAt.Equal(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)) || a.Author.Name != "Reviewer a" {
		t.Errorf("mention a = %+v", a)
	}
	if ms[2].Author.Name != anonymousName || ms[2].Text != "" || *ms[2].Rating != 3 {
		t.Errorf("anonymous rating-only review = %+v", ms[2])
	}
	if ms[0].Author.Key() == ms[1].Author.Key() {
		t.Error("two reviewers share an author key")
	}
	if cursor != "2026-12-03T10:00:00.5Z" {
		t.Errorf("cursor = %q", cursor)
	}

	f.lists = 0
	ms, again, err := ch.Poller.Poll(context.Background(), cursor)
	if err != nil || len(ms) != 0 || again != cursor || f.lists != 1 {
		t.Errorf("second poll = %d mentions, cursor %q, %d calls, %v; want none, same cursor, one call", len(ms), again, f.lists, err)
	}
}

func TestPollReturnsAnEditedReviewAgainWithItsNameAndNewRating(t *testing.T) {
	f, ch := newTest(t)
	f.reviews = []map[string]any{
		fakeReview("a", "ONE", "Billing never called back.", "2026-12-01T10:00:00Z", "2026-12-01T10:00:00Z"),
		fakeReview("b", "FIVE", "Great nurses.", "2026-12-02T10:00:00Z", "2026-12-02T10:00:00Z"),
	}
	_, cursor, err := ch.Poller.Poll(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	f.reviews[0]["starRating"] = "FOUR"
	f.reviews[0]["comment"] = "Billing called back and fixed it."
	f.reviews[0]["updateTime"] = "2026-12-05T08:00:00Z"
	ms, next, err := ch.Poller.Poll(context.Background(), cursor)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 {
		t.Fatalf("got %d mentions, want the edited one", len(ms))
	}
	m := ms[0]
	if m.ExternalID != location+"/reviews/a" || *m.Rating != 4 || m.Text != "Billing called back and fixed it." ||
		!m.CreatedAt.Equal(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("edited review = %+v (rating %d)", m, *m.Rating)
	}
	if next != "2026-12-05T08:00:00Z" {
		t.Errorf("cursor = %q", next)
	}
}

func TestPollFailuresAreTypedAndKeepTheCursor(t *testing.T) {
	cases := []struct {
		name   string
		answer func(w http.ResponseWriter)
		check  func(t *testing.T, err error)
	}{
		{"429", func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "30")
			w.WriteHeader(429)
			io.WriteString(w, `{"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED"}}`)
		}, func(t *testing.T, err error) {
			var rl *connector.RateLimited
			if !errors.As(err, &rl) || rl.RetryAfter != 30*time.Second {
				t.Errorf("err = %v, want RateLimited 30s", err)
			}
		}},
		{"503", func(w http.ResponseWriter) { w.WriteHeader(503) }, func(t *testing.T, err error) {
			var tmp *connector.Temporary
			if !errors.As(err, &tmp) {
				t.Errorf("err = %v, want Temporary", err)
			}
		}},
		{"403", func(w http.ResponseWriter) {
			w.WriteHeader(403)
			io.WriteString(w, `{"error":{"code":403,"message":"The caller does not have permission","status":"PERMISSION_DENIED"}}`)
		}, func(t *testing.T, err error) {
			var p *connector.Permanent
			if !errors.As(err, &p) || !strings.Contains(p.Reason, "owner or manager") || !strings.Contains(p.Reason, "does not have permission") {
				t.Errorf("err = %v, want Permanent in plain words", err)
			}
		}},
		{"not json", func(w http.ResponseWriter) { io.WriteString(w, `<html>oops</html>`) }, func(t *testing.T, err error) {
			if err == nil || !strings.Contains(err.Error(), "not a review list") {
				t.Errorf("err = %v", err)
			}
		}},
		{"bad rating", func(w http.ResponseWriter) {
			io.WriteString(w, `{"reviews":[{"name":"`+location+`/reviews/x","starRating":"SIX","comment":"hi","createTime":"2026-12-01T10:00:00Z"}]}`)
		}, func(t *testing.T, err error) {
			if err == nil || !strings.Contains(err.Error(), `starRating "SIX"`) {
				t.Errorf("err = %v", err)
			}
		}},
		{"other location", func(w http.ResponseWriter) {
			io.WriteString(w, `{"reviews":[{"name":"accounts/9/locations/9/reviews/x","starRating":"TWO","createTime":"2026-12-01T10:00:00Z"}]}`)
		}, func(t *testing.T, err error) {
			if err == nil || !strings.Contains(err.Error(), "is not of location") {
				t.Errorf("err = %v", err)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, ch := newTest(t)
			f.fail = func(w http.ResponseWriter) bool { c.answer(w); return true }
			ms, cursor, err := ch.Poller.Poll(context.Background(), "2026-12-01T00:00:00Z")
			if len(ms) != 0 || cursor != "2026-12-01T00:00:00Z" {
				t.Errorf("failed poll gave %d mentions and cursor %q", len(ms), cursor)
			}
			c.check(t, err)
		})
	}
}

func TestSendPutsThePublicReplyOnTheReview(t *testing.T) {
	f, ch := newTest(t)
	name := location + "/reviews/a"
	sent, err := ch.Sender.Send(context.Background(), connector.Outgoing{
		ReplyID: 7, Channel: "google-dallas", Visibility: model.VisibilityPublic,
		Text: "We're sorry. Please call us at 555-0100.", InReplyTo: name, ThreadID: name,
	})
	if err != nil {
		t.Fatal(err)
	}
	if sent.ID != name+"/reply" {
		t.Errorf("sent = %+v", sent)
	}
	if f.replies[name] != "We're sorry. Please call us at 555-0100." {
		t.Errorf("the double got %v", f.replies)
	}
}

func TestSendRefusals(t *testing.T) {
	cases := []struct {
		name     string
		out      connector.Outgoing
		answer   func(w http.ResponseWriter) bool
		replyAns string
		want     string
		calls    int
	}{
		{name: "private", out: connector.Outgoing{Visibility: model.VisibilityPrivate, Text: "hi", InReplyTo: location + "/reviews/a"}, want: "no private channel"},
		{name: "another location", out: connector.Outgoing{Visibility: model.VisibilityPublic, Text: "hi", InReplyTo: "accounts/9/locations/9/reviews/a"}, want: "not a review of this channel"},
		{name: "path trick", out: connector.Outgoing{Visibility: model.VisibilityPublic, Text: "hi", InReplyTo: location + "/reviews/../../x"}, want: "not a review of this channel"},
		{name: "moderation", out: connector.Outgoing{Visibility: model.VisibilityPublic, Text: "hi", InReplyTo: location + "/reviews/a"}, replyAns: `,"state":"REJECTED"`, want: "moderation rejected", calls: 1},
		{name: "unverified", out: connector.Outgoing{Visibility: model.VisibilityPublic, Text: "hi", InReplyTo: location + "/reviews/a"}, answer: func(w http.ResponseWriter) bool {
			w.WriteHeader(400)
			io.WriteString(w, `{"error":{"code":400,"message":"Precondition check failed.","status":"FAILED_PRECONDITION"}}`)
			return true
		}, want: "must be verified", calls: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, ch := newTest(t)
			f.replyAns = c.replyAns
			calls := 0
			f.fail = func(w http.ResponseWriter) bool {
				calls++
				return c.answer != nil && c.answer(w)
			}
			_, err := ch.Sender.Send(context.Background(), c.out)
			var p *connector.Permanent
			if !errors.As(err, &p) || !strings.Contains(p.Reason, c.want) {
				t.Errorf("err = %v, want Permanent saying %q", err, c.want)
			}
			if calls != c.calls {
				t.Errorf("requests = %d, want %d", calls, c.calls)
			}
		})
	}
}

func TestNewRefusesAnAccountIDThatIsNoLocation(t *testing.T) {
	for _, id := range []string{"", "111", "accounts/1/locations/", "accounts/1/locations/2/../3", "accounts/1/locations/2?x"} {
		if _, err := New(connector.Config{ID: "g", AccountID: id, Client: http.DefaultClient}); err == nil {
			t.Errorf("New accepted account_id %q", id)
		}
	}
}

func FuzzParseReviews(f *testing.F) {
	f.Add([]byte(`{"reviews":[{"name":"accounts/1/locations/2/reviews/r","starRating":"FOUR","comment":"ok","createTime":"2026-12-01T10:00:00Z","updateTime":"2026-12-02T10:00:00.123Z","reviewReply":{"comment":"thanks"}}],"nextPageToken":"x"}`))
	f.Add([]byte(`{"reviews":[{"name":"n","createTime":"bad"}]}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		list, err := parseReviews(body)
		if err != nil {
			return
		}
		for _, r := range list.Reviews {
			m := r.mention("c")
			if m.ExternalID == "" || m.CreatedAt.IsZero() || (m.Rating == nil && m.Text == "") {
				t.Fatalf("parsed review breaks the contract: %+v", m)
			}
			if m.Rating != nil && (*m.Rating < 1 || *m.Rating > 5) {
				t.Fatalf("rating %d", *m.Rating)
			}
		}
	})
}

func TestMissingTokenAndUnreachableAPIAreTyped(t *testing.T) {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { calls++ }))
	cfg := connector.Config{ID: "g", AccountID: location, BaseURL: srv.URL, Client: srv.Client(), Auth: connector.StaticToken("")}
	ch, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = ch.Sender.Send(context.Background(), connector.Outgoing{Visibility: model.VisibilityPublic, Text: "hi", InReplyTo: location + "/reviews/a"})
	var p *connector.Permanent
	if !errors.As(err, &p) || calls != 0 {
		t.Errorf("no token: err = %v after %d requests, want Permanent and none", err, calls)
	}
	srv.Close()
	cfg.Auth = connector.StaticToken("tok")
	ch, _ = New(cfg)
	_, _, err = ch.Poller.Poll(context.Background(), "")
	var tmp *connector.Temporary
	if !errors.As(err, &tmp) {
		t.Errorf("unreachable: err = %v, want Temporary", err)
	}
}
