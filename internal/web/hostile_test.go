package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"earshot/internal/input/inputtest"
	"earshot/internal/model"
)

// hostileValues are inputtest.Hostile and a cursor this server never
// issued.
func hostileValues() map[string]string {
	v := inputtest.Hostile()
	v["garbage"] = "zz!!"
	return v
}

// TestPagesSurviveHostileValues sends each hostile value in each
// parameter of each page that reads its query: the answer may be a 400
// or a page, never a 5xx, on either engine.
func TestPagesSurviveHostileValues(t *testing.T) {
	h := newHarness(t)
	id := h.mention("1", "ann", "Where is my ID card?")
	filter := []string{"platform", "channel", "team", "site", "status", "sentiment", "intent", "assignee", "q", "cursor"}
	routes := []struct {
		path   string
		params []string
	}{
		{"/", filter},
		{"/inbox/rows", filter},
		{fmt.Sprintf("/cases/%d", id), []string{"member_q", "done"}},
		{"/approvals", []string{"done"}},
		{"/tasks", []string{"done"}},
		{"/praise", []string{"x"}},
		{"/notifications", []string{"x"}},
		{"/settings", []string{"x"}},
		{"/password", []string{"done"}},
	}
	c := h.signIn(model.RoleAdmin)
	for _, rt := range routes {
		for _, p := range rt.params {
			for name, v := range hostileValues() {
				if code, body := h.get(c, rt.path+"?"+p+"="+url.QueryEscape(v)); code >= 500 {
					t.Errorf("GET %s %s=%s: %d %.300s", rt.path, p, name, code, body)
				}
			}
		}
	}
	for _, path := range []string{"/cases/%00", "/cases/abc", "/cases/-1", "/cases/99999999999999999999", "/events?case=%00"} {
		if code, _ := h.get(c, path); code >= 500 {
			t.Errorf("GET %s: %d", path, code)
		}
	}
}

// TestInboxRefusesUnstorableFilter shows a 400 inbox saying which
// filter value cannot be used, for a NUL, invalid UTF-8 or an overlong
// value, rather than failing in the store; the live refresh of the rows
// answers 400 with the same words.
func TestInboxRefusesUnstorableFilter(t *testing.T) {
	h := newHarness(t)
	h.mention("1", "ann", "Where is my ID card?")
	c := h.signIn(model.RoleAgent)
	for _, p := range []string{"q", "team", "site", "channel"} {
		for v, what := range map[string]string{"a\x00b": "contains a NUL character", "a\xffb": "is not valid UTF-8",
			strings.Repeat("a", 501): "is longer than 500 bytes"} {
			want := p + " " + what
			code, body := h.get(c, "/?"+p+"="+url.QueryEscape(v))
			if code != http.StatusBadRequest || !strings.Contains(body, want) || !strings.Contains(body, "ann") {
				t.Errorf("inbox %s=%.12q: %d, want 400 saying %q above every case", p, v, code, want)
			}
			code, body = h.get(c, "/inbox/rows?"+p+"="+url.QueryEscape(v))
			if code != http.StatusBadRequest || !strings.Contains(body, want) {
				t.Errorf("rows %s=%.12q: %d %.100q, want 400 saying %q", p, v, code, body, want)
			}
		}
	}
	if code, body := h.get(c, "/?q="+url.QueryEscape("ID card")); code != 200 || !strings.Contains(body, "ann") {
		t.Fatalf("a plain search: %d", code)
	}
}

// TestInboxBadCursor answers a cursor this server did not issue, as the
// API does (400 bad_cursor): a 400 page that says so and shows the first
// page of the queue.
func TestInboxBadCursor(t *testing.T) {
	h := newHarness(t)
	h.mention("1", "ann", "Where is my ID card?")
	c := h.signIn(model.RoleAgent)
	for _, cur := range []string{"zz!!", "bm90IGEgY3Vyc29y", "MS4yLjMuOS4x", "a\x00b"} {
		for _, q := range []string{"", "&q=card"} {
			code, body := h.get(c, "/?cursor="+url.QueryEscape(cur)+q)
			if code != http.StatusBadRequest || !strings.Contains(body, "not one this server issued") || !strings.Contains(body, "ann") {
				t.Errorf("inbox cursor=%q%s: %d, want 400 saying so above the first page", cur, q, code)
			}
			code, body = h.get(c, "/inbox/rows?cursor="+url.QueryEscape(cur)+q)
			if code != http.StatusBadRequest || !strings.Contains(body, "not one this server issued") {
				t.Errorf("rows cursor=%q%s: %d %.100q, want 400 saying so", cur, q, code, body)
			}
		}
	}
}

// TestFormsRefuseNUL holds every form to a 400 page naming the field
// that holds a NUL character or invalid UTF-8, which the store could not
// keep on PostgreSQL, and stores nothing of it.
func TestFormsRefuseNUL(t *testing.T) {
	h := newHarness(t)
	id := h.mention("1", "ann", "Where is my ID card?")
	c := h.signIn(model.RoleAdmin)
	cases := fmt.Sprintf("/cases/%d", id)
	for _, tc := range []struct {
		path  string
		form  url.Values
		field string
	}{
		{cases + "/note", url.Values{"text": {"a\x00b"}}, "text"},
		{cases + "/note", url.Values{"text": {"a\xffb"}}, "text"},
		{cases + "/handoff", url.Values{"note": {"a\x00b"}, "team": {"claims"}}, "note"},
		{cases + "/handoff", url.Values{"note": {"context"}, "team": {"claims\x00"}}, "team"},
		{cases + "/tasks", url.Values{"title": {"a\x00b"}}, "title"},
		{cases + "/tasks", url.Values{"title": {"call back"}, "assignee": {"a\x00"}}, "assignee"},
		{cases + "/reply", url.Values{"text": {"a\x00b"}, "visibility": {"private"}}, "text"},
		{cases + "/reply", url.Values{"text": {"thanks"}, "visibility": {"private"}, "template": {"\x00"}}, "template"},
		{cases + "/status", url.Values{"status": {"open\x00"}}, "status"},
		{cases + "/members", url.Values{"member": {"M\x00"}}, "member"},
		{cases + "/members/unlink", url.Values{"member": {"M\x00"}}, "member"},
		{"/views", url.Values{"name": {"mine\x00"}, "query": {"q=card"}}, "name"},
		{"/views", url.Values{"name": {"mine"}, "query": {"q=card%00"}}, "q"},
	} {
		code, _, body := h.post(c, tc.path, tc.form)
		if code != http.StatusBadRequest || !strings.Contains(body, tc.field+" ") {
			t.Errorf("POST %s %q: %d, want 400 naming %s: %.200s", tc.path, tc.form.Encode(), code, tc.field, pageMain(body))
		}
	}
	if code, body := h.get(c, cases); code != 200 || strings.Contains(body, "a\x00b") {
		t.Fatalf("case page after the refused forms: %d", code)
	}
}

// pageMain returns the main element of a page, for failure messages.
func pageMain(body string) string {
	if i := strings.Index(body, "<main"); i >= 0 {
		return body[i:]
	}
	return body
}
