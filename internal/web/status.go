package web

import (
	"net/http"

	"earshot/internal/store"
)

// status changes the case's status (open, pending, resolved, closed).
func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	id, ok := s.caseForm(w, r)
	if !ok {
		return
	}
	st := r.PostForm.Get("status")
	if !store.ValidStatus(st) {
		s.errorPage(w, r, http.StatusBadRequest, "Status must be open, pending, resolved or closed.")
		return
	}
	if err := s.cfg.Store.SetStatus(r.Context(), id, st, currentUser(r).User.Email, s.cfg.Now().UTC()); err != nil {
		s.storeError(w, r, err)
		return
	}
	s.publish(id)
	backToCase(w, r, id, "status", "top")
}
