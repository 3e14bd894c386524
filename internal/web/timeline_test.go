package web

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestCaseTimelineReplyBeforeParent: our reply arrives before the
// mention it answers. The case page places it as the API's timeline
// does, where it joined the case: after "Case opened" and the mention
// that opened it, not before the case existed (nor by posting time).
func TestCaseTimelineReplyBeforeParent(t *testing.T) {
	h := newHarness(t)
	now := time.Now().UTC()
	reply, _ := h.postMention(map[string]any{"platform": "x", "channel": "acme", "external_id": "r1", "direction": "outbound",
		"kind": "comment", "in_reply_to": "p1", "text": "Sorry to hear that, please send us a DM.",
		"created_at": now.Add(-time.Minute).Format(time.RFC3339), "author": map[string]any{"id": "acme", "handle": "acme"}})
	time.Sleep(20 * time.Millisecond) // the parent arrives later
	parent, caseID := h.postMention(map[string]any{"platform": "x", "channel": "acme", "external_id": "p1",
		"text": "My claim was denied again", "created_at": now.Add(-2 * time.Minute).Format(time.RFC3339),
		"author": map[string]any{"id": "id-gil", "handle": "gil"}})
	a := h.signIn("agent")
	code, body := h.get(a, fmt.Sprintf("/cases/%d", caseID))
	if code != 200 {
		t.Fatalf("case page: %d", code)
	}
	opened := strings.Index(body, `<li class="event">Case opened`)
	p := strings.Index(body, fmt.Sprintf(`id="m%d"`, parent))
	r := strings.Index(body, fmt.Sprintf(`id="m%d"`, reply))
	if opened < 0 || p < 0 || r < 0 || !(opened < p && p < r) {
		t.Fatalf("timeline order: Case opened at %d, the parent at %d, our reply at %d; want them in that order", opened, p, r)
	}
}
