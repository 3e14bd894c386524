package web

import (
	"net/http"

	"earshot/internal/store"
)

// handOff passes the case to a team, site or person; a context note is
// required so that the receiver does not have to ask the member again.
func (s *Server) handOff(w http.ResponseWriter, r *http.Request) {
	id, ok := s.caseForm(w, r)
	if !ok {
		return
	}
	team, ok1 := field(r, "team", 256)
	site, ok2 := field(r, "site", 256)
	assignee, ok3 := field(r, "assignee", 256)
	note, ok4 := field(r, "note", 20_000)
	if !ok1 || !ok2 || !ok3 || !ok4 {
		s.errorPage(w, r, http.StatusBadRequest, "A hand-off field is too long.")
		return
	}
	if note == "" {
		s.errorPage(w, r, http.StatusBadRequest, "A hand-off needs a context note: what happened, what was promised, what is next.")
		return
	}
	if team == "" && site == "" && assignee == "" {
		s.errorPage(w, r, http.StatusBadRequest, "Choose a team, a site or a person to hand off to.")
		return
	}
	var a store.Assignment
	if team != "" {
		a.Team = &team
	}
	if site != "" {
		a.Site = &site
	}
	if assignee != "" {
		if assignee == "-" {
			assignee = ""
		}
		a.Assignee = &assignee
	}
	u := currentUser(r)
	now := s.cfg.Now().UTC()
	if err := s.cases.HandOff(r.Context(), id, a, note, u.User.Email); err != nil {
		s.storeError(w, r, err)
		return
	}
	if err := s.notifyMentioned(r, id, note, now); err != nil {
		s.internal(w, r, err)
		return
	}
	s.publish(id)
	backToCase(w, r, id, "handoff", "timeline")
}
