package web

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"earshot/internal/input"
)

// caseForm parses a small POST form on a case, answering the error
// itself; ok is false when the handler should stop.
func (s *Server) caseForm(w http.ResponseWriter, r *http.Request) (id int64, ok bool) {
	id, ok = pathID(r, "id")
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, "No such case.")
		return 0, false
	}
	if !s.parseForm(w, r, 64<<10) {
		return 0, false
	}
	return id, true
}

// parseForm reads a POST form of at most limit bytes whose every value
// passes input.Text (no NUL, valid UTF-8: no field can store others),
// answering the error itself; it returns false when the handler should
// stop. Each field's own bounds are the handler's.
func (s *Server) parseForm(w http.ResponseWriter, r *http.Request, limit int64) bool {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "The form could not be read.")
		return false
	}
	// In name order, so that the same form is refused in the same words.
	for _, name := range slices.Sorted(maps.Keys(r.PostForm)) {
		for _, v := range r.PostForm[name] {
			if err := input.Text(name, v, 0); err != nil {
				s.errorPage(w, r, http.StatusBadRequest, "The form cannot be used: "+err.Error()+". Go back and correct it.")
				return false
			}
		}
	}
	return true
}

// field returns a trimmed form value if it is within max bytes (the form
// passed input.Text in parseForm).
func field(r *http.Request, name string, max int) (string, bool) {
	v := strings.TrimSpace(r.PostForm.Get(name))
	return v, len(v) <= max
}

// backToCase redirects to the case with a flash message key.
func backToCase(w http.ResponseWriter, r *http.Request, id int64, done, anchor string) {
	http.Redirect(w, r, "/cases/"+strconv.FormatInt(id, 10)+"?done="+done+"#"+anchor, http.StatusSeeOther)
}
