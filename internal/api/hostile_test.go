package api

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"earshot/internal/input/inputtest"
	"earshot/internal/model"
)

// TestGetRoutesSurviveHostileValues sends each hostile value in each
// parameter of each GET route: the answer may be a 400 or a page, never
// a 5xx, on either engine.
func TestGetRoutesSurviveHostileValues(t *testing.T) {
	h := newHarness(t)
	r := h.ingest(mentionJSON("1", "ann", "Where is my ID card?", 0))
	caseID := r[0].CaseID
	routes := []struct {
		path   string
		params []string
	}{
		{"/api/v1/cases", []string{"status", "team", "site", "priority", "assignee", "platform", "q", "limit", "cursor"}},
		{fmt.Sprintf("/api/v1/cases/%d", caseID), []string{"x"}},
		{"/api/v1/reports/summary", []string{"from", "to"}},
		{"/api/v1/org", []string{"format"}},
		{"/api/v1/jobs/dead", []string{"limit"}},
		{"/healthz", []string{"x"}},
		{"/readyz", []string{"x"}},
	}
	for _, rt := range routes {
		for _, p := range rt.params {
			for name, v := range inputtest.Hostile() {
				path := rt.path + "?" + p + "=" + url.QueryEscape(v)
				var e errBody
				if code := h.do(model.RoleAdmin, "GET", path, "", &e); code >= 500 {
					t.Errorf("GET %s %s=%s: %d %+v", rt.path, p, name, code, e.Error)
				}
			}
		}
	}
	// The report window at the ends of what RFC 3339 can write: a 400
	// where UTC leaves them, never a 200 with no body.
	for _, tc := range []struct {
		q    string
		want int
	}{
		{"from=0001-01-01&to=9999-12-31", 200},
		{"from=0000-01-01T00:00:00%2B00:01", 400},
		{"to=9999-12-31T23:59:59-23:59", 400},
	} {
		code, _, body := h.send(model.RoleAdmin, "GET", "/api/v1/reports/summary?"+tc.q, nil, nil)
		var v map[string]any
		if code != tc.want || json.Unmarshal(body, &v) != nil {
			t.Errorf("summary %s: %d %q, want %d with JSON", tc.q, code, body, tc.want)
		}
	}
	for _, id := range []string{"%00", "%FF", "abc", "-1", "0", "99999999999999999999", strings.Repeat("9", 5000)} {
		if code := h.do(model.RoleAdmin, "GET", "/api/v1/cases/"+id, "", nil); code >= 500 {
			t.Errorf("GET /api/v1/cases/%.20s: %d", id, code)
		}
	}
}

// TestCasesQueryRefusesUnstorableText holds GET /api/v1/cases to a 400
// naming the parameter for a value no case can have: a NUL character,
// invalid UTF-8, or one longer than any name or search.
func TestCasesQueryRefusesUnstorableText(t *testing.T) {
	h := newHarness(t)
	h.ingest(mentionJSON("1", "ann", "Where is my ID card?", 0))
	codes := map[string]string{"team": "bad_team", "site": "bad_site", "assignee": "bad_assignee", "platform": "bad_platform",
		"q": "bad_query", "status": "bad_status", "priority": "bad_priority", "cursor": "bad_cursor", "limit": "bad_limit"}
	for p, code := range codes {
		for _, v := range []string{"a\x00b", "a\xffb", strings.Repeat("a", 501)} {
			var e errBody
			status := h.do(model.RoleAdmin, "GET", "/api/v1/cases?"+p+"="+url.QueryEscape(v), "", &e)
			if status != 400 || e.Error.Code != code || e.Error.Field != p || e.Error.Message == "" {
				t.Errorf("%s=%.12q: %d %+v, want 400 %s naming %s", p, v, status, e.Error, code, p)
			}
		}
	}
	// What a search or filter may hold still works.
	var page struct {
		Cases []model.Case `json:"cases"`
	}
	for _, q := range []string{"ID card", `"ID" card*`, "card OR", strings.Repeat("a", 500), "tarjeta ¿dónde?"} {
		if code := h.do(model.RoleAdmin, "GET", "/api/v1/cases?q="+url.QueryEscape(q), "", &page); code != 200 {
			t.Errorf("q=%.20q: %d", q, code)
		}
	}
	if h.do(model.RoleAdmin, "GET", "/api/v1/cases?q="+url.QueryEscape(`"ID" card*`), "", &page); len(page.Cases) != 1 {
		t.Errorf("search with quotes and a star found %d cases, want 1", len(page.Cases))
	}
}

// TestBodiesRefuseNUL holds every string field of the case bodies to a
// 400 bad_field naming it when it holds a NUL character (\u0000 in
// JSON), which PostgreSQL cannot store.
func TestBodiesRefuseNUL(t *testing.T) {
	h := newHarness(t)
	r := h.ingest(mentionJSON("1", "ann", "Where is my ID card?", 0))
	for _, tc := range []struct{ path, body, field string }{
		{"replies", `{"text":"a\u0000b","visibility":"private"}`, "text"},
		{"replies", `{"text":"hello","visibility":"private","override_reason":"a\u0000"}`, "override_reason"},
		{"replies", `{"text":"hello","visibility":"private","template":"\u0000"}`, "template"},
		{"replies", `{"text":"hello","visibility":"\u0000"}`, "visibility"},
		{"notes", `{"text":"a\u0000b"}`, "text"},
		{"assign", `{"team":"a\u0000b"}`, "team"},
		{"assign", `{"site":"\u0000"}`, "site"},
		{"assign", `{"assignee":"a\u0000b"}`, "assignee"},
		{"status", `{"status":"open\u0000"}`, "status"},
		{"tasks", `{"title":"a\u0000b"}`, "title"},
		{"tasks", `{"title":"call back","assignee":"a\u0000b"}`, "assignee"},
		{"tasks", `{"title":"call back","due_at":"2026-05-01T10:00:00Z\u0000"}`, "due_at"},
	} {
		var e errBody
		code := h.do(model.RoleAdmin, "POST", fmt.Sprintf("/api/v1/cases/%d/%s", r[0].CaseID, tc.path), tc.body, &e)
		if code != 400 || e.Error.Code != "bad_field" || e.Error.Field != tc.field || !strings.Contains(e.Error.Message, "NUL") {
			t.Errorf("%s %s: %d %+v, want 400 bad_field naming %s", tc.path, tc.body, code, e.Error, tc.field)
		}
	}
}

// TestPutOrgRefusesNUL: an organisation file may spell a NUL in a quoted
// string ("\0"), which PostgreSQL cannot store; it is a problem of the
// file (422 invalid_org with its line and field), and nothing changes.
func TestPutOrgRefusesNUL(t *testing.T) {
	h := newHarness(t)
	var out struct {
		Error struct {
			Code  string       `json:"code"`
			Items []orgProblem `json:"items"`
		} `json:"error"`
	}
	src := "organization: x\ntimezone: UTC\nteams: [{id: a, name: \"A\\0\", hours: 24/7}]\n"
	code := h.do(model.RoleAdmin, "PUT", "/api/v1/org", src, &out)
	if code != 422 || out.Error.Code != "invalid_org" || len(out.Error.Items) != 1 ||
		out.Error.Items[0] != (orgProblem{Field: "teams[0].name", Line: 3, Message: "contains a NUL character (U+0000)"}) {
		t.Fatalf("PUT /api/v1/org with a NUL: %d %+v", code, out.Error)
	}
	var e errBody
	if code := h.do(model.RoleAdmin, "GET", "/api/v1/org", "", &e); code != 404 || e.Error.Code != "not_found" {
		t.Fatalf("GET /api/v1/org after the refused file: %d %+v, want none applied", code, e.Error)
	}
}

// TestMentionFieldsSurviveNUL sends a mention with a NUL (escaped, as
// JSON must) or invalid UTF-8 in each of its text fields in turn: each
// is stored cleaned or refused with a 400, never a 5xx, on either engine.
func TestMentionFieldsSurviveNUL(t *testing.T) {
	h := newHarness(t)
	base := `{"platform":"x","channel":"C","external_id":"EXT","text":"hi T","created_at":"2026-04-01T09:00:00Z",` +
		`"url":"https://x.com/U","place":"P","thread_id":"TH","in_reply_to":"IR","kind":"post",` +
		`"author":{"id":"AI","handle":"AH","name":"AN","location":"AL"}}`
	n := 0
	for _, marker := range []string{`"C"`, `"EXT"`, ` T"`, `/U"`, `"P"`, `"TH"`, `"IR"`, `"AI"`, `"AH"`, `"AN"`, `"AL"`} {
		for _, bad := range []string{`\u0000`, "\xff"} {
			n++
			body := strings.Replace(base, marker, marker[:len(marker)-1]+bad+`"`, 1)
			body = strings.Replace(body, `"EXT`, fmt.Sprintf(`"E%d`, n), 1)
			var out map[string]any
			if code := h.do(model.RoleIntegration, "POST", "/api/v1/mentions", body, &out); code >= 500 {
				t.Errorf("mention with %q in %s: %d %v", bad, marker, code, out)
			}
		}
	}
}
