package web

import "net/http"

// typing tells the case's other viewers that the user is writing a reply.
func (s *Server) typing(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		http.Error(w, "no such case", http.StatusNotFound)
		return
	}
	s.presence.typing(id, currentUser(r).User.Email, r.URL.Query().Get("stop") != "1")
	w.WriteHeader(http.StatusNoContent)
}
