package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"time"

	"earshot/internal/auth"
	"earshot/internal/model"
	"earshot/internal/store"
)

// sessionCookie names the session cookie. Over HTTPS (direct TLS or a
// configured https public URL) it carries the __Host- prefix, which
// browsers accept only when Secure, from a secure origin, for the whole
// host.
const (
	sessionCookie       = "earshot_session"
	secureSessionCookie = "__Host-earshot_session"
)

// touchEvery limits how often a session's last-seen time is written.
const touchEvery = time.Minute

// sessionEnd is when a session created at created and last used at seen
// ends: once idle for SessionTTL, or SessionMaxAge after sign-in, however
// busy, whichever comes first.
func (s *Server) sessionEnd(created, seen time.Time) time.Time {
	idle, absolute := seen.Add(s.cfg.SessionTTL), created.Add(s.cfg.SessionMaxAge)
	if absolute.Before(idle) {
		return absolute
	}
	return idle
}

// signedIn is the user behind a request.
type signedIn struct {
	User *model.User
	hash []byte
}

type userKey struct{}

func currentUser(r *http.Request) *signedIn {
	u, _ := r.Context().Value(userKey{}).(*signedIn)
	return u
}

// secure reports whether the browser reached us over HTTPS: the request
// came over TLS, or Config.PublicURL says a proxy in front terminates it.
func (s *Server) secure(r *http.Request) bool { return s.https || r.TLS != nil }

func (s *Server) cookieName(r *http.Request) string {
	if s.secure(r) {
		return secureSessionCookie
	}
	return sessionCookie
}

// startSession creates a session for u and sets its cookie.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *model.User) error {
	var b [32]byte
	rand.Read(b[:])
	secret := base64.RawURLEncoding.EncodeToString(b[:])
	now := s.cfg.Now().UTC()
	if err := s.cfg.Store.CreateSession(r.Context(), store.Session{Hash: auth.HashToken(secret), UserID: u.ID,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: s.sessionEnd(now, now)}); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(r), Value: secret, Path: "/", HttpOnly: true, Secure: s.secure(r),
		SameSite: http.SameSiteLaxMode})
	return nil
}

func (s *Server) clearCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(r), Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.secure(r),
		SameSite: http.SameSiteLaxMode})
}

// session finds the signed-in user of r, or nil.
func (s *Server) session(ctx context.Context, r *http.Request) (*signedIn, error) {
	c, err := r.Cookie(s.cookieName(r))
	if err != nil || c.Value == "" || len(c.Value) > 100 {
		return nil, nil
	}
	hash := auth.HashToken(c.Value)
	now := s.cfg.Now().UTC()
	se, u, err := s.cfg.Store.SessionUser(ctx, hash, now)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	// Checked here as well as by the stored expiry, so that a shorter
	// SessionMaxAge applies at once to sessions made before it.
	if !now.Before(s.sessionEnd(se.CreatedAt, se.LastSeenAt)) {
		return nil, nil
	}
	if now.Sub(se.LastSeenAt) > touchEvery {
		if err := s.cfg.Store.TouchSession(ctx, hash, now, s.sessionEnd(se.CreatedAt, now)); err != nil {
			return nil, err
		}
	}
	return &signedIn{User: u, hash: hash}, nil
}

// user requires a signed-in user: pages redirect to sign-in, other
// requests get 401.
func (s *Server) user(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := s.session(r.Context(), r)
		if err != nil {
			s.internal(w, r, err)
			return
		}
		if u == nil {
			if r.Method == http.MethodGet && r.Header.Get("Accept") != "text/event-stream" {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			http.Error(w, "sign in first", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		h(w, r.WithContext(context.WithValue(r.Context(), userKey{}, u)))
	})
}

// can requires a signed-in user whose role may take action.
func (s *Server) can(action auth.Action, h http.HandlerFunc) http.Handler {
	return s.user(func(w http.ResponseWriter, r *http.Request) {
		if u := currentUser(r); !auth.Can(u.User.Role, action) {
			s.errorPage(w, r, http.StatusForbidden, "Your role ("+u.User.Role+") may not do this.")
			return
		}
		h(w, r)
	})
}
