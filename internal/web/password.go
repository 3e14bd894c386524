package web

import (
	"net/http"

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
	if ok, _ := auth.CheckPassword(u.User.PasswordHash, cur); !ok {
		data.Error = "Your current password is not right."
		s.render(w, r, http.StatusUnprocessableEntity, "password", data)
		return
	}
	if next != again {
		data.Error = "The new password and its confirmation differ."
		s.render(w, r, http.StatusUnprocessableEntity, "password", data)
		return
	}
	if len(next) > 1024 {
		data.Error = "The new password is too long."
		s.render(w, r, http.StatusUnprocessableEntity, "password", data)
		return
	}
	hash, err := auth.HashPassword(next)
	if err != nil {
		data.Error = "The new password must be at least 12 characters."
		s.render(w, r, http.StatusUnprocessableEntity, "password", data)
		return
	}
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
