package x

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"earshot/internal/connector"
	"earshot/internal/model"
)

// timeline is 150 mentions, newest first: two pages of 100 and 50.
func timeline() *xDouble {
	d := &xDouble{users: map[string]map[string]any{
		"101": user("101", "upset_member", "post_count", 66),
		"102": user("102", "old_client", "tweet_count", 5000),
		ourID: user(ourID, "BCBSTX", "post_count", 90000),
	}}
	for i := 150; i >= 1; i-- {
		id := strconv.Itoa(1800000000000000000 + i)
		switch {
		case i == 150:
			// our own reply to someone, as the timeline brings it back
			d.posts = append(d.posts, post(id, ourID, "@upset_member we can help", "conversation_id", "1800000000000000001",
				"in_reply_to_user_id", "101", "referenced_tweets", []map[string]any{{"type": "replied_to", "id": "1800000000000000001"}}))
		case i == 149:
			d.posts = append(d.posts, post(id, "102", "@BCBSTX thanks!", "conversation_id", "1700000000000000000",
				"referenced_tweets", []map[string]any{{"type": "quoted", "id": "17"}, {"type": "replied_to", "id": "1700000000000000005"}}))
		case i%2 == 0:
			d.posts = append(d.posts, post(id, "101", "@BCBSTX my card #"+strconv.Itoa(i)))
		default:
			d.posts = append(d.posts, post(id, "103", "@BCBSTX hello "+strconv.Itoa(i))) // author not expanded
		}
	}
	return d
}

func TestPollFollowsPagesOldestFirst(t *testing.T) {
	d := timeline()
	d.t = t
	c, _ := d.serve()
	ms, next, err := c.Poll(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 150 || len(d.requests) != 2 {
		t.Fatalf("%d mentions in %d requests, want 150 in 2", len(ms), len(d.requests))
	}
	if next != "1800000000000000150" {
		t.Errorf("next = %q", next)
	}
	for i := 1; i < len(ms); i++ {
		if compareIDs(ms[i-1].ExternalID, ms[i].ExternalID) >= 0 {
			t.Fatalf("not oldest first at %d: %s then %s", i, ms[i-1].ExternalID, ms[i].ExternalID)
		}
	}
	if q := d.requests[1].URL.Query(); q.Get("pagination_token") != "page-100" || q.Get("max_results") != "100" || q.Has("since_id") {
		t.Errorf("second page asked %v", q)
	}
	first := ms[1] // 1800000000000000002, by upset_member
	want := model.Mention{Platform: "x", Channel: "acme-x", ExternalID: "1800000000000000002", Kind: "post", Direction: "inbound",
		Text: "@BCBSTX my card #2", URL: "https://x.com/upset_member/status/1800000000000000002",
		CreatedAt: time.Date(2026, 3, 1, 11, 0, 0, 0, time.UTC), ThreadID: "1800000000000000002",
		Author: model.Author{ID: "101", Handle: "upset_member", Name: "Upset_member", Followers: 66, Following: 7, Posts: 321}}
	if !mentionEqual(first, want) {
		t.Errorf("mention\n got %+v\nwant %+v", first, want)
	}
	if a := ms[0].Author; a.ID != "103" || a.Handle != "" || ms[0].URL != "https://x.com/i/web/status/1800000000000000001" {
		t.Errorf("unexpanded author: %+v %s", a, ms[0].URL)
	}
	old := ms[148]
	if old.InReplyTo != "1700000000000000005" || old.ThreadID != "1700000000000000000" || old.Author.Posts != 321 || !old.Author.Verified {
		t.Errorf("reply with tweet_count: %+v", old)
	}
	ours := ms[149]
	if ours.Direction != model.DirectionOutbound || ours.InReplyTo != "1800000000000000001" || ours.ThreadID != "1800000000000000001" {
		t.Errorf("our own reply: %+v", ours)
	}
}

func TestPollAsksSinceTheCursorAndKeepsItWhenNothingIsNew(t *testing.T) {
	d := timeline()
	d.t = t
	c, _ := d.serve()
	ms, next, err := c.Poll(context.Background(), "1800000000000000140")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 10 || ms[0].ExternalID != "1800000000000000141" || next != "1800000000000000150" {
		t.Fatalf("%d mentions from %s, next %s", len(ms), ms[0].ExternalID, next)
	}
	if got := d.requests[0].URL.Query().Get("since_id"); got != "1800000000000000140" {
		t.Errorf("since_id = %q", got)
	}
	ms, next, err = c.Poll(context.Background(), "1800000000000000150")
	if err != nil || len(ms) != 0 || next != "1800000000000000150" {
		t.Errorf("nothing new: %d mentions, next %q, %v", len(ms), next, err)
	}
	empty := &xDouble{t: t}
	c, _ = empty.serve()
	if ms, next, err := c.Poll(context.Background(), ""); err != nil || len(ms) != 0 || next != "" {
		t.Errorf("no mentions ever: %d, %q, %v", len(ms), next, err)
	}
	if _, next, err := c.Poll(context.Background(), "12; DROP"); err == nil || next != "12; DROP" {
		t.Errorf("a cursor that is no id: %q %v", next, err)
	}
}

func TestPollTypesXsFailures(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fail  func(w http.ResponseWriter, r *http.Request) bool
		check func(t *testing.T, err error)
	}{
		{"rate limit until the reset", func(w http.ResponseWriter, r *http.Request) bool {
			w.Header().Set("x-rate-limit-limit", "450")
			w.Header().Set("x-rate-limit-remaining", "0")
			w.Header().Set("x-rate-limit-reset", strconv.FormatInt(testNow.Add(7*time.Minute).Unix(), 10))
			writeJSON(w, 429, map[string]any{"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429})
			return true
		}, func(t *testing.T, err error) {
			var rl *connector.RateLimited
			if !errors.As(err, &rl) || rl.RetryAfter != 7*time.Minute {
				t.Errorf("err = %v", err)
			}
		}},
		{"5xx", func(w http.ResponseWriter, r *http.Request) bool {
			writeJSON(w, 503, map[string]any{"title": "Service Unavailable", "type": "about:blank"})
			return true
		}, func(t *testing.T, err error) {
			var tmp *connector.Temporary
			if !errors.As(err, &tmp) {
				t.Errorf("err = %v", err)
			}
		}},
		{"401", func(w http.ResponseWriter, r *http.Request) bool {
			writeJSON(w, 401, map[string]any{"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"})
			return true
		}, func(t *testing.T, err error) {
			var perm *connector.Permanent
			if !errors.As(err, &perm) || !strings.Contains(perm.Reason, "did not accept the channel's access token") || !strings.Contains(perm.Reason, "Unauthorized") {
				t.Errorf("err = %v", err)
			}
		}},
		{"403 with X's words", func(w http.ResponseWriter, r *http.Request) bool {
			writeJSON(w, 403, map[string]any{"title": "Forbidden", "type": "https://api.x.com/2/problems/client-forbidden",
				"detail": "When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project.",
				"reason": "client-not-enrolled"})
			return true
		}, func(t *testing.T, err error) {
			var perm *connector.Permanent
			if !errors.As(err, &perm) || !strings.Contains(perm.Reason, "HTTP 403: Forbidden: When authenticating") {
				t.Errorf("err = %v", err)
			}
		}},
		{"200 with only errors", func(w http.ResponseWriter, r *http.Request) bool {
			writeJSON(w, 200, map[string]any{"errors": []map[string]any{{"value": ourID, "detail": "Could not find user with id: [" + ourID + "].",
				"title": "Not Found Error", "resource_type": "user", "type": "https://api.x.com/2/problems/resource-not-found"}}})
			return true
		}, func(t *testing.T, err error) {
			var perm *connector.Permanent
			if !errors.As(err, &perm) || !strings.Contains(perm.Reason, "Could not find user") {
				t.Errorf("err = %v", err)
			}
		}},
		{"malformed body", func(w http.ResponseWriter, r *http.Request) bool {
			w.WriteHeader(200)
			w.Write([]byte(`{"data": {"id": "1"}}`))
			return true
		}, func(t *testing.T, err error) {
			if !errors.Is(err, ErrShape) || !strings.Contains(err.Error(), `x channel "acme-x"`) {
				t.Errorf("err = %v", err)
			}
		}},
		{"a post with no date", func(w http.ResponseWriter, r *http.Request) bool {
			writeJSON(w, 200, map[string]any{"data": []map[string]any{{"id": "5", "text": "secret words", "author_id": "9"}}, "meta": map[string]any{"result_count": 1}})
			return true
		}, func(t *testing.T, err error) {
			if !errors.Is(err, ErrShape) || strings.Contains(err.Error(), "secret words") {
				t.Errorf("err = %v", err)
			}
		}},
		{"next_token that never ends", func(w http.ResponseWriter, r *http.Request) bool {
			writeJSON(w, 200, map[string]any{"meta": map[string]any{"result_count": 0, "next_token": "again"}})
			return true
		}, func(t *testing.T, err error) {
			if err == nil || !strings.Contains(err.Error(), "same next_token") {
				t.Errorf("err = %v", err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := timeline()
			d.t, d.fail = t, tc.fail
			c, _ := d.serve()
			ms, next, err := c.Poll(context.Background(), "1800000000000000001")
			if len(ms) != 0 || next != "1800000000000000001" {
				t.Errorf("a failed poll gave %d mentions and cursor %q", len(ms), next)
			}
			tc.check(t, err)
		})
	}
}

func TestPollSendsNoTokenItDoesNotHave(t *testing.T) {
	d := timeline()
	d.t = t
	_, srv := d.serve()
	c, err := newClient(connector.Config{ID: "acme-x", AccountID: ourID, BaseURL: srv.URL, Client: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Poll(context.Background(), ""); !errors.Is(err, connector.ErrNoToken) || len(d.requests) != 0 {
		t.Errorf("err = %v after %d requests", err, len(d.requests))
	}
}

func TestNewChecksTheChannel(t *testing.T) {
	for _, cfg := range []connector.Config{
		{ID: "", AccountID: ourID},
		{ID: "a", AccountID: "@BCBSTX"},
		{ID: "a", AccountID: ourID, BaseURL: "ftp://x"},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) took it", cfg)
		}
	}
	ch, err := New(connector.Config{ID: "a", AccountID: ourID})
	if err != nil || ch.Platform != "x" || ch.Poller == nil || ch.Sender == nil || ch.Poller.(*Client).base != DefaultBaseURL {
		t.Errorf("New = %+v, %v", ch, err)
	}
}

// mentionEqual compares the fields a connector fills.
func mentionEqual(a, b model.Mention) bool {
	return a.Platform == b.Platform && a.Channel == b.Channel && a.ExternalID == b.ExternalID && a.Kind == b.Kind &&
		a.Direction == b.Direction && a.Text == b.Text && a.URL == b.URL && a.CreatedAt.Equal(b.CreatedAt) &&
		a.InReplyTo == b.InReplyTo && a.ThreadID == b.ThreadID && a.Author == b.Author
}
