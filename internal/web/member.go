package web

import (
	"context"
	"net/http"
	"time"
)

// linkMember links the case to a member record found by search.
func (s *Server) linkMember(w http.ResponseWriter, r *http.Request) {
	s.memberLink(w, r, s.cfg.Store.LinkMember, "linked")
}

// unlinkMember removes a link between the case and a member record.
func (s *Server) unlinkMember(w http.ResponseWriter, r *http.Request) {
	s.memberLink(w, r, s.cfg.Store.UnlinkMember, "unlinked")
}

// memberLink runs change (link or unlink) on the case and the member
// record named in the form, then returns to the case's members.
func (s *Server) memberLink(w http.ResponseWriter, r *http.Request,
	change func(ctx context.Context, caseID int64, member, actor string, at time.Time) error, done string) {
	id, ok := s.caseForm(w, r)
	if !ok {
		return
	}
	member, ok := field(r, "member", 100)
	if !ok || member == "" {
		s.errorPage(w, r, http.StatusBadRequest, "Choose a member record.")
		return
	}
	if err := change(r.Context(), id, member, currentUser(r).User.Email, s.cfg.Now().UTC()); err != nil {
		s.storeError(w, r, err)
		return
	}
	s.publish(id)
	backToCase(w, r, id, done, "members")
}
