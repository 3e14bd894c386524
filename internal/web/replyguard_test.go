package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"earshot/internal/model"
	"earshot/internal/store"
)

// TestReplyFormObfuscatedPHI: the reply form refuses a public reply whose
// health information is disguised, marking the disguised text as the
// agent wrote it, and one with a right-to-left override, naming the
// hidden character; neither is stored.
func TestReplyFormObfuscatedPHI(t *testing.T) {
	h := newHarness(t)
	agent := h.signIn("agent")
	id := h.mention("1", "gil", "Where is my new card?")
	for _, tc := range []struct {
		text, mark string
	}{
		{"We updated member ID XJH\u200b123\u200b456\u200b789 today.", `<mark class="phi" title="Health information (member_id)">XJH` + "\u200b123\u200b456\u200b789</mark>"},
		{"Please call us back at five one two, five five five, zero one nine nine.", `(phone)">five one two, five five five, zero one nine nine</mark>`},
		{"Sorry to hear about the diаbеtеs, please DM us.", `(condition)">diаbеtеs</mark>`},
		{"Please call us back at &#53;&#49;&#50;-555-0199.", `(phone)">&amp;#53;&amp;#49;&amp;#50;-555-0199</mark>`},
		{"Member ID \u202e987654321HJX\u202c is on file.", `<mark class="hidden-char" title="Hidden character">[U&#43;202E right-to-left override]</mark>`},
	} {
		code, _, body := h.post(agent, fmt.Sprintf("/cases/%d/reply", id), url.Values{"text": {tc.text}, "visibility": {"public"}, "seen": {"0"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, tc.mark) {
			i := strings.Index(body, `id="marked"`)
			t.Errorf("%q: %d, want 422 marking %s; marked: %.300s", tc.text, code, tc.mark, body[max(i, 0):])
		}
		if strings.Contains(tc.text, "\u202e") && !strings.Contains(body, "hidden characters that change how it is shown") {
			t.Errorf("%q: the error does not say why", tc.text)
		}
	}
	c, err := h.st.GetCase(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Replies) != 0 {
		t.Fatalf("refused replies stored: %+v", c.Replies)
	}
}

// TestApproveJudgesAgain: a held reply is judged by the privacy guard
// again when a supervisor approves it. One that carries disguised health
// information (held under an older guard, or written by other means)
// is shown as refused, without an approve button, and approving it
// anyway is refused and leaves it held; a clean one is approved.
func TestApproveJudgesAgain(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	if err := h.st.PutSetting(ctx, store.SettingApproval, "on"); err != nil {
		t.Fatal(err)
	}
	sup := h.signIn("supervisor")
	id := h.mention("1", "gil", "Where is my new card?")
	held := func(text string) int64 {
		rp := &model.Reply{CaseID: id, Text: text, Visibility: model.VisibilityPublic, Author: "agent@example.org",
			State: model.ReplyAwaitingApproval, OverrideReason: "asked in public", CreatedAt: time.Now()}
		if err := h.st.AddReply(ctx, rp, nil); err != nil {
			t.Fatal(err)
		}
		return rp.ID
	}
	bad := held("Sorry about your visit; member ID X\u200bJ\u200bH\u200b123456789 is fixed.")
	hidden := held("Sorry about your visit; call \u202e9910-555-215\u202c.")
	good := held("Sorry about your visit, please DM us.")

	_, page := h.get(sup, "/approvals")
	for _, rid := range []int64{bad, hidden} {
		if strings.Contains(page, fmt.Sprintf("/replies/%d/approve", rid)) {
			t.Errorf("reply %d offered for approval", rid)
		}
	}
	if strings.Count(page, "The privacy guard refuses this reply") != 2 || !strings.Contains(page, fmt.Sprintf("/replies/%d/approve", good)) {
		t.Fatalf("approvals page does not show which replies the guard refuses:\n%s", page)
	}
	for _, rid := range []int64{bad, hidden} {
		code, _, body := h.post(sup, fmt.Sprintf("/cases/%d/replies/%d/approve", id, rid), url.Values{"back": {"approvals"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "cannot be approved") {
			t.Errorf("approve reply %d: %d, want 422", rid, code)
		}
	}
	if code, _, _ := h.post(sup, fmt.Sprintf("/cases/%d/replies/%d/approve", id, good), url.Values{"back": {"approvals"}}); code != http.StatusSeeOther {
		t.Fatalf("approve the clean reply: %d", code)
	}
	c, err := h.st.GetCase(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	states := map[int64]model.ReplyState{}
	for _, rp := range c.Replies {
		states[rp.ID] = rp.State
	}
	if states[bad] != model.ReplyAwaitingApproval || states[hidden] != model.ReplyAwaitingApproval || states[good] != model.ReplyQueued {
		t.Fatalf("reply states after approval: %v", states)
	}
}

// TestE2EComposerObfuscatedPHI: in the browser, the composer's live check
// marks disguised health information where the agent typed it, and names
// a right-to-left override instead of showing it; on send the page says
// the same.
func TestE2EComposerObfuscatedPHI(t *testing.T) {
	h := newHarness(t)
	id := h.mention("1", "gil", "Where is my new card?")
	tb := newTab(t, h)
	tb.signIn("agent")
	tb.run(chromedp.Navigate(fmt.Sprintf("%s/cases/%d", h.srv.URL, id)), chromedp.WaitVisible(chromedp.CSS(`#reply-text`)))
	tb.waitReady()
	tb.run(chromedp.Click(chromedp.CSS(`input[name=visibility][value=public]`)))
	tb.setValue("#reply-text", "Please call us back at ⑤①②-⁵⁵⁵-𝟎𝟏𝟗𝟗 today.")
	tb.run(chromedp.WaitVisible(chromedp.CSS(`#guard mark.phi`)))
	if m := tb.text(`#guard mark.phi`); m != "⑤①②-⁵⁵⁵-𝟎𝟏𝟗𝟗" {
		t.Fatalf("live mark = %q", m)
	}
	tb.setValue("#reply-text", "Member ID \u202e987654321HJX\u202c is on file.")
	tb.waitText("#guard", "hidden characters")
	if m := tb.text(`#guard mark.hidden-char`); m != "[U+202E right-to-left override]" {
		t.Fatalf("live hidden mark = %q", m)
	}
	tb.submit(`#reply-text`)
	tb.run(chromedp.WaitVisible(chromedp.CSS(`#reply-error`)))
	if m := tb.text(`#marked mark.hidden-char`); m != "[U+202E right-to-left override]" {
		t.Fatalf("hidden mark after send = %q", m)
	}
}
