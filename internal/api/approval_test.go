package api

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"earshot/internal/model"
	"earshot/internal/store"
)

func TestApprovalNeedsASecondPerson(t *testing.T) {
	h := newHarness(t)
	if err := h.st.PutSetting(context.Background(), store.SettingApproval, "on"); err != nil {
		t.Fatal(err)
	}
	c := h.ingest(mentionJSON("1", "gil", "My claim was denied", 0))[0].CaseID
	held := func(role string) int64 {
		t.Helper()
		var rp model.Reply
		body := `{"text":"Sorry about your hospital stay, please DM us.","visibility":"public","override_reason":"asked by the author"}`
		if code := h.do(role, "POST", fmt.Sprintf("/api/v1/cases/%d/replies", c), body, &rp); code != 201 || rp.State != model.ReplyAwaitingApproval {
			t.Fatalf("held reply by %s: %d %+v", role, code, rp)
		}
		return rp.ID
	}
	own, other := held(model.RoleSupervisor), held(model.RoleAgent)
	path := func(reply int64, verb string) string {
		return fmt.Sprintf("/api/v1/cases/%d/replies/%d/%s", c, reply, verb)
	}

	var e errBody
	if code := h.do(model.RoleSupervisor, "POST", path(own, "approve"), "", &e); code != http.StatusForbidden || e.Error.Code != "own_reply" || e.Error.Message == "" {
		t.Fatalf("the author approves their own reply: %d %+v", code, e)
	}
	for _, tt := range []struct {
		role, path, body string
		code             int
		errCode          string
	}{
		{model.RoleAgent, path(other, "approve"), "", 403, "forbidden"},
		{model.RoleSupervisor, path(other, "approve"), `{"note":"ok"}`, 400, "bad_json"},
		{model.RoleSupervisor, path(other, "reject"), `{}`, 400, "missing_field"},
		{model.RoleSupervisor, path(999, "approve"), "", 404, "not_found"},
		{model.RoleSupervisor, fmt.Sprintf("/api/v1/cases/999/replies/%d/approve", other), "", 404, "not_found"},
	} {
		var e errBody
		if code := h.do(tt.role, "POST", tt.path, tt.body, &e); code != tt.code || e.Error.Code != tt.errCode {
			t.Errorf("%s POST %s %s: %d %+v, want %d %s", tt.role, tt.path, tt.body, code, e, tt.code, tt.errCode)
		}
	}
	var cs struct {
		Replies []model.Reply `json:"replies"`
	}
	if code := h.do(model.RoleSupervisor, "POST", path(other, "approve"), "{}", &cs); code != 200 || len(cs.Replies) != 2 || cs.Replies[1].State != model.ReplyQueued {
		t.Fatalf("a second person approves: %d %+v", code, cs)
	}
	if code := h.do(model.RoleAdmin, "POST", path(own, "reject"), `{"reason":"names the claim in public"}`, &cs); code != 200 || cs.Replies[0].State != model.ReplyRejected {
		t.Fatalf("reject: %d %+v", code, cs)
	}
}

// TestApproveJudgesAgain: a held reply that the guard refuses now (here
// PHI hidden by zero-width spaces, and a right-to-left override) cannot
// be approved through the API and stays held; a clean one can.
func TestApproveJudgesAgain(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	c := h.ingest(mentionJSON("1", "gil", "Where is my new card?", 0))[0].CaseID
	held := func(text string) int64 {
		t.Helper()
		rp := &model.Reply{CaseID: c, Text: text, Visibility: model.VisibilityPublic, Author: "agent@example.org",
			State: model.ReplyAwaitingApproval, OverrideReason: "asked in public", CreatedAt: time.Now()}
		if err := h.st.AddReply(ctx, rp, nil); err != nil {
			t.Fatal(err)
		}
		return rp.ID
	}
	path := func(reply int64) string { return fmt.Sprintf("/api/v1/cases/%d/replies/%d/approve", c, reply) }
	for _, tt := range []struct{ text, code string }{
		{"Sorry for the wait; member ID X\u200bJ\u200bH\u200b123456789 is fixed.", "phi_in_public_reply"},
		{"Sorry for the wait; call \u202e9910-555-215\u202c.", "hidden_characters"},
	} {
		rid := held(tt.text)
		var e errBody
		if code := h.do(model.RoleSupervisor, "POST", path(rid), "", &e); code != http.StatusUnprocessableEntity || e.Error.Code != tt.code {
			t.Errorf("approve %q: %d %+v, want 422 %s", tt.text, code, e, tt.code)
		}
		rp, err := h.st.Reply(ctx, c, rid)
		if err != nil || rp.State != model.ReplyAwaitingApproval {
			t.Errorf("reply %q after a refused approval: %+v %v", tt.text, rp.State, err)
		}
	}
	if code := h.do(model.RoleSupervisor, "POST", path(held("Sorry for the wait, please DM us.")), "", nil); code != http.StatusOK {
		t.Fatalf("approve a clean reply: %d", code)
	}
}
