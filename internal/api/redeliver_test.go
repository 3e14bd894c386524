package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"earshot/internal/model"
)

// Try again and sent by hand: agents only, from the states each starts
// from (409 reply_state otherwise), a link that is http(s) or nothing,
// and the case answers with the reply's new state.
func TestReplyRetryAndSentByHand(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	c := h.ingest(mentionJSON("1", "gil", "My card never came", 0))[0].CaseID
	reply := func(state model.ReplyState) int64 {
		t.Helper()
		var rp model.Reply
		if code := h.do(model.RoleAgent, "POST", fmt.Sprintf("/api/v1/cases/%d/replies", c), `{"text":"Sorry, please DM us.","visibility":"public"}`, &rp); code != 201 {
			t.Fatalf("reply: %d", code)
		}
		if _, _, err := h.st.ClaimReply(ctx, c, rp.ID, 0); err != nil {
			t.Fatal(err)
		}
		var err error
		switch state {
		case model.ReplyFailed:
			err = h.st.MarkReplyFailed(ctx, rp.ID, "HTTP 403: You are not permitted to reply")
		case model.ReplyUnknown:
			err = h.st.MarkReplyUnknown(ctx, rp.ID, "timeout")
		case model.ReplyNoConnector:
			err = h.st.MarkReplyNoConnector(ctx, rp.ID, "no connector")
		}
		if err != nil {
			t.Fatal(err)
		}
		return rp.ID
	}
	failed, unknown, none := reply(model.ReplyFailed), reply(model.ReplyUnknown), reply(model.ReplyNoConnector)
	path := func(id int64, verb string) string { return fmt.Sprintf("/api/v1/cases/%d/replies/%d/%s", c, id, verb) }
	for _, tc := range []struct {
		role, path, body string
		status           int
		code, field      string
	}{
		{model.RoleViewer, path(failed, "retry"), "", 403, "forbidden", ""},
		{model.RoleIntegration, path(failed, "retry"), "", 403, "forbidden", ""},
		{model.RoleAgent, path(failed, "retry"), `{"force":true}`, 400, "bad_json", "force"},
		{model.RoleAgent, path(none, "retry"), "", 409, "reply_state", ""},
		{model.RoleAgent, path(failed, "sent-by-hand"), "", 409, "reply_state", ""},
		{model.RoleAgent, path(unknown, "sent-by-hand"), `{"url":"javascript:alert(1)"}`, 400, "bad_field", "url"},
		{model.RoleAgent, path(unknown, "sent-by-hand"), `{"url":"https://x.com/a/status/1\u0000"}`, 400, "bad_field", "url"},
		{model.RoleAgent, path(unknown, "sent-by-hand"), `{"link":"https://x.com/a/status/1"}`, 400, "bad_json", "link"},
		{model.RoleAgent, path(999, "retry"), "", 404, "not_found", ""},
		{model.RoleAgent, fmt.Sprintf("/api/v1/cases/999/replies/%d/retry", failed), "", 404, "not_found", ""},
		{model.RoleAgent, fmt.Sprintf("/api/v1/cases/%d/replies/x/retry", c), "", 400, "bad_id", ""},
	} {
		var e errBody
		if code := h.do(tc.role, "POST", tc.path, tc.body, &e); code != tc.status || e.Error.Code != tc.code || e.Error.Field != tc.field {
			t.Errorf("%s %s %s: %d %+v, want %d %s %q", tc.role, tc.path, tc.body, code, e.Error, tc.status, tc.code, tc.field)
		}
	}
	state := func(cs model.Case, id int64) model.Reply {
		for _, rp := range cs.Replies {
			if rp.ID == id {
				return rp
			}
		}
		t.Fatalf("reply %d not in %+v", id, cs.Replies)
		return model.Reply{}
	}
	var cs model.Case
	if code := h.do(model.RoleAgent, "POST", path(failed, "retry"), "", &cs); code != 200 {
		t.Fatalf("retry: %d", code)
	}
	if rp := state(cs, failed); rp.State != model.ReplyQueued || rp.DeliveryRound != 1 || rp.DeliveryError != "" {
		t.Fatalf("retried reply %+v", rp)
	}
	if code := h.do(model.RoleAgent, "POST", path(failed, "retry"), "{}", nil); code != http.StatusConflict {
		t.Fatalf("retry of a queued reply: %d", code)
	}
	if code := h.do(model.RoleAgent, "POST", path(unknown, "sent-by-hand"), `{"url":"https://x.com/lonestar/status/42"}`, &cs); code != 200 {
		t.Fatalf("it went out: %d", code)
	}
	if rp := state(cs, unknown); rp.State != model.ReplySent || !rp.SentByHand || rp.PlatformURL != "https://x.com/lonestar/status/42" {
		t.Fatalf("reply marked sent %+v", rp)
	}
	if code := h.do(model.RoleAgent, "POST", path(none, "sent-by-hand"), "", &cs); code != 200 {
		t.Fatalf("posted by hand: %d", code)
	}
	if rp := state(cs, none); rp.State != model.ReplySent || !rp.SentByHand || rp.PlatformURL != "" {
		t.Fatalf("reply posted by hand %+v", rp)
	}
	var types []string
	for _, e := range cs.Events {
		if strings.HasPrefix(string(e.Type), "reply_") {
			types = append(types, string(e.Type)+":"+e.Actor)
		}
	}
	if got := strings.Join(types, ","); !strings.Contains(got, "reply_retried:") || strings.Count(got, "reply_sent_by_hand:") != 2 {
		t.Errorf("events %s", got)
	}
}

// A private reply on a Google review is 422 no_private_channel.
func TestGooglePrivateReplyRefused(t *testing.T) {
	h := newHarness(t)
	c := h.ingest(`{"platform":"google","external_id":"accounts/1/locations/2/reviews/r1","kind":"review","text":"Long wait.","rating":2,
		"created_at":"2026-04-01T09:00:00Z","author":{"id":"g1","handle":"Lee"}}`)[0].CaseID
	var e errBody
	code := h.do(model.RoleAgent, "POST", fmt.Sprintf("/api/v1/cases/%d/replies", c), `{"text":"Please call us.","visibility":"private"}`, &e)
	if code != 422 || e.Error.Code != "no_private_channel" || e.Error.Field != "visibility" || !strings.Contains(e.Error.Message, "call or email the reviewer") {
		t.Fatalf("private reply on Google: %d %+v", code, e.Error)
	}
	if code := h.do(model.RoleAgent, "POST", fmt.Sprintf("/api/v1/cases/%d/replies", c), `{"text":"Please call us.","visibility":"public"}`, nil); code != 201 {
		t.Fatalf("public reply on Google: %d", code)
	}
}
