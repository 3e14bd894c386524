package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"earshot/internal/store"
)

// saveView stores the current inbox filter under a name.
func (s *Server) saveView(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	if !s.parseForm(w, r, 8<<10) {
		return
	}
	name := strings.TrimSpace(r.PostForm.Get("name"))
	if name == "" || len(name) > 80 || !utf8.ValidString(name) {
		s.errorPage(w, r, http.StatusBadRequest, "A saved view needs a name of at most 80 characters.")
		return
	}
	q, err := url.ParseQuery(r.PostForm.Get("query"))
	if err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "That filter could not be read.")
		return
	}
	f, err := parseFilter(q, s.intents)
	if err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "That filter cannot be saved: "+err.Error()+".")
		return
	}
	v := &store.SavedView{UserID: u.User.ID, Name: name, Query: f.query(), CreatedAt: s.cfg.Now().UTC()}
	if err := s.cfg.Store.AddSavedView(r.Context(), v); err != nil {
		s.internal(w, r, err)
		return
	}
	http.Redirect(w, r, "/?"+v.Query, http.StatusSeeOther)
}

func (s *Server) deleteView(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "No such view.")
		return
	}
	if err := s.cfg.Store.DeleteSavedView(r.Context(), currentUser(r).User.ID, id); err != nil {
		s.internal(w, r, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
