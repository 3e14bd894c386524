package api

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"earshot/internal/ingest"
	"earshot/internal/model"
)

// mentionAt is a mention of author mallory (any token that may send
// mentions can send one like it) made at the RFC 3339 time at.
func mentionAt(id, at string) string {
	b, _ := json.Marshal(map[string]any{"platform": "x", "external_id": id, "text": "my claim was denied again, please help",
		"created_at": at, "author": map[string]any{"id": "u-mallory", "handle": "mallory"}})
	return string(b)
}

// caseTimes reads the times of a case as the API writes them.
type caseTimes struct {
	ID               int64  `json:"id"`
	CreatedAt        string `json:"created_at"`
	FirstResponseDue string `json:"first_response_due"`
	MentionCount     int    `json:"mention_count"`
}

// readsAuthorCases checks that the case list, a search and each case of
// mallory answer 200, and returns how many mentions those cases hold.
func (h *harness) readsAuthorCases() int {
	h.t.Helper()
	mentions := 0
	for _, path := range []string{"/api/v1/cases?limit=200", "/api/v1/cases?q=denied"} {
		var list struct {
			Cases []caseTimes `json:"cases"`
		}
		if code := h.do(model.RoleAdmin, "GET", path, "", &list); code != 200 {
			h.t.Fatalf("GET %s: %d", path, code)
		}
		if len(list.Cases) == 0 {
			h.t.Fatalf("GET %s found no case", path)
		}
		for _, c := range list.Cases {
			var one caseTimes
			if code := h.do(model.RoleAdmin, "GET", fmt.Sprintf("/api/v1/cases/%d", c.ID), "", &one); code != 200 || one.ID != c.ID {
				h.t.Fatalf("GET case %d: %d %+v", c.ID, code, one)
			}
			if strings.Contains(path, "q=") {
				mentions += one.MentionCount
			}
		}
	}
	return mentions
}

func TestMentionFromTheFarFutureIsRefused(t *testing.T) {
	h := newHarness(t)
	now := time.Now().UTC()
	var e errBody
	if code := h.do(model.RoleIntegration, "POST", "/api/v1/mentions", mentionAt("1", "9999-12-31T23:59:59Z"), &e); code != 400 ||
		e.Error.Code != "invalid_mention" || e.Error.Field != "created_at" || !strings.Contains(e.Error.Message, "in the future") {
		t.Fatalf("a mention dated 9999-12-31: %d %+v, want 400 naming created_at", code, e)
	}
	var batch resultsBody
	body := "[" + mentionAt("2", "9999-12-31T23:59:59Z") + "," + mentionAt("3", now.Add(-time.Minute).Format(time.RFC3339)) + "]"
	if code := h.do(model.RoleIntegration, "POST", "/api/v1/mentions", body, &batch); code != 200 || len(batch.Results) != 2 ||
		batch.Results[0].Error == nil || batch.Results[0].Error.Field != "created_at" || batch.Results[1].ID == 0 {
		t.Fatalf("a batch with a mention dated 9999-12-31: %d %+v, want it refused and the other stored", code, batch)
	}
	for i, at := range []string{now.Format(time.RFC3339), now.Add(ingest.MaxClockSkew / 2).Format(time.RFC3339)} {
		var one resultsBody
		if code := h.do(model.RoleIntegration, "POST", "/api/v1/mentions", mentionAt(fmt.Sprint("later-", i), at), &one); code != 201 {
			t.Fatalf("a later mention of the same author, made %s: %d %+v", at, code, one)
		}
	}
	if n := h.readsAuthorCases(); n != 3 {
		t.Fatalf("the author's cases hold %d mentions, want 3", n)
	}
}

func TestMentionCreatedAtIsBoundedByThePipelineClock(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	h := newHarness(t, func(c *Config) {
		c.Pipeline = ingest.New(c.Store, c.Analyzer, ingest.Options{Now: func() time.Time { return now }})
	})
	latest := now.Add(ingest.MaxClockSkew)
	if code := h.do(model.RoleIntegration, "POST", "/api/v1/mentions", mentionAt("1", latest.Format(time.RFC3339)), nil); code != 201 {
		t.Fatalf("a mention made %v past the clock: %d, want 201", ingest.MaxClockSkew, code)
	}
	var e errBody
	at := latest.Add(time.Second).Format(time.RFC3339)
	want := "created_at: " + at + " is in the future: it must be no later than " + latest.Format(time.RFC3339) + " (1h0m0s past the server's clock)"
	if code := h.do(model.RoleIntegration, "POST", "/api/v1/mentions", mentionAt("2", at), &e); code != 400 ||
		e.Error.Field != "created_at" || e.Error.Message != want {
		t.Fatalf("a mention made a second later: %d %+v, want 400 %q", code, e, want)
	}
}

// TestStoredFarFutureCaseStillReads holds a store written before times
// were bounded: a case opened by a mention dated 9999-12-31, due in the
// year 10000.
func TestStoredFarFutureCaseStillReads(t *testing.T) {
	h := newHarness(t)
	now := time.Now().UTC()
	var first resultsBody
	if code := h.do(model.RoleIntegration, "POST", "/api/v1/mentions", mentionAt("1", now.Add(-time.Hour).Format(time.RFC3339)), &first); code != 201 {
		t.Fatalf("first mention: %d", code)
	}
	caseID := first.Results[0].CaseID
	const opened, due = "9999-12-31T23:59:59.000000Z", "10000-01-01T03:59:59.000000Z"
	ctx := context.Background()
	for _, w := range []struct {
		q    string
		args []any
	}{
		{`UPDATE cases SET created_at = $1, updated_at = $1, last_activity_at = $1, first_response_due = $2, resolution_due = $2 WHERE id = $3`,
			[]any{opened, due, caseID}},
		{`UPDATE mentions SET created_at = $1 WHERE case_id = $2`, []any{opened, caseID}},
	} {
		if _, err := h.raw.ExecContext(ctx, w.q, w.args...); err != nil {
			t.Fatalf("write the case as older Earshot did: %v", err)
		}
	}
	var c caseTimes
	if code := h.do(model.RoleAdmin, "GET", fmt.Sprintf("/api/v1/cases/%d", caseID), "", &c); code != 200 {
		t.Fatalf("GET the case: %d", code)
	}
	if c.CreatedAt != "9999-12-31T23:59:59Z" || c.FirstResponseDue != "9999-12-31T23:59:59.999999Z" {
		t.Fatalf("case times %+v, want the deadline shown as the last time the store keeps", c)
	}
	var sum struct {
		Cases struct{ Opened int } `json:"cases"`
	}
	if code := h.do(model.RoleViewer, "GET", "/api/v1/reports/summary?from=9999-12-31&to=9999-12-31T23:59:59.999999Z", "", &sum); code != 200 || sum.Cases.Opened != 1 {
		t.Fatalf("the report of the case's day: %d %+v", code, sum)
	}
	var later resultsBody
	if code := h.do(model.RoleIntegration, "POST", "/api/v1/mentions", mentionAt("2", now.Format(time.RFC3339)), &later); code != 201 {
		t.Fatalf("a later mention of the same author: %d %+v", code, later)
	}
	if n := h.readsAuthorCases(); n != 2 {
		t.Fatalf("the author's cases hold %d mentions, want 2", n)
	}
}

func TestSummaryWindowBeyondTheTimeRange(t *testing.T) {
	h := newHarness(t)
	h.ingest(mentionJSON("1", "ann", "Where is my ID card?", 0))
	earliest, latest := model.TimeRange()
	for _, tc := range []struct {
		query    string
		from, to time.Time
	}{
		{"from=0000-06-01T00:00:00Z&to=9999-12-31T23:59:59.999999999Z", earliest, latest},
		{"from=0001-01-01&to=9999-12-31T23:59:59.999999999Z", earliest, latest},
	} {
		var sum struct {
			From, To time.Time
			Mentions struct{ Total int }
		}
		if code := h.do(model.RoleViewer, "GET", "/api/v1/reports/summary?"+tc.query, "", &sum); code != 200 ||
			!sum.From.Equal(tc.from) || !sum.To.Equal(tc.to) || sum.Mentions.Total != 1 {
			t.Errorf("summary ?%s: %d %+v, want the window %v to %v with the one mention", tc.query, code, sum, tc.from, tc.to)
		}
	}
	// In UTC these are the years -1 and 10000, which no answer can hold.
	for _, tc := range []struct{ query, code string }{
		{"from=0000-01-01T00:00:00%2B23:59", "bad_from"},
		{"to=9999-12-31T23:59:59-23:59", "bad_to"},
	} {
		var e errBody
		if code := h.do(model.RoleViewer, "GET", "/api/v1/reports/summary?"+tc.query, "", &e); code != 400 || e.Error.Code != tc.code {
			t.Errorf("summary ?%s: %d %+v, want 400 %s", tc.query, code, e, tc.code)
		}
	}
}
