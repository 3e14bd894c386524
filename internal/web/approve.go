package web

import (
	"net/http"
	"strconv"
)

// approve lets a held reply go to the outbox; supervisors and admins only.
func (s *Server) approve(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	if !isSupervisor(u.User.Role) {
		s.errorPage(w, r, http.StatusForbidden, "Only a supervisor may approve replies.")
		return
	}
	id, ok := pathID(r, "id")
	replyID, ok2 := pathID(r, "reply")
	if !ok || !ok2 {
		s.errorPage(w, r, http.StatusNotFound, "No such reply.")
		return
	}
	if err := s.cfg.Store.ApproveReply(r.Context(), id, replyID, u.User.Email, s.cfg.Now().UTC()); err != nil {
		s.storeError(w, r, err)
		return
	}
	s.publish(id)
	http.Redirect(w, r, "/cases/"+strconv.FormatInt(id, 10)+"?done=approved#timeline", http.StatusSeeOther)
}
