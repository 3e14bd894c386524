package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"strings"
	"time"

	"earshot/internal/auth"
	"earshot/internal/store"
)

// Sign-in throttling: after slowFrom failures each attempt must wait
// twice as long as the last (from one second), and after lockAt failures
// the account is locked for lockFor.
const (
	slowFrom = 3
	lockAt   = 10
	lockFor  = 15 * time.Minute
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

// safeNext keeps only a local path to return to after sign-in.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || len(next) > 2000 {
		return "/"
	}
	return next
}

// waitFor is how long a sign-in for an email with f must wait from now.
func waitFor(f store.LoginFailures, now time.Time) time.Duration {
	if f.LockedUntil != nil && now.Before(*f.LockedUntil) {
		return f.LockedUntil.Sub(now)
	}
	if f.Failures < slowFrom || f.Failures >= lockAt {
		return 0
	}
	until := f.LastFailure.Add(time.Second << (f.Failures - slowFrom))
	if now.Before(until) {
		return until.Sub(now)
	}
	return 0
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
	if _, err := mail.ParseAddress(email); err != nil || len(email) > 254 || password == "" || len(password) > 1024 {
		data.Error = "Enter your email address and password."
		s.render(w, r, http.StatusBadRequest, "login", data)
		return
	}
	ctx := r.Context()
	now := s.cfg.Now().UTC()
	f, err := s.cfg.Store.GetLoginFailures(ctx, email)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if wait := waitFor(f, now); wait > 0 {
		data.Error = fmt.Sprintf("Too many failed sign-ins. Try again in %s.", wait.Round(time.Second))
		w.Header().Set("Retry-After", fmt.Sprint(int(wait.Seconds())+1))
		s.render(w, r, http.StatusTooManyRequests, "login", data)
		return
	}
	u, err := s.cfg.Store.UserByEmail(ctx, email)
	hash := dummyHash
	switch {
	case err == nil && u.PasswordHash != "":
		hash = u.PasswordHash
	case err != nil && !errors.Is(err, store.ErrNotFound):
		s.internal(w, r, err)
		return
	}
	ok, _ := auth.CheckPassword(hash, password)
	if !ok || u == nil || u.PasswordHash == "" {
		n, err := s.cfg.Store.RecordLoginFailure(ctx, email, now, func(n int) *time.Time {
			if n >= lockAt {
				t := now.Add(lockFor)
				return &t
			}
			return nil
		})
		if err != nil {
			s.internal(w, r, err)
			return
		}
		s.cfg.Logger.Warn("sign-in failed", "failures", n)
		data.Error = "That email and password do not match."
		if n >= lockAt {
			data.Error = "Too many failed sign-ins: this account is locked for 15 minutes."
		}
		s.render(w, r, http.StatusUnauthorized, "login", data)
		return
	}
	if err := s.cfg.Store.ClearLoginFailures(ctx, email); err != nil {
		s.internal(w, r, err)
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
