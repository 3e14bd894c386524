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

func TestSendRepliesInPublic(t *testing.T) {
	d := &xDouble{t: t}
	c, _ := d.serve()
	sent, err := c.Send(context.Background(), connector.Outgoing{ReplyID: 7, Channel: "acme-x", Visibility: model.VisibilityPublic,
		Text: "Sorry to hear that. Please DM us.", InReplyTo: "1800000000000000002", ThreadID: "1800000000000000002", AuthorID: "101"})
	if err != nil {
		t.Fatal(err)
	}
	if sent.ID != "1900000000000000001" || sent.URL != "https://x.com/i/web/status/1900000000000000001" {
		t.Errorf("sent = %+v", sent)
	}
	if len(d.bodies) != 1 {
		t.Fatalf("%d bodies", len(d.bodies))
	}
	b := d.bodies[0]
	reply, _ := b["reply"].(map[string]any)
	if b["text"] != "Sorry to hear that. Please DM us." || reply["in_reply_to_tweet_id"] != "1800000000000000002" || len(b) != 2 {
		t.Errorf("body = %v", b)
	}
}

func TestSendWritesADirectMessageInPrivate(t *testing.T) {
	d := &xDouble{t: t}
	c, _ := d.serve()
	sent, err := c.Send(context.Background(), connector.Outgoing{Visibility: model.VisibilityPrivate,
		Text: "Hi, this is Lone Star Health.", InReplyTo: "1800000000000000002", AuthorID: "101"})
	if err != nil {
		t.Fatal(err)
	}
	if sent.ID != "1900000000000000001" || sent.URL != "" {
		t.Errorf("sent = %+v", sent)
	}
	if p := d.requests[0].URL.Path; p != "/2/dm_conversations/with/101/messages" {
		t.Errorf("path = %s", p)
	}
	if b := d.bodies[0]; b["text"] != "Hi, this is Lone Star Health." || len(b) != 1 {
		t.Errorf("body = %v", b)
	}
}

func TestSendRefusesWhatCannotGoOut(t *testing.T) {
	d := &xDouble{t: t}
	c, _ := d.serve()
	for _, out := range []connector.Outgoing{
		{Visibility: model.VisibilityPublic, Text: "hi"},                        // answers no post
		{Visibility: model.VisibilityPrivate, Text: "hi", AuthorID: "@someone"}, // no user id
		{Visibility: "", Text: "hi", InReplyTo: "1"},
		{Visibility: model.VisibilityPrivate, Text: "hi", AuthorID: "1/../../2/tweets"},
	} {
		var perm *connector.Permanent
		if _, err := c.Send(context.Background(), out); !errors.As(err, &perm) {
			t.Errorf("%+v: err = %v", out, err)
		}
	}
	if len(d.requests) != 0 {
		t.Errorf("%d requests reached X", len(d.requests))
	}
}

func TestSendExplainsXsRefusals(t *testing.T) {
	out := connector.Outgoing{Visibility: model.VisibilityPublic, Text: "We can help", InReplyTo: "1800000000000000002", AuthorID: "101"}
	for _, tc := range []struct {
		name  string
		fail  func(w http.ResponseWriter, r *http.Request) bool
		check func(t *testing.T, err error)
	}{
		{"reply restricted to people who mentioned us", func(w http.ResponseWriter, r *http.Request) bool {
			writeJSON(w, 403, map[string]any{"title": "Forbidden", "type": "about:blank", "status": 403,
				"detail": "Reply to this conversation is not allowed because you have not been mentioned or otherwise engaged by the author of the post you are replying to."})
			return true
		}, func(t *testing.T, err error) {
			var perm *connector.Permanent
			if !errors.As(err, &perm) || !strings.Contains(perm.Reason, "Send a direct message instead") || !strings.Contains(perm.Reason, "not been mentioned") {
				t.Errorf("err = %v", err)
			}
		}},
		{"duplicate content", func(w http.ResponseWriter, r *http.Request) bool {
			writeJSON(w, 403, map[string]any{"title": "Forbidden", "type": "about:blank", "status": 403,
				"detail": "You are not allowed to create a Tweet with duplicate content."})
			return true
		}, func(t *testing.T, err error) {
			var perm *connector.Permanent
			if !errors.As(err, &perm) || perm.Reason != "HTTP 403: Forbidden: You are not allowed to create a Tweet with duplicate content." {
				t.Errorf("err = %v", err)
			}
		}},
		{"rate limited", func(w http.ResponseWriter, r *http.Request) bool {
			w.Header().Set("x-rate-limit-reset", strconv.FormatInt(testNow.Add(15*time.Minute).Unix(), 10))
			writeJSON(w, 429, map[string]any{"title": "Too Many Requests", "type": "about:blank", "status": 429, "detail": "Too Many Requests"})
			return true
		}, func(t *testing.T, err error) {
			var rl *connector.RateLimited
			if !errors.As(err, &rl) || rl.RetryAfter != 15*time.Minute {
				t.Errorf("err = %v", err)
			}
		}},
		{"5xx", func(w http.ResponseWriter, r *http.Request) bool {
			w.WriteHeader(502)
			return true
		}, func(t *testing.T, err error) {
			var tmp *connector.Temporary
			if !errors.As(err, &tmp) {
				t.Errorf("err = %v", err)
			}
		}},
		{"201 naming no post", func(w http.ResponseWriter, r *http.Request) bool {
			writeJSON(w, 201, map[string]any{"data": map[string]any{"text": "We can help"}})
			return true
		}, func(t *testing.T, err error) {
			var unk *connector.Unknown
			if !errors.As(err, &unk) {
				t.Errorf("err = %v", err)
			}
		}},
		{"timeout after the request was written", func(w http.ResponseWriter, r *http.Request) bool {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return true
		}, func(t *testing.T, err error) {
			var unk *connector.Unknown
			if !errors.As(err, &unk) || !strings.Contains(unk.Reason, "timed out") {
				t.Errorf("err = %v", err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := &xDouble{t: t, fail: tc.fail}
			c, _ := d.serve()
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			defer cancel()
			sent, err := c.Send(ctx, out)
			if sent != (connector.Sent{}) {
				t.Errorf("sent = %+v", sent)
			}
			tc.check(t, err)
		})
	}
}

func TestSendThatNeverReachedXIsTemporary(t *testing.T) {
	d := &xDouble{t: t}
	c, srv := d.serve()
	srv.Close() // nothing listens: the request is never written
	_, err := c.Send(context.Background(), connector.Outgoing{Visibility: model.VisibilityPublic, Text: "hi", InReplyTo: "1"})
	var tmp *connector.Temporary
	if !errors.As(err, &tmp) {
		t.Errorf("err = %v", err)
	}
}
