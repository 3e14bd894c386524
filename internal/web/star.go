package web

import "net/http"

// star puts a mention on the praise wall, or takes it off (off=1).
func (s *Server) star(w http.ResponseWriter, r *http.Request) {
	id, ok := s.caseForm(w, r)
	if !ok {
		return
	}
	mid, ok := pathID(r, "mention")
	if !ok || !s.mentionOfCase(w, r, id, mid) {
		return
	}
	if r.PostForm.Get("off") == "1" {
		if err := s.cfg.Store.UnstarMention(r.Context(), mid); err != nil {
			s.internal(w, r, err)
			return
		}
		backToCase(w, r, id, "unstar", "m"+r.PathValue("mention"))
		return
	}
	if err := s.cfg.Store.StarMention(r.Context(), mid, currentUser(r).User.Email, s.cfg.Now().UTC()); err != nil {
		s.storeError(w, r, err)
		return
	}
	backToCase(w, r, id, "starred", "m"+r.PathValue("mention"))
}

// mentionOfCase checks that mention mid belongs to case id, answering
// 404 when it does not.
func (s *Server) mentionOfCase(w http.ResponseWriter, r *http.Request, id, mid int64) bool {
	c, err := s.cfg.Store.GetCase(r.Context(), id)
	if err != nil {
		s.storeError(w, r, err)
		return false
	}
	for _, m := range c.Mentions {
		if m.ID == mid {
			return true
		}
	}
	s.errorPage(w, r, http.StatusNotFound, "No such mention on this case.")
	return false
}
