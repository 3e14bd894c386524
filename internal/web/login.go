package web

import (
	"errors"
	"net/http"
	"net/mail"
	"net/url"
	"strings"
	"unicode/utf8"

	"earshot/internal/auth"
	"earshot/internal/store"
)

// dummyHash is checked when the email is unknown so that a wrong email
// takes as long as a wrong password.
const dummyHash = "$argon2id$v=19$m=65536,t=3,p=2$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

type loginData struct {
	base
	Email string
	Next  string
	Error string
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if u, _ := s.session(r.Context(), r); u != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "login", &loginData{base: s.base(r, nil, "Sign in"), Next: safeNext(r.URL.Query().Get("next"))})
}

// safeNext keeps only a path on this site to return to after sign-in.
// Browsers read a backslash as a slash and drop tabs and newlines from a
// URL, so a next of /\evil.example, or / tab /evil.example, would lead
// to another site: any control character or backslash sends the user
// home instead.
func safeNext(next string) string {
	if len(next) > 2000 || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || !utf8.ValidString(next) ||
		strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	email := strings.ToLower(strings.TrimSpace(r.PostForm.Get("email")))
	password := r.PostForm.Get("password")
	data := &loginData{base: s.base(r, nil, "Sign in"), Email: email, Next: safeNext(r.PostForm.Get("next"))}
	if _, err := mail.ParseAddress(email); err != nil || len(email) > 254 || password == "" || len(password) > auth.MaxPasswordBytes {
		data.Error = "Enter your email address and password."
		s.render(w, r, http.StatusBadRequest, "login", data)
		return
	}
	ctx := r.Context()
	u, err := s.cfg.Store.UserByEmail(ctx, email)
	hash := dummyHash
	switch {
	case err == nil && u.PasswordHash != "":
		hash = u.PasswordHash
	case err != nil && !errors.Is(err, store.ErrNotFound):
		s.internal(w, r, err)
		return
	}
	v, err := s.verifyPassword(r, email, hash, password)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	v.Release()
	if v.refused != "" {
		data.Error = v.refused
		s.refuse(w, r, v, "login", data)
		return
	}
	if !v.ok || u == nil || u.PasswordHash == "" {
		data.Error = "That email and password do not match."
		s.render(w, r, http.StatusUnauthorized, "login", data)
		return
	}
	// Said only after the right password, so it tells a guesser nothing.
	if !u.Active() {
		s.cfg.Logger.Warn("sign-in refused: account deactivated", "user_id", u.ID)
		data.Error = "This account has been deactivated. Ask an admin to reactivate it."
		s.render(w, r, http.StatusForbidden, "login", data)
		return
	}
	if err := s.startSession(w, r, u); err != nil {
		s.internal(w, r, err)
		return
	}
	s.cfg.Logger.Info("signed in", "user_id", u.ID)
	http.Redirect(w, r, data.Next, http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if err := s.cfg.Store.DeleteSession(r.Context(), currentUser(r).hash); err != nil {
		s.internal(w, r, err)
		return
	}
	s.clearCookie(w, r)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
