package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"earshot/internal/model"
	"earshot/internal/store"
)

// holdReply has the agent send a public reply over a privacy warning with
// approval on, and returns the held reply's id.
func holdReply(t *testing.T, h *harness, agent *http.Client, caseID int64, text string) int64 {
	t.Helper()
	code, loc, _ := h.post(agent, fmt.Sprintf("/cases/%d/reply", caseID), url.Values{"text": {text}, "visibility": {"public"},
		"seen": {"0"}, "confirm": {"1"}, "reason": {"they asked in public"}})
	if code != http.StatusSeeOther || !strings.Contains(loc, "done=held") {
		t.Fatalf("held reply: %d %q", code, loc)
	}
	c, err := h.st.GetCase(context.Background(), caseID)
	if err != nil {
		t.Fatal(err)
	}
	rp := c.Replies[len(c.Replies)-1]
	if rp.State != model.ReplyAwaitingApproval {
		t.Fatalf("reply state %q", rp.State)
	}
	return rp.ID
}

func TestApprovalQueue(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	if err := h.st.PutSetting(ctx, store.SettingApproval, "on"); err != nil {
		t.Fatal(err)
	}
	agent, sup, viewer := h.signIn("agent"), h.signIn("supervisor"), h.signIn("viewer")
	c1 := h.mention("1", "gil", "My claim was denied <script>alert(1)</script>")
	c2 := h.mention("2", "ana", "Waited two hours")
	r1 := holdReply(t, h, agent, c1, "We hope your stay was restful")
	r2 := holdReply(t, h, agent, c2, "Sorry about your visit, please DM us")

	for _, tt := range []struct {
		name string
		c    *http.Client
		code int
	}{{"agent", agent, http.StatusForbidden}, {"viewer", viewer, http.StatusForbidden}, {"supervisor", sup, http.StatusOK}} {
		if code, _ := h.get(tt.c, "/approvals"); code != tt.code {
			t.Fatalf("%s opens /approvals: %d, want %d", tt.name, code, tt.code)
		}
	}
	_, body := h.get(sup, "/approvals")
	i1, i2 := strings.Index(body, "We hope your stay was restful"), strings.Index(body, "Sorry about your visit")
	if i1 < 0 || i2 < 0 || i1 > i2 {
		t.Fatal("the queue does not list both held replies, oldest first")
	}
	if strings.Contains(body, "<script>alert(1)") || !strings.Contains(body, "they asked in public") {
		t.Fatal("the queue shows outside text unescaped or hides the override reason")
	}
	if _, body := h.get(agent, "/"); strings.Contains(body, `href="/approvals"`) {
		t.Fatal("an agent sees the Approvals link")
	}

	reject := fmt.Sprintf("/cases/%d/replies/%d/reject", c2, r2)
	if code, _, _ := h.post(agent, reject, url.Values{"reason": {"no"}}); code != http.StatusForbidden {
		t.Fatalf("agent rejects: %d", code)
	}
	if code, _, _ := h.post(sup, reject, url.Values{"back": {"approvals"}}); code != http.StatusBadRequest {
		t.Fatalf("reject without a reason: %d", code)
	}
	code, loc, _ := h.post(sup, reject, url.Values{"back": {"approvals"}, "reason": {"confirms a visit in public"}})
	if code != http.StatusSeeOther || loc != "/approvals?done=rejected" {
		t.Fatalf("reject: %d %q", code, loc)
	}
	code, loc, _ = h.post(sup, fmt.Sprintf("/cases/%d/replies/%d/approve", c1, r1), url.Values{"back": {"approvals"}})
	if code != http.StatusSeeOther || loc != "/approvals?done=approved" {
		t.Fatalf("approve: %d %q", code, loc)
	}
	if code, _, _ := h.post(sup, reject, url.Values{"reason": {"again"}}); code != http.StatusNotFound {
		t.Fatalf("rejecting a decided reply: %d", code)
	}
	if _, body := h.get(sup, "/approvals?done=approved"); !strings.Contains(body, "No replies are waiting") || !strings.Contains(body, "Reply approved") {
		t.Fatal("the queue is not empty after deciding both")
	}
	got1, _ := h.st.GetCase(ctx, c1)
	got2, _ := h.st.GetCase(ctx, c2)
	if s := got1.Replies[0].State; s != model.ReplyQueued {
		t.Fatalf("approved reply state %q", s)
	}
	if s := got2.Replies[0].State; s != model.ReplyRejected {
		t.Fatalf("rejected reply state %q", s)
	}
	if _, body := h.get(agent, fmt.Sprintf("/cases/%d", c2)); !strings.Contains(body, "Reply rejected: confirms a visit in public") ||
		!strings.Contains(body, "rejected by a supervisor") {
		t.Fatal("the case timeline does not show the rejection and its reason")
	}
}

func TestApprovalNeedsASecondPerson(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	if err := h.st.PutSetting(ctx, store.SettingApproval, "on"); err != nil {
		t.Fatal(err)
	}
	sup, admin := h.signIn("supervisor"), h.signIn("admin")
	c := h.mention("1", "gil", "Waited two hours at the clinic")
	r := holdReply(t, h, sup, c, "Sorry about your visit, please DM us")
	approve := fmt.Sprintf("/cases/%d/replies/%d/approve", c, r)

	for _, page := range []string{"/approvals", fmt.Sprintf("/cases/%d", c)} {
		_, body := h.get(sup, page)
		if strings.Contains(body, `action="`+approve+`"`) || !strings.Contains(body, "another supervisor must approve it") {
			t.Fatalf("%s offers its author the approve button, or does not say why not", page)
		}
		if _, body := h.get(admin, page); !strings.Contains(body, `action="`+approve+`"`) {
			t.Fatalf("%s hides the approve button from a second supervisor", page)
		}
	}
	code, _, body := h.post(sup, approve, url.Values{"back": {"approvals"}})
	if code != http.StatusForbidden || !strings.Contains(body, "You wrote this reply") {
		t.Fatalf("the author approves their own reply: %d", code)
	}
	if got, _ := h.st.GetCase(ctx, c); got.Replies[0].State != model.ReplyAwaitingApproval {
		t.Fatalf("a refused self-approval changed the reply to %q", got.Replies[0].State)
	}
	if code, loc, _ := h.post(admin, approve, url.Values{"back": {"approvals"}}); code != http.StatusSeeOther || loc != "/approvals?done=approved" {
		t.Fatalf("a second person approves: %d %q", code, loc)
	}
}
