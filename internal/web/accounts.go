package web

import (
	"errors"
	"net/http"

	"earshot/internal/accounts"
	"earshot/internal/model"
	"earshot/internal/store"
)

// oneTime is a password or token secret shown once, right after it was
// made; it is never stored in the clear or put in a URL.
type oneTime struct {
	// What says whose it is: "Password for ann@example.org".
	What  string
	Value string
}

// accountsDone are the messages after an account change, by the done
// query parameter.
var accountsDone = map[string]string{
	"role":        "Role changed.",
	"deactivated": "Deactivated: their sessions have ended and they cannot sign in.",
	"reactivated": "Reactivated: they can sign in again.",
	"revoked":     "Token revoked: it is refused from its next request on.",
}

func (s *Server) accounts() *accounts.Manager {
	return &accounts.Manager{Store: s.cfg.Store, Now: s.cfg.Now}
}

// accountForm reads an account form, at most 64 KiB.
func (s *Server) accountForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "The form could not be read.")
		return false
	}
	return true
}

// renderAccounts shows the settings page after an account change that
// has something to show once (a password, a token's secret) or that was
// refused (err).
func (s *Server) renderAccounts(w http.ResponseWriter, r *http.Request, shown *oneTime, err error) {
	d, derr := s.settingsData(r)
	if derr != nil {
		s.internal(w, r, derr)
		return
	}
	d.OneTime = shown
	code := http.StatusOK
	var ie *accounts.InputError
	switch {
	case err == nil:
	case errors.As(err, &ie):
		code, d.AccountError = http.StatusBadRequest, ie.Msg
	case errors.Is(err, store.ErrLastAdmin):
		code, d.AccountError = http.StatusConflict, "The last active admin can be neither deactivated nor given another role: make another person an admin first."
	case errors.Is(err, store.ErrConflict):
		code, d.AccountError = http.StatusConflict, "That change conflicts with what is stored: "+err.Error()+"."
	case errors.Is(err, store.ErrNotFound):
		code, d.AccountError = http.StatusNotFound, "That person or token does not exist."
	default:
		s.internal(w, r, err)
		return
	}
	s.render(w, r, code, "settings", d)
}

// addUser adds a person and shows their one-time password once.
func (s *Server) addUser(w http.ResponseWriter, r *http.Request) {
	if !s.accountForm(w, r) {
		return
	}
	f := r.PostForm
	u, password, err := s.accounts().CreateUser(r.Context(), currentUser(r).User.Email,
		accounts.NewUser{Email: f.Get("email"), Name: f.Get("name"), Role: f.Get("role")})
	if err != nil {
		s.renderAccounts(w, r, nil, err)
		return
	}
	s.renderAccounts(w, r, &oneTime{What: "One-time password for " + u.Email, Value: password}, nil)
}

// userFromPath reads the {id} of a person.
func (s *Server) userFromPath(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, "No such person.")
		return 0, false
	}
	return id, s.accountForm(w, r)
}

// changeUser changes a person's role, or deactivates or reactivates them
// (form field active: 0 or 1).
func (s *Server) changeUser(w http.ResponseWriter, r *http.Request) {
	id, ok := s.userFromPath(w, r)
	if !ok {
		return
	}
	var c store.UserChange
	done := "role"
	if role := r.PostForm.Get("role"); role != "" {
		c.Role = &role
	}
	switch r.PostForm.Get("active") {
	case "1":
		c.Active, done = new(true), "reactivated"
	case "0":
		c.Active, done = new(false), "deactivated"
	}
	if c.Role == nil && c.Active == nil {
		s.renderAccounts(w, r, nil, &accounts.InputError{Field: "role", Msg: "Choose a role, or deactivate or reactivate the person."})
		return
	}
	if _, err := s.accounts().ChangeUser(r.Context(), currentUser(r).User.Email, id, c); err != nil {
		s.renderAccounts(w, r, nil, err)
		return
	}
	http.Redirect(w, r, "/settings?done="+done+"#people", http.StatusSeeOther)
}

// resetUserPassword gives a person a new one-time password, shown once,
// and ends their sessions.
func (s *Server) resetUserPassword(w http.ResponseWriter, r *http.Request) {
	id, ok := s.userFromPath(w, r)
	if !ok {
		return
	}
	password, err := s.accounts().ResetPassword(r.Context(), currentUser(r).User.Email, id, "")
	if err != nil {
		s.renderAccounts(w, r, nil, err)
		return
	}
	u, err := s.cfg.Store.UserByID(r.Context(), id)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	s.renderAccounts(w, r, &oneTime{What: "New one-time password for " + u.Email + " (their sessions have ended)", Value: password}, nil)
}

// addToken creates an API token and shows its secret once.
func (s *Server) addToken(w http.ResponseWriter, r *http.Request) {
	if !s.accountForm(w, r) {
		return
	}
	t, secret, err := s.accounts().CreateToken(r.Context(), currentUser(r).User.Email, r.PostForm.Get("name"), r.PostForm.Get("role"))
	if err != nil {
		s.renderAccounts(w, r, nil, err)
		return
	}
	s.renderAccounts(w, r, &oneTime{What: "API token " + accounts.TokenSubject(t), Value: secret}, nil)
}

// revokeToken revokes an API token.
func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, "No such token.")
		return
	}
	if err := s.accounts().RevokeToken(r.Context(), currentUser(r).User.Email, id); err != nil {
		s.renderAccounts(w, r, nil, err)
		return
	}
	http.Redirect(w, r, "/settings?done=revoked#tokens", http.StatusSeeOther)
}

// accountsView is what the people and tokens sections show.
type accountsView struct {
	Users      []model.User
	Tokens     []model.Token
	UserRoles  []string
	TokenRoles []string
	// OneTime is a password or secret to show once, or nil.
	OneTime      *oneTime
	AccountError string
	AccountDone  string
}
