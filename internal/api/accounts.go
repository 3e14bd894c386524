package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"earshot/internal/accounts"
	"earshot/internal/model"
	"earshot/internal/store"
)

// userJSON is a person as the account endpoints show them.
type userJSON struct {
	ID            int64      `json:"id"`
	Email         string     `json:"email"`
	Name          string     `json:"name"`
	Role          string     `json:"role"`
	Active        bool       `json:"active"`
	CreatedAt     time.Time  `json:"created_at"`
	DeactivatedAt *time.Time `json:"deactivated_at"`
}

func userOut(u *model.User) userJSON {
	return userJSON{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, Active: u.Active(), CreatedAt: u.CreatedAt, DeactivatedAt: u.DeactivatedAt}
}

// tokenJSON is an API token as the account endpoints show it: never its
// secret or hash.
type tokenJSON struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Role       string     `json:"role"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

func tokenOut(t *model.Token) tokenJSON {
	return tokenJSON{ID: t.ID, Name: t.Name, Role: t.Role, CreatedAt: t.CreatedAt, LastUsedAt: t.LastUsedAt, RevokedAt: t.RevokedAt}
}

func (a *API) accounts() *accounts.Manager {
	return &accounts.Manager{Store: a.cfg.Store, Now: a.cfg.Now}
}

// accountError answers a refused account change: a wrong field is 400
// naming it, the last admin 409 last_admin, the rest as storeError.
func (a *API) accountError(w http.ResponseWriter, r *http.Request, err error) {
	var ie *accounts.InputError
	switch {
	case errors.As(err, &ie):
		code := "bad_field"
		if ie.Missing {
			code = "missing_field"
		}
		writeJSON(w, http.StatusBadRequest, map[string]apiError{"error": {Code: code, Field: ie.Field, Message: ie.Msg}})
	case errors.Is(err, store.ErrLastAdmin):
		writeError(w, http.StatusConflict, "last_admin", "the last active admin can be neither deactivated nor given another role; make another person an admin first")
	default:
		a.storeError(w, r, err)
	}
}

// pathID reads the positive id in the path segment {id}, naming what it
// is in the error.
func pathID(w http.ResponseWriter, r *http.Request, what string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		writeError(w, http.StatusBadRequest, "bad_id", what+" id must be a positive whole number")
		return 0, false
	}
	return id, true
}

func (a *API) listUsers(w http.ResponseWriter, r *http.Request) {
	us, err := a.cfg.Store.ListUsers(r.Context())
	if err != nil {
		a.internal(w, r, err)
		return
	}
	out := make([]userJSON, len(us))
	for i := range us {
		out[i] = userOut(&us[i])
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": out})
}

// postUser adds a person and returns their one-time password, once.
func (a *API) postUser(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Email string `json:"email"`
		Name  string `json:"name"`
		Role  string `json:"role"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	u, password, err := a.accounts().CreateUser(r.Context(), principal(r.Context()).Name, accounts.NewUser{Email: in.Email, Name: in.Name, Role: in.Role})
	if err != nil {
		a.accountError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"user": userOut(u), "password": password})
}

// patchUser changes a person's role or whether they are active.
func (a *API) patchUser(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "user")
	if !ok {
		return
	}
	var in struct {
		Role   *string `json:"role"`
		Active *bool   `json:"active"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	if in.Role == nil && in.Active == nil {
		writeError(w, http.StatusBadRequest, "missing_field", "give at least one of role, active")
		return
	}
	u, err := a.accounts().ChangeUser(r.Context(), principal(r.Context()).Name, id, store.UserChange{Role: in.Role, Active: in.Active})
	if err != nil {
		a.accountError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"user": userOut(u)})
}

// resetPassword gives a person a new one-time password, returned once,
// and ends their sessions. The body is empty or {}.
func (a *API) resetPassword(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "user")
	if !ok {
		return
	}
	if !decodeEmptyBody(w, r) {
		return
	}
	m := a.accounts()
	password, err := m.ResetPassword(r.Context(), principal(r.Context()).Name, id, "")
	if err != nil {
		a.accountError(w, r, err)
		return
	}
	u, err := a.cfg.Store.UserByID(r.Context(), id)
	if err != nil {
		a.storeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"user": userOut(u), "password": password})
}

func (a *API) listTokens(w http.ResponseWriter, r *http.Request) {
	ts, err := a.cfg.Store.ListTokens(r.Context())
	if err != nil {
		a.internal(w, r, err)
		return
	}
	out := make([]tokenJSON, len(ts))
	for i := range ts {
		out[i] = tokenOut(&ts[i])
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": out})
}

// postToken creates a token and returns its secret, once.
func (a *API) postToken(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name string `json:"name"`
		Role string `json:"role"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	t, secret, err := a.accounts().CreateToken(r.Context(), principal(r.Context()).Name, in.Name, in.Role)
	if err != nil {
		a.accountError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"token": tokenOut(t), "secret": secret})
}

// deleteToken revokes a token; it is refused from the next request on.
func (a *API) deleteToken(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "token")
	if !ok {
		return
	}
	if err := a.accounts().RevokeToken(r.Context(), principal(r.Context()).Name, id); err != nil {
		a.accountError(w, r, err)
		return
	}
	t, err := a.cfg.Store.TokenByID(r.Context(), id)
	if err != nil {
		a.storeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"token": tokenOut(t)})
}

// accountEventJSON is one entry of the account trail.
type accountEventJSON struct {
	ID        int64             `json:"id"`
	Actor     string            `json:"actor"`
	Action    string            `json:"action"`
	Subject   string            `json:"subject"`
	Data      map[string]string `json:"data"`
	CreatedAt time.Time         `json:"created_at"`
}

// maxAccountEvents bounds one page of the account trail.
const maxAccountEvents = 1000

// listAccountEvents returns the account trail, newest first (?limit=,
// default 100, at most 1000).
func (a *API) listAccountEvents(w http.ResponseWriter, r *http.Request) {
	limit := 100
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxAccountEvents {
			writeJSON(w, http.StatusBadRequest, map[string]apiError{"error": {Code: "bad_field", Field: "limit", Message: "limit must be a whole number from 1 to 1000"}})
			return
		}
		limit = n
	}
	evs, err := a.cfg.Store.AccountEvents(r.Context(), limit)
	if err != nil {
		a.internal(w, r, err)
		return
	}
	out := make([]accountEventJSON, len(evs))
	for i, e := range evs {
		if e.Data == nil {
			e.Data = map[string]string{}
		}
		out[i] = accountEventJSON{ID: e.ID, Actor: e.Actor, Action: e.Action, Subject: e.Subject, Data: e.Data, CreatedAt: e.CreatedAt}
	}
	writeJSON(w, http.StatusOK, map[string]any{"events": out})
}
