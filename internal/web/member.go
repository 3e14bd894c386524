package web

import "net/http"

// linkMember links the case to a member record found by search.
func (s *Server) linkMember(w http.ResponseWriter, r *http.Request) {
	id, ok := s.caseForm(w, r)
	if !ok {
		return
	}
	member, ok := field(r, "member", 100)
	if !ok || member == "" {
		s.errorPage(w, r, http.StatusBadRequest, "Choose a member record.")
		return
	}
	if err := s.cfg.Store.LinkMember(r.Context(), id, member, currentUser(r).User.Email, s.cfg.Now().UTC()); err != nil {
		s.storeError(w, r, err)
		return
	}
	s.publish(id)
	backToCase(w, r, id, "linked", "members")
}

// unlinkMember removes a link between the case and a member record.
func (s *Server) unlinkMember(w http.ResponseWriter, r *http.Request) {
	id, ok := s.caseForm(w, r)
	if !ok {
		return
	}
	member, ok := field(r, "member", 100)
	if !ok || member == "" {
		s.errorPage(w, r, http.StatusBadRequest, "Choose a member record.")
		return
	}
	if err := s.cfg.Store.UnlinkMember(r.Context(), id, member, currentUser(r).User.Email, s.cfg.Now().UTC()); err != nil {
		s.storeError(w, r, err)
		return
	}
	s.publish(id)
	backToCase(w, r, id, "unlinked", "members")
}
