package api

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"earshot/internal/model"
)

// ingest posts mentions as JSON Lines and returns their results.
func (h *harness) ingest(lines ...string) []mentionResult {
	h.t.Helper()
	var res resultsBody
	if code := h.do(model.RoleIntegration, "POST", "/api/v1/mentions", strings.Join(lines, "\n"), &res); code != 200 && code != 201 {
		h.t.Fatalf("ingest: status %d", code)
	}
	for _, r := range res.Results {
		if r.Error != nil {
			h.t.Fatalf("ingest: %+v", r.Error)
		}
	}
	return res.Results
}

// TestCreatedAtAsStored checks that a reply, note or task answers with
// its creation time as stored, to the microsecond, as a GET shows it.
func TestCreatedAtAsStored(t *testing.T) {
	now := time.Date(2026, 4, 1, 12, 0, 0, 123456789, time.UTC)
	h := newHarness(t, func(c *Config) { c.Now = func() time.Time { return now } })
	id := h.ingest(mentionJSON("1", "fay", "On hold for an hour", 0))[0].CaseID
	path := fmt.Sprintf("/api/v1/cases/%d", id)
	var posted struct {
		Reply, Note, Task struct {
			CreatedAt string `json:"created_at"`
			DueAt     string `json:"due_at"`
		}
	}
	for _, p := range []struct {
		path, body string
		out        any
	}{
		{"/replies", `{"text":"Sorry, please DM us.","visibility":"private"}`, &posted.Reply},
		{"/notes", `{"text":"Called"}`, &posted.Note},
		{"/tasks", `{"title":"Call back","due_at":"2026-04-03T15:00:00.987654321-05:00"}`, &posted.Task},
	} {
		if code := h.do(model.RoleAgent, "POST", path+p.path, p.body, p.out); code != 201 {
			t.Fatalf("POST %s: %d", p.path, code)
		}
	}
	var got struct {
		Replies, Notes, Tasks []struct {
			CreatedAt string `json:"created_at"`
			DueAt     string `json:"due_at"`
		}
	}
	if code := h.do(model.RoleViewer, "GET", path, "", &got); code != 200 {
		t.Fatalf("GET: %d", code)
	}
	const want = "2026-04-01T12:00:00.123456Z"
	for _, c := range []struct{ name, posted, read string }{
		{"reply", posted.Reply.CreatedAt, got.Replies[0].CreatedAt},
		{"note", posted.Note.CreatedAt, got.Notes[0].CreatedAt},
		{"task", posted.Task.CreatedAt, got.Tasks[0].CreatedAt},
		{"task due", posted.Task.DueAt, got.Tasks[0].DueAt},
	} {
		if c.posted != c.read {
			t.Errorf("%s: POST answered %s, GET reads %s", c.name, c.posted, c.read)
		}
		if c.name != "task due" && c.posted != want {
			t.Errorf("%s: created_at %s, want %s", c.name, c.posted, want)
		}
	}
}
