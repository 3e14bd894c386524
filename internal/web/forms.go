package web

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// caseForm parses a small POST form on a case, answering the error
// itself; ok is false when the handler should stop.
func (s *Server) caseForm(w http.ResponseWriter, r *http.Request) (id int64, ok bool) {
	id, ok = pathID(r, "id")
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, "No such case.")
		return 0, false
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "The form could not be read.")
		return 0, false
	}
	return id, true
}

// field returns a trimmed form value if it is valid UTF-8 within max
// bytes.
func field(r *http.Request, name string, max int) (string, bool) {
	v := strings.TrimSpace(r.PostForm.Get(name))
	return v, len(v) <= max && utf8.ValidString(v)
}

// backToCase redirects to the case with a flash message key.
func backToCase(w http.ResponseWriter, r *http.Request, id int64, done, anchor string) {
	http.Redirect(w, r, "/cases/"+strconv.FormatInt(id, 10)+"?done="+done+"#"+anchor, http.StatusSeeOther)
}
