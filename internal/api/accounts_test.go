package api

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"earshot/internal/auth"
	"earshot/internal/model"
	"earshot/internal/store"
)

type userAnswer struct {
	User struct {
		ID            int64      `json:"id"`
		Email         string     `json:"email"`
		Role          string     `json:"role"`
		Active        bool       `json:"active"`
		DeactivatedAt *time.Time `json:"deactivated_at"`
	} `json:"user"`
	Password string `json:"password"`
}

func TestAccountEndpointsAreForAdmins(t *testing.T) {
	h := newHarness(t)
	for _, ep := range []struct{ method, path, body string }{
		{"GET", "/api/v1/users", ""}, {"POST", "/api/v1/users", `{"email":"a@example.org","role":"agent"}`},
		{"PATCH", "/api/v1/users/1", `{"role":"agent"}`}, {"POST", "/api/v1/users/1/reset-password", ""},
		{"GET", "/api/v1/tokens", ""}, {"POST", "/api/v1/tokens", `{"name":"x","role":"agent"}`},
		{"DELETE", "/api/v1/tokens/1", ""}, {"GET", "/api/v1/account-events", ""},
	} {
		for _, role := range []string{model.RoleSupervisor, model.RoleAgent, model.RoleViewer, model.RoleIntegration} {
			var e errBody
			if code := h.do(role, ep.method, ep.path, ep.body, &e); code != http.StatusForbidden || e.Error.Code != "forbidden" {
				t.Errorf("%s %s as %s: %d %+v", ep.method, ep.path, role, code, e)
			}
		}
	}
	if code := h.do(model.RoleAdmin, "GET", "/api/v1/tokens/1", "", nil); code != http.StatusMethodNotAllowed {
		t.Errorf("GET one token: %d, want 405", code)
	}
}

func TestUserLifecycleAPI(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	var created userAnswer
	if code := h.do(model.RoleAdmin, "POST", "/api/v1/users", `{"email":"Ann@Example.org","name":"Ann","role":"agent"}`, &created); code != http.StatusCreated ||
		created.User.Email != "ann@example.org" || !created.User.Active || len(created.Password) < 16 {
		t.Fatalf("create: %d %+v", code, created)
	}
	u, err := h.st.UserByEmail(ctx, "ann@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := auth.CheckPassword(u.PasswordHash, created.Password); !ok {
		t.Fatal("the one-time password does not match")
	}
	var list struct {
		Users []map[string]any `json:"users"`
	}
	if code := h.do(model.RoleAdmin, "GET", "/api/v1/users", "", &list); code != 200 || len(list.Users) != 1 || list.Users[0]["email"] != "ann@example.org" || list.Users[0]["active"] != true {
		t.Fatalf("list: %d %+v", code, list)
	}
	if _, ok := list.Users[0]["password_hash"]; ok {
		t.Fatal("the list shows a password hash")
	}

	c := h.ingest(mentionJSON("1", "gil", "My claim was denied", 0))[0].CaseID
	assign := fmt.Sprintf("/api/v1/cases/%d/assign", c)
	if code := h.do(model.RoleAgent, "POST", assign, `{"assignee":"ann@example.org"}`, nil); code != 200 {
		t.Fatalf("assign to an active agent: %d", code)
	}
	se := store.Session{Hash: []byte("ann"), UserID: u.ID, CreatedAt: time.Now(), LastSeenAt: time.Now(), ExpiresAt: time.Now().Add(time.Hour)}
	if err := h.st.CreateSession(ctx, se); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/api/v1/users/%d", u.ID)
	var changed userAnswer
	if code := h.do(model.RoleAdmin, "PATCH", path, `{"active":false}`, &changed); code != 200 || changed.User.Active || changed.User.DeactivatedAt == nil {
		t.Fatalf("deactivate: %d %+v", code, changed)
	}
	if _, _, err := h.st.SessionUser(ctx, se.Hash, time.Now()); err == nil {
		t.Fatal("a deactivated person's session still works")
	}
	for _, tt := range []struct{ path, body string }{
		{assign, `{"assignee":"ann@example.org"}`},
		{fmt.Sprintf("/api/v1/cases/%d/tasks", c), `{"title":"Call back","assignee":"ann@example.org"}`},
	} {
		var e errBody
		if code := h.do(model.RoleAgent, "POST", tt.path, tt.body, &e); code != 400 || e.Error.Field != "assignee" || !strings.Contains(e.Error.Message, "deactivated") {
			t.Fatalf("%s to a deactivated person: %d %+v", tt.path, code, e)
		}
	}
	var cs struct {
		Assignee string `json:"assignee"`
		Events   []struct {
			Type string `json:"type"`
		} `json:"events"`
	}
	if code := h.do(model.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d", c), "", &cs); code != 200 || cs.Assignee != "ann@example.org" {
		t.Fatalf("the case forgot its deactivated assignee: %d %+v", code, cs)
	}

	if code := h.do(model.RoleAdmin, "PATCH", path, `{"active":true,"role":"supervisor"}`, &changed); code != 200 || !changed.User.Active || changed.User.Role != "supervisor" {
		t.Fatalf("reactivate and promote: %d %+v", code, changed)
	}
	var reset userAnswer
	if code := h.do(model.RoleAdmin, "POST", path+"/reset-password", "", &reset); code != 200 || len(reset.Password) < 16 || reset.Password == created.Password {
		t.Fatalf("reset: %d %+v", code, reset)
	}
	if u, _ = h.st.UserByID(ctx, u.ID); !checkPassword(u.PasswordHash, reset.Password) {
		t.Fatal("the reset password does not match")
	}

	boss := model.User{Email: "boss@example.org", Role: model.RoleAdmin}
	h.org(boss)
	b, _ := h.st.UserByEmail(ctx, boss.Email)
	bossPath := fmt.Sprintf("/api/v1/users/%d", b.ID)
	for _, tt := range []struct {
		method, path, body string
		code               int
		errCode, field     string
	}{
		{"PATCH", bossPath, `{"active":false}`, 409, "last_admin", ""},
		{"PATCH", bossPath, `{"role":"agent"}`, 409, "last_admin", ""},
		{"PATCH", path, `{"role":"integration"}`, 400, "bad_field", "role"},
		{"PATCH", path, `{"role":"king"}`, 400, "bad_field", "role"},
		{"PATCH", path, `{"active":"no"}`, 400, "bad_json", "active"},
		{"PATCH", path, `{"Active":false}`, 400, "bad_json", "Active"},
		{"PATCH", path, `{}`, 400, "missing_field", ""},
		{"PATCH", "/api/v1/users/999", `{"active":false}`, 404, "not_found", ""},
		{"PATCH", "/api/v1/users/x", `{"active":false}`, 400, "bad_id", ""},
		{"POST", "/api/v1/users", `{"email":"ann@example.org","role":"agent"}`, 409, "conflict", ""},
		{"POST", "/api/v1/users", `{"email":"nobody","role":"agent"}`, 400, "bad_field", "email"},
		{"POST", "/api/v1/users", `{"role":"agent"}`, 400, "missing_field", "email"},
		{"POST", "/api/v1/users", `{"email":"x@example.org"}`, 400, "missing_field", "role"},
		{"POST", "/api/v1/users", `{"email":"x@example.org","role":"agent","password":"hunter2hunter2"}`, 400, "bad_json", "password"},
		{"POST", path + "/reset-password", `{"password":"x"}`, 400, "bad_json", "password"},
		{"POST", "/api/v1/users/999/reset-password", ``, 404, "not_found", ""},
	} {
		var e errBody
		if code := h.do(model.RoleAdmin, tt.method, tt.path, tt.body, &e); code != tt.code || e.Error.Code != tt.errCode || e.Error.Field != tt.field || e.Error.Message == "" {
			t.Errorf("%s %s %s: %d %+v, want %d %s field %q", tt.method, tt.path, tt.body, code, e, tt.code, tt.errCode, tt.field)
		}
	}
	if b, _ = h.st.UserByID(ctx, b.ID); b.Role != model.RoleAdmin || !b.Active() {
		t.Fatalf("the last admin was changed: %+v", b)
	}
	evs, err := h.st.AccountEvents(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range evs {
		if e.Actor != "token:admin-test" {
			t.Fatalf("account event by %q", e.Actor)
		}
		got = append(got, e.Action+" "+e.Subject)
	}
	want := "password_reset ann@example.org,user_reactivated ann@example.org,role_changed ann@example.org,user_deactivated ann@example.org,user_created ann@example.org"
	if strings.Join(got, ",") != want {
		t.Fatalf("account trail %q, want %q", got, want)
	}
}

func TestTokenLifecycleAPI(t *testing.T) {
	h := newHarness(t)
	var created struct {
		Token  map[string]any `json:"token"`
		Secret string         `json:"secret"`
	}
	if code := h.do(model.RoleAdmin, "POST", "/api/v1/tokens", `{"name":"zapier","role":"agent"}`, &created); code != 201 ||
		!strings.HasPrefix(created.Secret, "es_") || created.Token["name"] != "zapier" || created.Token["last_used_at"] != nil {
		t.Fatalf("create: %d %+v", code, created)
	}
	id := int64(created.Token["id"].(float64))
	// A second API over the same store stands for another replica.
	replica := httptest.NewServer(New(Config{Store: h.st}))
	t.Cleanup(replica.Close)
	call := func(base string) int {
		req, _ := http.NewRequest("GET", base+"/api/v1/cases", nil)
		req.Header.Set("Authorization", "Bearer "+created.Secret)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	for _, base := range []string{h.srv.URL, replica.URL} {
		if code := call(base); code != 200 {
			t.Fatalf("the new token is refused: %d", code)
		}
	}
	var list struct {
		Tokens []map[string]any `json:"tokens"`
	}
	if code := h.do(model.RoleAdmin, "GET", "/api/v1/tokens", "", &list); code != 200 || len(list.Tokens) != 6 {
		t.Fatalf("list: %d %+v", code, list)
	}
	last := list.Tokens[5]
	if last["name"] != "zapier" || last["last_used_at"] == nil || last["revoked_at"] != nil {
		t.Fatalf("the list does not show the token's last use: %+v", last)
	}
	for _, tk := range list.Tokens {
		if _, ok := tk["hash"]; ok || strings.Contains(fmt.Sprint(tk), created.Secret) {
			t.Fatal("the list shows a secret or a hash")
		}
	}

	var revoked struct {
		Token map[string]any `json:"token"`
	}
	if code := h.do(model.RoleAdmin, "DELETE", fmt.Sprintf("/api/v1/tokens/%d", id), "", &revoked); code != 200 || revoked.Token["revoked_at"] == nil {
		t.Fatalf("revoke: %d %+v", code, revoked)
	}
	for _, base := range []string{h.srv.URL, replica.URL} {
		if code := call(base); code != http.StatusUnauthorized {
			t.Fatalf("a revoked token gets %d", code)
		}
	}
	for _, tt := range []struct {
		method, path, body string
		code               int
		errCode, field     string
	}{
		{"DELETE", fmt.Sprintf("/api/v1/tokens/%d", id), "", 409, "conflict", ""},
		{"DELETE", "/api/v1/tokens/999", "", 404, "not_found", ""},
		{"DELETE", "/api/v1/tokens/0", "", 400, "bad_id", ""},
		{"POST", "/api/v1/tokens", `{"role":"agent"}`, 400, "missing_field", "name"},
		{"POST", "/api/v1/tokens", `{"name":"x","role":"root"}`, 400, "bad_field", "role"},
		{"POST", "/api/v1/tokens", `{"name":"x","role":"agent","name":"y"}`, 400, "bad_json", "name"},
		{"POST", "/api/v1/tokens", `{"name":"x","role":"agent","scope":"all"}`, 400, "bad_json", "scope"},
	} {
		var e errBody
		if code := h.do(model.RoleAdmin, tt.method, tt.path, tt.body, &e); code != tt.code || e.Error.Code != tt.errCode || e.Error.Field != tt.field || e.Error.Message == "" {
			t.Errorf("%s %s %s: %d %+v, want %d %s field %q", tt.method, tt.path, tt.body, code, e, tt.code, tt.errCode, tt.field)
		}
	}
	var trail struct {
		Events []struct {
			Actor, Action, Subject string
		} `json:"events"`
	}
	if code := h.do(model.RoleAdmin, "GET", "/api/v1/account-events?limit=2", "", &trail); code != 200 || len(trail.Events) != 2 ||
		trail.Events[0].Action != store.AccountTokenRevoked || trail.Events[1].Action != store.AccountTokenCreated ||
		trail.Events[0].Subject != fmt.Sprintf("token %d (zapier)", id) || trail.Events[0].Actor != "token:admin-test" {
		t.Fatalf("account trail: %d %+v", code, trail)
	}
	if code := h.do(model.RoleAdmin, "GET", "/api/v1/account-events?limit=0", "", nil); code != 400 {
		t.Fatalf("limit=0: %d", code)
	}
}

func checkPassword(hash, password string) bool {
	ok, _ := auth.CheckPassword(hash, password)
	return ok
}
