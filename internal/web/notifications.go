package web

import (
	"net/http"

	"earshot/internal/events"
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
	if s.cfg.Broker != nil {
		// The user's other tabs clear their badge.
		s.cfg.Broker.Publish(events.Event{Type: events.Notified, UserID: u.User.ID})
	}
	s.render(w, r, http.StatusOK, "notifications", d)
}
