package api

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"earshot/internal/model"
)

// ingest posts mentions as JSON Lines and returns their results.
func (h *harness) ingest(lines ...string) []resultItem {
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

// TestCaseJSONArrays checks that a case's lists are JSON arrays, never
// null or missing: mentions in the list (the opening and the latest
// mention) and replies, notes, tasks, events and mentions in the detail.
func TestCaseJSONArrays(t *testing.T) {
	h := newHarness(t)
	// Ann writes three times (one case), Bo once.
	res := h.ingest(mentionJSON("1", "ann", "My ID card never came", 0), mentionJSON("2", "ann", "Still no card", 5),
		mentionJSON("3", "ann", "Hello? Anyone?", 9), mentionJSON("4", "bo", "Where is the ER entrance", 1))
	ann, bo := res[0].CaseID, res[3].CaseID
	if res[1].CaseID != ann || res[2].CaseID != ann || bo == ann {
		t.Fatalf("threading: %+v", res)
	}

	var list struct {
		Cases []map[string]json.RawMessage `json:"cases"`
	}
	if code := h.do(model.RoleViewer, "GET", "/api/v1/cases", "", &list); code != 200 || len(list.Cases) != 2 {
		t.Fatalf("list: %d, %d cases", code, len(list.Cases))
	}
	wantEdge := map[int64][]int64{ann: {res[0].ID, res[2].ID}, bo: {res[3].ID}}
	for _, raw := range list.Cases {
		var c model.Case
		b, _ := json.Marshal(raw)
		if err := json.Unmarshal(b, &c); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(raw["mentions"]), "[") {
			t.Fatalf("case %d in the list: mentions = %s, want an array", c.ID, raw["mentions"])
		}
		var ids []int64
		for _, m := range c.Mentions {
			ids = append(ids, m.ID)
			if m.Text == "" || m.Author.Handle == "" || m.CaseID != c.ID {
				t.Errorf("case %d: list mention %+v lacks its text, author or case", c.ID, m)
			}
		}
		if !slices.Equal(ids, wantEdge[c.ID]) {
			t.Errorf("case %d in the list: mentions %v, want the opening and the latest %v", c.ID, ids, wantEdge[c.ID])
		}
		for _, k := range []string{"replies", "notes", "tasks", "events"} {
			if v, ok := raw[k]; ok {
				t.Errorf("case %d in the list has %s = %s; only the detail has it", c.ID, k, v)
			}
		}
	}

	var detail map[string]json.RawMessage
	if code := h.do(model.RoleViewer, "GET", fmt.Sprintf("/api/v1/cases/%d", bo), "", &detail); code != 200 {
		t.Fatalf("detail: %d", code)
	}
	for _, k := range []string{"mentions", "replies", "notes", "tasks", "events"} {
		if v, ok := detail[k]; !ok || !strings.HasPrefix(string(v), "[") {
			t.Errorf("detail: %s = %s (present %v), want an array", k, v, ok)
		}
	}
	if string(detail["replies"]) != "[]" || string(detail["notes"]) != "[]" || string(detail["tasks"]) != "[]" {
		t.Errorf("detail of a case without work: replies %s notes %s tasks %s, want []", detail["replies"], detail["notes"], detail["tasks"])
	}
}

// TestTimelineHasMentions checks that a case's timeline lists every
// mention it received, as derived mention_added entries merged by time
// with the stored events, which stay as they were.
func TestTimelineHasMentions(t *testing.T) {
	h := newHarness(t)
	var ids []int64
	for i := range 4 {
		res := h.ingest(mentionJSON(fmt.Sprint(10+i), "cy", fmt.Sprintf("Message %d about my claim", i), i))
		ids = append(ids, res[0].ID)
		if i == 1 {
			if code := h.do(model.RoleAgent, "POST", fmt.Sprintf("/api/v1/cases/%d/notes", res[0].CaseID), `{"text":"looking"}`, nil); code != 201 {
				t.Fatalf("note: %d", code)
			}
		}
	}
	caseID := h.ingest(mentionJSON("10", "cy", "Message 0 about my claim", 0))[0].CaseID
	var c model.Case
	if code := h.do(model.RoleViewer, "GET", fmt.Sprintf("/api/v1/cases/%d", caseID), "", &c); code != 200 {
		t.Fatalf("get: %d", code)
	}
	var types []model.EventType
	var added []int64
	for i, e := range c.Events {
		types = append(types, e.Type)
		if i > 0 && e.CreatedAt.Before(c.Events[i-1].CreatedAt) {
			t.Errorf("event %d (%s) at %v comes after one at %v", i, e.Type, e.CreatedAt, c.Events[i-1].CreatedAt)
		}
		if e.Type != model.EventMentionAdded {
			if e.Derived || e.ID == 0 {
				t.Errorf("stored event %+v marked derived or without id", e)
			}
			continue
		}
		var d struct {
			MentionID int64  `json:"mention_id"`
			Direction string `json:"direction"`
		}
		if err := json.Unmarshal(e.Data, &d); err != nil {
			t.Fatal(err)
		}
		if !e.Derived || e.ID != 0 || e.CaseID != caseID || d.Direction != model.DirectionInbound || e.CreatedAt.IsZero() {
			t.Errorf("mention entry %+v (data %s)", e, e.Data)
		}
		added = append(added, d.MentionID)
	}
	if !slices.Equal(added, ids) {
		t.Fatalf("timeline %v: mention_added for %v, want every mention %v", types, added, ids)
	}
	if types[0] != model.EventCaseOpened || types[1] != model.EventMentionAdded || !slices.Contains(types, model.EventNoteAdded) {
		t.Errorf("timeline %v: want case_opened, then the first mention, and the note", types)
	}
	// The stored events are as they were: the mentions are not in them.
	stored, err := h.st.GetCase(context.Background(), caseID)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range stored.Events {
		if e.Type == model.EventMentionAdded {
			t.Fatalf("a mention_added event was stored: %+v", e)
		}
	}
	if len(c.Events) != len(stored.Events)+len(ids) {
		t.Errorf("timeline has %d entries, want %d stored events and %d mentions", len(c.Events), len(stored.Events), len(ids))
	}
}

// TestSearchPagesPastTheWindow is the QA report's search: 1,200 cases
// whose mentions say "zebra", paged 200 at a time, all of them, each once.
func TestSearchPagesPastTheWindow(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests 1,200 mentions")
	}
	h := newHarness(t)
	var lines []string
	for i := range 1200 {
		lines = append(lines, mentionJSON(fmt.Sprint(i), fmt.Sprintf("z%d", i), fmt.Sprintf("Saw a zebra near the clinic, number %d", i), i))
	}
	h.ingest(lines...)
	seen := map[int64]bool{}
	cursor := ""
	for pages := 1; ; pages++ {
		var page struct {
			Cases      []model.Case `json:"cases"`
			NextCursor string       `json:"next_cursor"`
		}
		if code := h.do(model.RoleViewer, "GET", "/api/v1/cases?q=zebra&limit=200&cursor="+cursor, "", &page); code != 200 {
			t.Fatalf("page %d: %d", pages, code)
		}
		for _, c := range page.Cases {
			if seen[c.ID] {
				t.Fatalf("case %d on two pages", c.ID)
			}
			seen[c.ID] = true
		}
		if page.NextCursor == "" {
			break
		}
		if pages > 20 {
			t.Fatalf("still paging after %d pages", pages)
		}
		cursor = page.NextCursor
	}
	if len(seen) != 1200 {
		t.Fatalf("search paged through %d cases, want 1200", len(seen))
	}
}

// TestAssignChecksNames checks that assign and task refuse, with 400
// naming the field, a team, site or person that does not exist, and
// leave the case as it was.
func TestAssignChecksNames(t *testing.T) {
	h := newHarness(t)
	h.org(model.Team{ID: "claims", Name: "Claims"}, model.Site{ID: "austin", Name: "Austin"},
		model.User{Email: "pat@example.org", Role: model.RoleAgent}, model.User{Email: "val@example.org", Role: model.RoleViewer})
	id := h.ingest(mentionJSON("1", "dee", "My claim was denied", 0))[0].CaseID
	path := fmt.Sprintf("/api/v1/cases/%d", id)
	for _, tc := range []struct {
		name, path, body string
		code             int
		field            string
	}{
		{"unknown team", "/assign", `{"team":"no-such-team"}`, 400, "team"},
		{"unknown site", "/assign", `{"team":"claims","site":"no-such-site"}`, 400, "site"},
		{"unknown person", "/assign", `{"assignee":"nobody@nowhere"}`, 400, "assignee"},
		{"all three unknown", "/assign", `{"team":"no-such-team","site":"no-such-site","assignee":"nobody@nowhere"}`, 400, "team"},
		{"a viewer", "/assign", `{"assignee":"val@example.org"}`, 400, "assignee"},
		{"task for nobody", "/tasks", `{"title":"Call back","assignee":"nobody@nowhere"}`, 400, "assignee"},
		{"task for a viewer", "/tasks", `{"title":"Call back","assignee":"val@example.org"}`, 400, "assignee"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var e errBody
			if code := h.do(model.RoleSupervisor, "POST", path+tc.path, tc.body, &e); code != tc.code || e.Error.Field != tc.field ||
				e.Error.Code != "bad_field" || !strings.Contains(e.Error.Message, "no") && !strings.Contains(e.Error.Message, "viewer") {
				t.Fatalf("%s %s: %d %+v, want %d naming %s", tc.path, tc.body, code, e, tc.code, tc.field)
			}
		})
	}
	var c model.Case
	h.do(model.RoleViewer, "GET", path, "", &c)
	if c.Team != "" || c.Site != "" || c.Assignee != "" || len(c.Tasks) != 0 {
		t.Fatalf("refused changes left the case %q/%q/%q with %d tasks", c.Team, c.Site, c.Assignee, len(c.Tasks))
	}
	for _, e := range c.Events {
		if e.Type == model.EventAssigned || e.Type == model.EventTaskAdded {
			t.Fatalf("refused change recorded: %+v", e)
		}
	}
	// Existing names pass; an email in other case finds its user.
	if code := h.do(model.RoleSupervisor, "POST", path+"/assign", `{"team":"claims","site":"austin","assignee":"Pat@Example.org"}`, &c); code != 200 ||
		c.Team != "claims" || c.Site != "austin" || c.Assignee != "pat@example.org" {
		t.Fatalf("assign: %d %q/%q/%q", code, c.Team, c.Site, c.Assignee)
	}
	var task model.Task
	if code := h.do(model.RoleAgent, "POST", path+"/tasks", `{"title":"Call back","assignee":"PAT@example.org"}`, &task); code != 201 || task.Assignee != "pat@example.org" {
		t.Fatalf("task: %d %+v", code, task)
	}
	if code := h.do(model.RoleAgent, "POST", path+"/tasks", `{"title":"Someone call back"}`, &task); code != 201 || task.Assignee != "" {
		t.Fatalf("task without an owner: %d %+v", code, task)
	}
	// Empty strings clear, as before.
	if code := h.do(model.RoleSupervisor, "POST", path+"/assign", `{"team":"","site":"","assignee":""}`, &c); code != 200 || c.Team != "" || c.Site != "" || c.Assignee != "" {
		t.Fatalf("clear: %d %q/%q/%q", code, c.Team, c.Site, c.Assignee)
	}
}

// TestReplyChecks checks the order and the checks of a reply: a missing
// case is 404 whatever the text, an unknown template 400, and a public
// reply with a template variable left unfilled 422.
func TestReplyChecks(t *testing.T) {
	h := newHarness(t)
	h.org(model.Template{ID: "move-to-dm", Name: "Move to DM", Text: "Hi {first_name}, please send us a DM at {dm_link}."})
	id := h.ingest(mentionJSON("1", "eve", "The parking garage is full again", 0))[0].CaseID
	path := fmt.Sprintf("/api/v1/cases/%d/replies", id)
	phi := "Hi Gil, we found member ID XJH123456789 and will fix it."
	for _, tc := range []struct {
		name, path, body string
		code             int
		errCode, field   string
	}{
		{"missing case, PHI in text", "/api/v1/cases/999999/replies", `{"text":"` + phi + `"}`, 404, "not_found", ""},
		{"missing case, unknown template", "/api/v1/cases/999999/replies", `{"text":"Hi","template":"nope"}`, 404, "not_found", ""},
		{"unknown template", path, `{"text":"Hi there, please DM us.","template":"nope"}`, 400, "bad_field", "template"},
		{"unfilled placeholder", path, `{"text":"Hi {first_name}, please send us a DM.","template":"move-to-dm"}`, 422, "unfilled_placeholder", "text"},
		{"unfilled, no template", path, `{"text":"Hi {first_name}, please send us a DM."}`, 422, "unfilled_placeholder", "text"},
		{"PHI comes first", path, `{"text":"{first_name}: ` + phi + `"}`, 422, "phi_in_public_reply", ""},
		{"filled template", path, `{"text":"Hi Eve, please send us a DM at https://x.com/dm.","template":"move-to-dm"}`, 201, "", ""},
		{"private reply may keep braces", path, `{"text":"Hi {first_name}","visibility":"private","template":"move-to-dm"}`, 201, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var e errBody
			code := h.do(model.RoleAgent, "POST", tc.path, tc.body, &e)
			if code != tc.code || e.Error.Code != tc.errCode || e.Error.Field != tc.field {
				t.Fatalf("%s: %d %+v, want %d %s field %q", tc.body, code, e.Error, tc.code, tc.errCode, tc.field)
			}
			if tc.errCode == "bad_field" && !strings.Contains(e.Error.Message, `"nope"`) {
				t.Errorf("message %q does not name the template", e.Error.Message)
			}
		})
	}
	var e struct {
		Error struct {
			Placeholders []string `json:"placeholders"`
		} `json:"error"`
	}
	h.do(model.RoleAgent, "POST", path, `{"text":"Hi {first_name}, DM us at {dm_link} or {dm_link}."}`, &e)
	if !slices.Equal(e.Error.Placeholders, []string{"{first_name}", "{dm_link}"}) {
		t.Errorf("placeholders %q", e.Error.Placeholders)
	}
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
