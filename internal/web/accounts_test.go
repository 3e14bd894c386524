package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"earshot/internal/auth"
	"earshot/internal/model"
	"earshot/internal/store"
)

// oneTimeValue returns the password or secret a settings page shows once.
func oneTimeValue(t *testing.T, body string) string {
	t.Helper()
	m := regexp.MustCompile(`id="one-time-value" class="code" readonly value="([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the page shows no one-time value")
	}
	return m[1]
}

func TestSettingsPeopleAndTokensAreForAdmins(t *testing.T) {
	h := newHarness(t)
	sup := h.signIn("supervisor")
	if _, body := h.get(sup, "/settings"); strings.Contains(body, `id="people"`) || strings.Contains(body, `id="tokens"`) {
		t.Fatal("a supervisor sees the people or tokens sections")
	}
	for _, path := range []string{"/settings/users", "/settings/users/1", "/settings/users/1/reset-password", "/settings/tokens", "/settings/tokens/1/revoke"} {
		if code, _, _ := h.post(sup, path, url.Values{"email": {"x@example.org"}, "role": {"admin"}, "name": {"x"}, "active": {"0"}}); code != http.StatusForbidden {
			t.Errorf("supervisor posts %s: %d", path, code)
		}
	}
	if users, _ := h.st.ListUsers(context.Background()); len(users) != 4 {
		t.Fatalf("a supervisor's post changed the people: %d", len(users))
	}
}

func TestSettingsPeople(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	admin := h.signIn("admin")
	code, _, body := h.post(admin, "/settings/users", url.Values{"email": {"New@Example.org"}, "name": {"Nia"}, "role": {"agent"}})
	if code != http.StatusOK || !strings.Contains(body, "One-time password for new@example.org") {
		t.Fatalf("add: %d", code)
	}
	password := oneTimeValue(t, body)
	nia, err := h.st.UserByEmail(ctx, "new@example.org")
	if err != nil || !checkPassword(nia.PasswordHash, password) {
		t.Fatalf("the shown password does not sign in: %v", err)
	}
	if _, body := h.get(admin, "/settings"); strings.Contains(body, password) || !strings.Contains(body, "new@example.org") {
		t.Fatal("the password is shown again, or the new person is not listed")
	}

	agent := h.signIn("agent")
	ag, _ := h.st.UserByEmail(ctx, "agent@example.org")
	path := fmt.Sprintf("/settings/users/%d", ag.ID)
	if code, loc, _ := h.post(admin, path, url.Values{"active": {"0"}}); code != http.StatusSeeOther || loc != "/settings?done=deactivated#people" {
		t.Fatalf("deactivate: %d %q", code, loc)
	}
	if code, _ := h.get(agent, "/"); code != http.StatusSeeOther {
		t.Fatalf("a deactivated agent's open session still works: %d", code)
	}
	c := h.client()
	res, err := c.PostForm(h.srv.URL+"/login", url.Values{"email": {"agent@example.org"}, "password": {testPassword}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("a deactivated agent signs in: %d", res.StatusCode)
	}
	if _, body := h.get(admin, "/settings?done=deactivated"); !strings.Contains(body, "Deactivated: their sessions have ended") ||
		!regexp.MustCompile(`(?s)<tr id="user-\d+" data-email="agent@example.org">.*?deactivated`).MatchString(body) {
		t.Fatal("the list does not show the agent deactivated")
	}
	if code, loc, _ := h.post(admin, path, url.Values{"active": {"1"}}); code != http.StatusSeeOther || loc != "/settings?done=reactivated#people" {
		t.Fatalf("reactivate: %d %q", code, loc)
	}
	if code, _, _ := h.post(admin, path, url.Values{"role": {"supervisor"}}); code != http.StatusSeeOther {
		t.Fatalf("change role: %d", code)
	}
	if ag, _ = h.st.UserByID(ctx, ag.ID); ag.Role != model.RoleSupervisor || !ag.Active() {
		t.Fatalf("agent after reactivate and promote: %+v", ag)
	}
	agent = h.signIn("agent")
	code, _, body = h.post(admin, path+"/reset-password", nil)
	if code != http.StatusOK || !strings.Contains(body, "their sessions have ended") {
		t.Fatalf("reset: %d", code)
	}
	if ag, _ = h.st.UserByID(ctx, ag.ID); !checkPassword(ag.PasswordHash, oneTimeValue(t, body)) {
		t.Fatal("the reset password does not sign in")
	}
	if code, _ := h.get(agent, "/"); code != http.StatusSeeOther {
		t.Fatalf("a reset password left a session open: %d", code)
	}

	me, _ := h.st.UserByEmail(ctx, "admin@example.org")
	for _, tt := range []struct {
		path string
		form url.Values
		code int
		want string
	}{
		{fmt.Sprintf("/settings/users/%d", me.ID), url.Values{"active": {"0"}}, http.StatusConflict, "The last active admin"},
		{fmt.Sprintf("/settings/users/%d", me.ID), url.Values{"role": {"viewer"}}, http.StatusConflict, "The last active admin"},
		{path, url.Values{"role": {"integration"}}, http.StatusBadRequest, "role must be one of"},
		{path, url.Values{}, http.StatusBadRequest, "Choose a role"},
		{"/settings/users/999", url.Values{"active": {"0"}}, http.StatusNotFound, "does not exist"},
		{"/settings/users", url.Values{"email": {"nobody"}, "role": {"agent"}}, http.StatusBadRequest, "email must be an address"},
		{"/settings/users", url.Values{"email": {"new@example.org"}, "role": {"agent"}}, http.StatusConflict, "exists"},
	} {
		code, _, body := h.post(admin, tt.path, tt.form)
		if code != tt.code || !strings.Contains(body, tt.want) {
			t.Errorf("post %s %v: %d, want %d and %q", tt.path, tt.form, code, tt.code, tt.want)
		}
	}
	evs, err := h.st.AccountEvents(ctx, 20)
	if err != nil || len(evs) != 5 || evs[0].Actor != "admin@example.org" || evs[0].Action != store.AccountPasswordReset {
		t.Fatalf("account trail: %+v %v", evs, err)
	}
}

func TestSettingsTokens(t *testing.T) {
	h := newHarness(t)
	admin := h.signIn("admin")
	code, _, body := h.post(admin, "/settings/tokens", url.Values{"name": {"zapier"}, "role": {"agent"}})
	if code != http.StatusOK || !strings.Contains(body, "API token token 2 (zapier)") {
		t.Fatalf("create: %d", code)
	}
	secret := oneTimeValue(t, body)
	tok, err := h.st.TokenByHash(context.Background(), auth.HashToken(secret))
	if err != nil || tok.Role != model.RoleAgent {
		t.Fatalf("the shown secret is not the token: %+v %v", tok, err)
	}
	if _, body := h.get(admin, "/settings"); strings.Contains(body, secret) || !strings.Contains(body, `data-name="zapier"`) {
		t.Fatal("the secret is shown again, or the token is not listed")
	}
	revoke := fmt.Sprintf("/settings/tokens/%d/revoke", tok.ID)
	if code, loc, _ := h.post(admin, revoke, nil); code != http.StatusSeeOther || loc != "/settings?done=revoked#tokens" {
		t.Fatalf("revoke: %d %q", code, loc)
	}
	if _, err := h.st.TokenByHash(context.Background(), auth.HashToken(secret)); err == nil {
		t.Fatal("a revoked token is still accepted")
	}
	for _, tt := range []struct {
		path string
		form url.Values
		code int
		want string
	}{
		{revoke, nil, http.StatusConflict, "already revoked"},
		{"/settings/tokens/999/revoke", nil, http.StatusNotFound, "does not exist"},
		{"/settings/tokens", url.Values{"role": {"agent"}}, http.StatusBadRequest, "name is required"},
		{"/settings/tokens", url.Values{"name": {"x"}, "role": {"root"}}, http.StatusBadRequest, "role must be one of"},
	} {
		code, _, body := h.post(admin, tt.path, tt.form)
		if code != tt.code || !strings.Contains(body, tt.want) {
			t.Errorf("post %s %v: %d, want %d and %q", tt.path, tt.form, code, tt.code, tt.want)
		}
	}
}

func checkPassword(hash, password string) bool {
	ok, _ := auth.CheckPassword(hash, password)
	return ok
}
