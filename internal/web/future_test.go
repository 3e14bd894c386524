package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"earshot/internal/model"
)

// storeFarFutureCase opens a case for mallory and rewrites it as older
// Earshot stored a mention dated 9999-12-31: opened then, due in the
// year 10000. It returns the case id.
func (h *harness) storeFarFutureCase() int64 {
	h.t.Helper()
	id := h.mention("1", "mallory", "my claim was denied, please help")
	const opened, due = "9999-12-31T23:59:59.000000Z", "10000-01-01T03:59:59.000000Z"
	ctx := context.Background()
	if _, err := h.raw.ExecContext(ctx, `UPDATE cases SET created_at = $1, updated_at = $1, last_activity_at = $1,
		first_response_due = $2, resolution_due = $2 WHERE id = $3`, opened, due, id); err != nil {
		h.t.Fatal(err)
	}
	if _, err := h.raw.ExecContext(ctx, `UPDATE mentions SET created_at = $1 WHERE case_id = $2`, opened, id); err != nil {
		h.t.Fatal(err)
	}
	return id
}

// TestStoredFarFutureCaseStillShows holds a store written before times
// were bounded: a case opened by a mention dated 9999-12-31 and due in
// the year 10000 shows in the inbox, in a search and on its page, and
// the author's later mentions are stored.
func TestStoredFarFutureCaseStillShows(t *testing.T) {
	h := newHarness(t)
	id := h.storeFarFutureCase()
	_, later := h.postMention(map[string]any{"platform": "x", "external_id": "2", "text": "still waiting on my denied claim",
		"created_at": time.Now().UTC().Format(time.RFC3339), "author": map[string]any{"id": "id-mallory", "handle": "mallory"}})
	agent := h.signIn(model.RoleAgent)
	for _, path := range []string{"/", "/?q=denied", fmt.Sprintf("/cases/%d", id), fmt.Sprintf("/cases/%d", later)} {
		code, body := h.get(agent, path)
		if code != 200 || !strings.Contains(body, "mallory") {
			t.Errorf("GET %s: %d, want 200 showing the author", path, code)
		}
	}
	if _, body := h.get(agent, fmt.Sprintf("/cases/%d", id)); !strings.Contains(body, "9999") {
		t.Errorf("the case page does not show its opening in 9999")
	}
}

func TestE2EFarFutureCaseOpens(t *testing.T) {
	h := newHarness(t)
	id := h.storeFarFutureCase()
	tb := newTab(t, h)
	tb.signIn(model.RoleAgent)
	tb.waitText("#rows", "mallory")
	tb.run(
		chromedp.Navigate(fmt.Sprintf("%s/cases/%d", h.srv.URL, id)),
		chromedp.WaitVisible(chromedp.CSS(`#timeline`)),
	)
	if due := tb.text(`#deadlines [data-deadline="first_response"]`); !strings.Contains(due, "(31 Dec 23:59 UTC)") {
		t.Fatalf("first response %q, want the deadline shown as the last moment of 9999", due)
	}
}
