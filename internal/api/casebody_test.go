package api

import (
	"fmt"
	"testing"
	"time"

	"earshot/internal/ingest"
	"earshot/internal/model"
)

// TestMissingCaseBeforeBody sends each endpoint that works a case a body
// it would refuse (an unknown key, broken JSON, none at all, a repeated
// key, a missing field) for a case that does not exist: each is 404, the
// case being judged before the body.
func TestMissingCaseBeforeBody(t *testing.T) {
	h := newHarness(t)
	for _, ep := range []string{"replies", "notes", "assign", "status", "tasks"} {
		for _, body := range []string{`{"bogus":1}`, `{"text":`, ``, `{"text":"a","text":"b"}`, `{}`, `[1]`} {
			t.Run(ep+"/"+body, func(t *testing.T) {
				var e errBody
				code := h.do(model.RoleAgent, "POST", "/api/v1/cases/9999/"+ep, body, &e)
				if code != 404 || e.Error.Code != "not_found" {
					t.Fatalf("%s: %d %+v, want 404 not_found", body, code, e.Error)
				}
			})
		}
	}
}

// TestBodyFieldErrors checks the codes of a repeated key, of a missing
// status and of task due times out of range, and that none of them
// changes the case.
func TestBodyFieldErrors(t *testing.T) {
	h := newHarness(t)
	id := h.ingest(mentionJSON("1", "gil", "I got charged twice", 0))[0].CaseID
	path := fmt.Sprintf("/api/v1/cases/%d/", id)
	for _, tc := range []struct {
		ep, body             string
		code                 int
		errCode, field, want string // want: the message, "" for any
	}{
		{"notes", `{"text":"a","text":"b"}`, 400, "bad_json", "text", `"text" appears twice; send each field once`},
		{"notes", `{"text":"a","t\u0065xt":"b"}`, 400, "bad_json", "text", `"text" appears twice; send each field once`},
		{"replies", `{"text":"Please DM us","visibility":"private","visibility":"public"}`, 400, "bad_json", "visibility", ""},
		{"assign", `{"team":"","team":""}`, 400, "bad_json", "team", ""},
		{"status", `{"status":"open","status":"closed"}`, 400, "bad_json", "status", ""},
		{"tasks", `{"title":"x","due_at":"2026-04-03T15:00:00Z","due_at":"2026-04-04T15:00:00Z"}`, 400, "bad_json", "due_at", ""},
		{"status", `{}`, 400, "missing_field", "status", "status is required: open, pending, resolved or closed"},
		{"status", `{"status":""}`, 400, "missing_field", "status", ""},
		{"status", `{"status":"new"}`, 400, "bad_field", "status", "status must be open, pending, resolved or closed"},
		{"tasks", `{"title":"x","due_at":"0001-01-01T00:00:00Z"}`, 400, "bad_field", "due_at",
			"due_at must be from 1990-01-01 and before 2200-01-01, not 0001-01-01T00:00:00Z"},
		{"tasks", `{"title":"x","due_at":"1989-12-31T23:59:59Z"}`, 400, "bad_field", "due_at", ""},
		{"tasks", `{"title":"x","due_at":"1990-01-01T00:30:00+01:00"}`, 400, "bad_field", "due_at", ""},
		{"tasks", `{"title":"x","due_at":"2200-01-01T00:00:00Z"}`, 400, "bad_field", "due_at", ""},
		{"tasks", `{"title":"x","due_at":"9999-12-31T23:59:59Z"}`, 400, "bad_field", "due_at", ""},
	} {
		t.Run(tc.ep+"/"+tc.body, func(t *testing.T) {
			var e errBody
			code := h.do(model.RoleAgent, "POST", path+tc.ep, tc.body, &e)
			if code != tc.code || e.Error.Code != tc.errCode || e.Error.Field != tc.field || tc.want != "" && e.Error.Message != tc.want {
				t.Fatalf("%s: %d %+v, want %d %s field %q %q", tc.body, code, e.Error, tc.code, tc.errCode, tc.field, tc.want)
			}
		})
	}
	var c model.Case
	if code := h.do(model.RoleViewer, "GET", path[:len(path)-1], "", &c); code != 200 {
		t.Fatalf("get: %d", code)
	}
	if len(c.Notes) != 0 || len(c.Replies) != 0 || len(c.Tasks) != 0 || c.Status != model.StatusNew {
		t.Fatalf("the refused requests changed the case: %d notes, %d replies, %d tasks, status %s", len(c.Notes), len(c.Replies), len(c.Tasks), c.Status)
	}
	// The edges of the range are taken.
	for _, due := range []string{"1990-01-01T00:00:00Z", "2199-12-31T23:59:59Z"} {
		var task model.Task
		if code := h.do(model.RoleAgent, "POST", path+"tasks", `{"title":"x","due_at":"`+due+`"}`, &task); code != 201 || task.DueAt == nil || task.DueAt.Format(time.RFC3339) != due {
			t.Fatalf("due_at %s: %d %+v", due, code, task)
		}
	}
	// The earliest due time is the earliest created_at of a mention.
	if from, _ := model.TaskDueRange(); !from.Equal(ingest.MinCreatedAt) {
		t.Errorf("task due times from %v, mentions from %v", from, ingest.MinCreatedAt)
	}
}
