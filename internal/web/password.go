package web

import (
	"net/http"
	"strings"

	"earshot/internal/auth"
)

type passwordData struct {
	base
	Error string
	Done  bool
}

func (s *Server) passwordPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "password", &passwordData{base: s.base(r, currentUser(r), "Change password"), Done: r.URL.Query().Get("done") == "1"})
}

// changePassword checks the current password, sets the new one and signs
// out the user's other sessions.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	data := &passwordData{base: s.base(r, u, "Change password")}
	cur, next, again := r.PostForm.Get("current"), r.PostForm.Get("new"), r.PostForm.Get("confirm")
	// The current password is guarded like a sign-in: a stolen session
	// must not be a way to guess it quickly.
	v, err := s.verifyPassword(r, u.User.Email, u.User.PasswordHash, cur)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	defer v.Release()
	switch {
	case v.refused != "":
		data.Error = v.refused
		s.refuse(w, r, v, "password", data)
		return
	case !v.ok:
		data.Error = "Your current password is not right."
		s.render(w, r, http.StatusUnprocessableEntity, "password", data)
		return
	case next != again:
		data.Error = "The new password and its confirmation differ."
		s.render(w, r, http.StatusUnprocessableEntity, "password", data)
		return
	}
	hash, err := auth.HashPassword(next, u.User.Email)
	if err != nil {
		// The rule's reason, as a sentence: "The password is too common: …".
		msg := err.Error()
		data.Error = strings.ToUpper(msg[:1]) + msg[1:] + "."
		s.render(w, r, http.StatusUnprocessableEntity, "password", data)
		return
	}
	v.Release()
	if err := s.cfg.Store.SetPasswordHash(r.Context(), u.User.ID, hash); err != nil {
		s.internal(w, r, err)
		return
	}
	if err := s.cfg.Store.DeleteUserSessions(r.Context(), u.User.ID, u.hash); err != nil {
		s.internal(w, r, err)
		return
	}
	s.cfg.Logger.Info("password changed", "user_id", u.User.ID)
	http.Redirect(w, r, "/password?done=1", http.StatusSeeOther)
}
