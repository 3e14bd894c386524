package web

import (
	"net/http"

	"earshot/internal/store"
)

type notificationsData struct {
	base
	Items []store.Notification
}

// notifications lists the user's notifications and marks them read.
func (s *Server) notifications(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	ns, err := s.cfg.Store.ListNotifications(r.Context(), u.User.ID, 100)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	d := &notificationsData{base: s.base(r, u, "Notifications"), Items: ns}
	if err := s.cfg.Store.MarkNotificationsRead(r.Context(), u.User.ID, s.cfg.Now().UTC()); err != nil {
		s.internal(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "notifications", d)
}
