package web

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"earshot/internal/model"
	"earshot/internal/redact/redacttest"
)

// Every page that shows a case's text shows it by the one masking policy,
// as the API answers: roles that work cases read the health information,
// viewers read labels in its place and the member record's identifier
// cut to its last four characters.
func TestPagesMaskHealthInformationByRole(t *testing.T) {
	h := newHarness(t)
	c := redacttest.SeedCase(t, h.st, h.p, "agent@example.org")
	pages := []struct {
		path string
		// text: the page shows the seeded values to the roles in it.
		text map[string]bool
		// forbidden: roles the page refuses.
		forbidden map[string]bool
	}{
		{path: "/", text: everyRole()},
		{path: "/inbox/rows", text: everyRole()},
		{path: fmt.Sprintf("/cases/%d", c.ID), text: everyRole()},
		{path: "/praise", text: everyRole()},
		{path: "/tasks", text: map[string]bool{model.RoleAgent: true}},
		{path: "/approvals", forbidden: map[string]bool{model.RoleAgent: true, model.RoleViewer: true}},
		{path: "/notifications"},
	}
	for _, role := range []string{model.RoleAdmin, model.RoleSupervisor, model.RoleAgent, model.RoleViewer} {
		client := h.signIn(role)
		full := role != model.RoleViewer
		for _, pg := range pages {
			t.Run(role+pg.path, func(t *testing.T) {
				code, body := h.get(client, pg.path)
				if pg.forbidden[role] {
					if code != http.StatusForbidden {
						t.Fatalf("status %d, want 403", code)
					}
					return
				}
				if code != http.StatusOK {
					t.Fatalf("status %d", code)
				}
				for i, raw := range redacttest.Raw() {
					switch shown := strings.Contains(body, raw); {
					case full && pg.text[role] && !shown:
						t.Errorf("%s does not read %q", role, raw)
					case !full && shown:
						t.Errorf("%s reads %q", role, raw)
					case !full && pg.text[role] && !strings.Contains(body, redacttest.Labels()[i]):
						t.Errorf("%s does not read the label %q in place of %q", role, redacttest.Labels()[i], raw)
					}
				}
			})
		}
	}
	_, body := h.get(h.signIn(model.RoleViewer), fmt.Sprintf("/cases/%d", c.ID))
	if !strings.Contains(body, redacttest.MaskedMemberID) {
		t.Errorf("the viewer's case page does not show the member record as %q", redacttest.MaskedMemberID)
	}
}

func everyRole() map[string]bool {
	return map[string]bool{model.RoleAdmin: true, model.RoleSupervisor: true, model.RoleAgent: true, model.RoleViewer: true}
}

// In the browser a viewer reads the case with every piece of health
// information replaced by a marked label, in the mention, the reply, the
// note, the task and the timeline, as the API gives it.
func TestE2EViewerReadsTheCaseMasked(t *testing.T) {
	h := newHarness(t)
	c := redacttest.SeedCase(t, h.st, h.p, "agent@example.org")
	tb := newTab(t, h)
	tb.signIn(model.RoleViewer)
	tb.run(
		chromedp.Navigate(fmt.Sprintf("%s/cases/%d", h.srv.URL, c.ID)),
		chromedp.WaitVisible(chromedp.CSS(`#timeline`)),
	)
	page := tb.text(`main`)
	for i, raw := range redacttest.Raw() {
		if strings.Contains(page, raw) {
			t.Errorf("the viewer reads %q", raw)
		}
		if !strings.Contains(page, redacttest.Labels()[i]) {
			t.Errorf("the viewer does not read %q", redacttest.Labels()[i])
		}
	}
	// Each masked label is marked as hidden: four in each of the mention,
	// the reply and the note.
	if n := eval[int](tb, `document.querySelectorAll('#timeline .masked').length`); n != 3*len(redacttest.Raw()) {
		t.Errorf("%d masked labels in the timeline, want %d", n, 3*len(redacttest.Raw()))
	}
	for _, want := range []string{redacttest.MaskedMemberID, "Task added: Call back, the DOB is [date]", "Reply rejected: Not in public: the DOB is [date]"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page does not show %q", want)
		}
	}
}

// Live updates tell a viewer that a case changed, never what it says.
func TestLiveUpdatesCarryNoText(t *testing.T) {
	h := newHarness(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", h.srv.URL+"/events", nil)
	res, err := h.signIn(model.RoleViewer).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	lines := bufio.NewScanner(res.Body)
	if !lines.Scan() { // the stream is subscribed once it has begun
		t.Fatalf("stream ended: %v", lines.Err())
	}
	redacttest.SeedCase(t, h.st, h.p, "")
	var stream strings.Builder
	for lines.Scan() {
		stream.WriteString(lines.Text() + "\n")
		if strings.HasPrefix(lines.Text(), "data: ") && strings.Contains(stream.String(), "event: change") {
			break
		}
	}
	if !strings.Contains(stream.String(), `"type":"mention_added"`) {
		t.Fatalf("no change event for the new mention: %q, %v", stream.String(), lines.Err())
	}
	for _, raw := range append(redacttest.Raw(), "DOB") {
		if strings.Contains(stream.String(), raw) {
			t.Errorf("the live stream carries %q", raw)
		}
	}
}
