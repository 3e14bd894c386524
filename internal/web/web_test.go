package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"earshot/internal/model"
	"earshot/internal/store"
)

func TestSecurityHeadersAndSignIn(t *testing.T) {
	h := newHarness(t)
	c := h.client()
	res, err := c.Get(h.srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Fatalf("signed-out inbox: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	for k, want := range map[string]string{"Content-Security-Policy": "script-src 'self'", "X-Content-Type-Options": "nosniff",
		"Referrer-Policy": "same-origin"} {
		if !strings.Contains(res.Header.Get(k), want) {
			t.Errorf("%s = %q, want it to contain %q", k, res.Header.Get(k), want)
		}
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP = %q", csp)
	}
	code, _, body := h.post(c, "/login", url.Values{"email": {"agent@example.org"}, "password": {"wrong password!"}})
	if code != http.StatusUnauthorized || !strings.Contains(body, "do not match") {
		t.Fatalf("wrong password: %d", code)
	}
	res, err = c.PostForm(h.srv.URL+"/login", url.Values{"email": {"Agent@Example.org"}, "password": {testPassword}, "next": {"//evil.example/x"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("sign in: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	var cookie *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == sessionCookie {
			cookie = ck
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || len(cookie.Value) < 40 {
		t.Fatalf("session cookie = %+v", cookie)
	}
	if code, body := h.get(c, "/"); code != 200 || !strings.Contains(body, "agent@example.org") {
		t.Fatalf("inbox after sign-in: %d", code)
	}
	if code, _, _ := h.post(c, "/logout", nil); code != http.StatusSeeOther {
		t.Fatalf("sign out: %d", code)
	}
	// The old cookie no longer works even if replayed.
	replay := h.client()
	replay.Jar.SetCookies(mustURL(h.srv.URL), []*http.Cookie{{Name: sessionCookie, Value: cookie.Value}})
	if code, _ := h.get(replay, "/"); code != http.StatusSeeOther {
		t.Fatalf("replayed cookie after sign-out: %d", code)
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

func TestPasswordChange(t *testing.T) {
	h := newHarness(t)
	c := h.signIn("agent")
	other := h.signIn("agent")
	if code, _, _ := h.post(c, "/password", url.Values{"current": {"nope"}, "new": {"a new long password"}, "confirm": {"a new long password"}}); code != 422 {
		t.Fatalf("wrong current password: %d", code)
	}
	if code, _, _ := h.post(c, "/password", url.Values{"current": {testPassword}, "new": {"short"}, "confirm": {"short"}}); code != 422 {
		t.Fatalf("short password: %d", code)
	}
	if code, _, _ := h.post(c, "/password", url.Values{"current": {testPassword}, "new": {"a new long password"}, "confirm": {"a new long password"}}); code != 303 {
		t.Fatalf("change: %d", code)
	}
	if code, _ := h.get(c, "/"); code != 200 {
		t.Fatalf("this session after change: %d", code)
	}
	if code, _ := h.get(other, "/"); code != http.StatusSeeOther {
		t.Fatalf("other session after change: %d", code)
	}
	if code, _, _ := h.post(h.client(), "/login", url.Values{"email": {"agent@example.org"}, "password": {"a new long password"}}); code != 303 {
		t.Fatalf("sign in with the new password: %d", code)
	}
}

func TestCrossOriginPostRefused(t *testing.T) {
	h := newHarness(t)
	c := h.signIn("agent")
	id := h.mention("1", "gil", "My claim was denied again")
	for _, hdr := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Origin": "https://evil.example"},
	} {
		req, _ := http.NewRequest("POST", fmt.Sprintf("%s/cases/%d/note", h.srv.URL, id), strings.NewReader("text=pwned"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("cross-origin post with %v: %d", hdr, res.StatusCode)
		}
	}
	cs, _ := h.st.GetCase(context.Background(), id)
	if len(cs.Notes) != 0 {
		t.Fatal("a cross-origin note was stored")
	}
	// The same post from our own origin goes through.
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/cases/%d/note", h.srv.URL, id), strings.NewReader("text=fine"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("same-origin note: %d", res.StatusCode)
	}
}

func TestViewerReadsMaskedAndCannotWork(t *testing.T) {
	h := newHarness(t)
	id := h.mention("1", "gil", "My member ID is XJH123456789 and my claim was denied")
	v := h.signIn("viewer")
	code, body := h.get(v, fmt.Sprintf("/cases/%d", id))
	if code != 200 || strings.Contains(body, "XJH123456789") || !strings.Contains(body, `<span class="masked" title="Health information hidden">[member id]</span>`) {
		t.Fatalf("viewer case page: %d, leaks PHI or lacks the mask", code)
	}
	if strings.Contains(body, `id="reply-form"`) {
		t.Fatal("viewer sees the reply form")
	}
	if _, inbox := h.get(v, "/"); strings.Contains(inbox, "XJH123456789") {
		t.Fatal("viewer inbox leaks PHI")
	}
	for _, path := range []string{"/reply", "/note", "/status", "/tasks", "/handoff"} {
		code, _, _ := h.post(v, fmt.Sprintf("/cases/%d%s", id, path), url.Values{"text": {"Please DM us"}, "visibility": {"private"}, "status": {"resolved"},
			"title": {"x"}, "note": {"x"}, "team": {"claims"}})
		if code != http.StatusForbidden {
			t.Fatalf("viewer POST %s: %d", path, code)
		}
	}
	c, _ := h.st.GetCase(context.Background(), id)
	if len(c.Replies)+len(c.Notes)+len(c.Tasks) != 0 || c.Status == model.StatusResolved {
		t.Fatal("a viewer changed the case")
	}
	a := h.signIn("agent")
	if _, body := h.get(a, fmt.Sprintf("/cases/%d", id)); !strings.Contains(body, `<mark class="phi"`) || !strings.Contains(body, "XJH123456789") {
		t.Fatal("agent does not see PHI highlighted")
	}
}

func TestReplyGuardCollisionAndApproval(t *testing.T) {
	h := newHarness(t)
	id := h.mention("1", "gil", "I was charged twice, this is ridiculous")
	a := h.signIn("agent")
	path := fmt.Sprintf("/cases/%d/reply", id)
	code, _, body := h.post(a, path, url.Values{"text": {"Hi Gil, member ID XJH123456789 is fixed"}, "visibility": {"public"}, "seen": {"0"}})
	if code != 422 || !strings.Contains(body, `<mark class="phi"`) {
		t.Fatalf("public reply with PHI: %d", code)
	}
	code, _, body = h.post(a, path, url.Values{"text": {"Sorry about your visit, please DM us"}, "visibility": {"public"}, "seen": {"0"}})
	if code != 422 || !strings.Contains(body, "your visit") || !strings.Contains(body, `id="reason"`) {
		t.Fatalf("public reply confirming a visit: %d", code)
	}
	code, loc, _ := h.post(a, path, url.Values{"text": {"Sorry about your visit, please DM us"}, "visibility": {"public"}, "seen": {"0"}, "reason": {"they posted it themselves"}})
	if code != 303 || !strings.Contains(loc, "done=reply") {
		t.Fatalf("overridden reply: %d %q", code, loc)
	}
	// Another agent, who loaded the case before that reply, collides.
	s := h.signIn("supervisor")
	code, _, body = h.post(s, path, url.Values{"text": {"We're sorry. Please send us a DM."}, "visibility": {"private"}, "seen": {"0"}})
	if code != 409 || !strings.Contains(body, "replied while you were writing") || !strings.Contains(body, `name="confirm" value="1"`) {
		t.Fatalf("colliding reply: %d", code)
	}
	if code, _, _ := h.post(s, path, url.Values{"text": {"We're sorry. Please send us a DM."}, "visibility": {"private"}, "seen": {"0"}, "confirm": {"1"}}); code != 303 {
		t.Fatalf("confirmed reply: %d", code)
	}
	c, _ := h.st.GetCase(context.Background(), id)
	if len(c.Replies) != 2 || c.Replies[0].OverrideReason != "they posted it themselves" || c.Replies[1].State != model.ReplyQueued {
		t.Fatalf("replies = %+v", c.Replies)
	}
	if _, body := h.get(a, fmt.Sprintf("/cases/%d?done=reply", id)); !strings.Contains(body, "queued in outbox") || !strings.Contains(body, "Reply queued") {
		t.Fatal("case page does not say the reply is queued")
	}

	// Approval on: an overridden public reply waits for a supervisor.
	h.st.PutSetting(context.Background(), store.SettingApproval, "on")
	code, loc, _ = h.post(a, path, url.Values{"text": {"We hope your appointment went well"}, "visibility": {"public"}, "seen": {"2"}, "reason": {"praise thread"}})
	if code != 303 || !strings.Contains(loc, "done=held") {
		t.Fatalf("held reply: %d %q", code, loc)
	}
	c, _ = h.st.GetCase(context.Background(), id)
	held := c.Replies[2]
	if held.State != model.ReplyAwaitingApproval {
		t.Fatalf("reply state %q", held.State)
	}
	approve := fmt.Sprintf("/cases/%d/replies/%d/approve", id, held.ID)
	if code, _, _ := h.post(a, approve, nil); code != 403 {
		t.Fatalf("agent approves: %d", code)
	}
	if code, _, _ := h.post(s, approve, nil); code != 303 {
		t.Fatalf("supervisor approves: %d", code)
	}
	c, _ = h.st.GetCase(context.Background(), id)
	if c.Replies[2].State != model.ReplyQueued {
		t.Fatalf("approved reply state %q", c.Replies[2].State)
	}
}

func TestGuardEndpoint(t *testing.T) {
	h := newHarness(t)
	a := h.signIn("agent")
	for _, tc := range []struct {
		body, want string
		code       int
	}{
		{`{"text":"member ID XJH123456789","visibility":"public"}`, `"blocked":true`, 200},
		{`{"text":"about your stay","visibility":"public"}`, `"needs_reason":true`, 200},
		{`{"text":"member ID XJH123456789","visibility":"private"}`, `"blocked":false`, 200},
		{`{"text":"x","visibility":"loud"}`, "", 400},
		{`not json`, "", 400},
	} {
		req, _ := http.NewRequest("POST", h.srv.URL+"/guard", strings.NewReader(tc.body))
		req.Header.Set("Content-Type", "application/json")
		res, err := a.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b := make([]byte, 4096)
		n, _ := res.Body.Read(b)
		res.Body.Close()
		if res.StatusCode != tc.code || !strings.Contains(string(b[:n]), tc.want) {
			t.Errorf("guard %s: %d %s", tc.body, res.StatusCode, b[:n])
		}
	}
}

// TestCaseShowsLanguage checks that a post in another language says so
// and marks its text with the language for screen readers, and that an
// English post does not.
func TestCaseShowsLanguage(t *testing.T) {
	h := newHarness(t)
	es := h.mention("es1", "lupe", "Hola, necesito cambiar mi cita con el médico, ¿cómo lo hago? Gracias")
	en := h.mention("en1", "gil", "Hi, I need to change my appointment, how do I do that? Thanks")
	a := h.signIn("agent")
	if _, body := h.get(a, fmt.Sprintf("/cases/%d", es)); !strings.Contains(body, "written in Spanish") || !strings.Contains(body, `<p class="text" lang="es">`) {
		t.Fatal("Spanish post is not shown as Spanish")
	}
	if _, body := h.get(a, fmt.Sprintf("/cases/%d", en)); strings.Contains(body, "written in") || strings.Contains(body, `class="text" lang=`) {
		t.Fatal("English post is labelled with a language")
	}
}
