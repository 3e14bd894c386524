package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"earshot/internal/httpmetrics"
	"earshot/internal/model"
)

// TestPageMetrics: the app's requests are timed by route and status; a
// cross-origin POST refused before routing counts as unmatched, and the
// live-update stream is not timed.
func TestPageMetrics(t *testing.T) {
	h := newHarness(t)
	c := h.signIn(model.RoleAgent)
	if code, body := h.get(c, "/"); code != http.StatusOK {
		t.Fatalf("inbox: %d %s", code, body)
	}
	if code, _ := h.get(h.client(), "/nope/nothing"); code != http.StatusNotFound {
		t.Fatalf("missing page: %d, want 404", code)
	}
	req, _ := http.NewRequest("POST", h.srv.URL+"/logout", strings.NewReader(url.Values{}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-origin POST: %d, want 403", res.StatusCode)
	}
	ev, err := c.Get(h.srv.URL + "/events")
	if err != nil {
		t.Fatal(err)
	}
	if ev.StatusCode != http.StatusOK || !strings.HasPrefix(ev.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("live updates: %d %q", ev.StatusCode, ev.Header.Get("Content-Type"))
	}
	ev.Body.Close()

	got, err := httpmetrics.Counts(h.reg, "earshot_web_request_seconds")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"GET /{$} 200", "POST /login 303", "unmatched 403"} {
		if got[want] == 0 {
			t.Errorf("no %q in %v", want, got)
		}
	}
	for k := range got {
		if strings.HasPrefix(k, "GET /events") {
			t.Errorf("the live stream was timed: %q", k)
		}
	}
	if len(got) == 0 || got["GET /{$} 200"] != 1 {
		t.Errorf("inbox timed %d times, want 1 (all: %v)", got["GET /{$} 200"], got)
	}
}
