package x

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"earshot/internal/connector"
	"earshot/internal/model"
)

// checkMentions holds what every mention a parser returns must be,
// whatever X sent: on X, of a channel here, with an X id, a date and an
// author.
func checkMentions(t *testing.T, ms []model.Mention, channels ...string) {
	t.Helper()
	for _, m := range ms {
		if m.Platform != model.PlatformX || !numericID(m.ExternalID) || m.CreatedAt.IsZero() || m.Author.ID == "" {
			t.Fatalf("mention breaks the contract: %+v", m)
		}
		found := false
		for _, c := range channels {
			found = found || m.Channel == c
		}
		if !found {
			t.Fatalf("mention of channel %q", m.Channel)
		}
		if m.Direction != model.DirectionInbound && m.Direction != model.DirectionOutbound {
			t.Fatalf("direction %q", m.Direction)
		}
	}
}

func FuzzParseMentionsPage(f *testing.F) {
	d := timeline()
	page, _ := json.Marshal(map[string]any{"data": d.posts[:3], "includes": map[string]any{"users": []any{d.users["101"], d.users["102"]}},
		"meta": map[string]any{"result_count": 3, "newest_id": "1800000000000000150", "next_token": "page-3"}})
	f.Add(page)
	f.Add([]byte(`{"meta":{"result_count":0}}`))
	f.Add([]byte(`{"errors":[{"title":"Not Found Error","detail":"Could not find user"}]}`))
	f.Add([]byte(`{"data":[{"id":"1","author_id":"2","created_at":"2026-01-01T00:00:00Z","text":"\u0000"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ms, newest, _, err := parseMentionsPage(body, "acme-x", ourID)
		if err != nil {
			var perm *connector.Permanent
			if !errors.Is(err, ErrShape) && !errors.As(err, &perm) {
				t.Fatalf("untyped error %v", err)
			}
			if len(ms) != 0 {
				t.Fatal("mentions with an error")
			}
			return
		}
		if newest != "" && !numericID(newest) {
			t.Fatalf("newest %q", newest)
		}
		checkMentions(t, ms, "acme-x")
	})
}

func FuzzWebhookParse(f *testing.F) {
	for _, s := range []string{mentionEvent, replyEvent, dmEventJSON, aaaTruncated, aaaDM,
		`{"data":{"event_type":"like.create","filter":{"user_id":"2244994945"}}}`, `{"for_user_id":"2244994945"}`, `{}`} {
		f.Add([]byte(s))
	}
	w, err := NewWebhook([]connector.Config{
		{ID: "acme-x", AccountID: ourID, Secret: appSecret},
		{ID: "acme-care", AccountID: "1111111111111111111", Secret: appSecret},
		{ID: "harris", AccountID: "4337869213", Secret: appSecret},
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		ms, err := w.Parse(body)
		if err != nil {
			if !errors.Is(err, ErrShape) {
				t.Fatalf("untyped error %v", err)
			}
			if len(ms) != 0 {
				t.Fatal("mentions with an error")
			}
			if strings.Contains(err.Error(), "claim was denied") {
				t.Fatal("the error carries the text")
			}
			return
		}
		checkMentions(t, ms, "acme-x", "acme-care", "harris")
	})
}
