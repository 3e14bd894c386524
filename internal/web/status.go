package web

import (
	"errors"
	"net/http"

	"earshot/internal/cases"
	"earshot/internal/model"
)

// status changes the case's status (open, pending, resolved, closed).
func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	id, ok := s.caseForm(w, r)
	if !ok {
		return
	}
	st := model.Status(r.PostForm.Get("status"))
	err := s.cases.SetStatus(r.Context(), id, st, currentUser(r).User.Email)
	if errors.Is(err, cases.ErrBadStatus) {
		s.errorPage(w, r, http.StatusBadRequest, "Status must be open, pending, resolved or closed.")
		return
	}
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	s.publish(id)
	backToCase(w, r, id, "status", "top")
}
