package web

import (
	"net/http"

	"earshot/internal/store"
)

type praiseItem struct {
	store.Praise
	Text []segment
	Link string
}

type praiseData struct {
	base
	Items []praiseItem
}

// praiseWall shows the starred positive mentions, newest first, to share
// with staff.
func (s *Server) praiseWall(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	ps, err := s.cfg.Store.ListPraise(r.Context(), 100)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	canSee := canSeePHI(u.User.Role)
	d := &praiseData{base: s.base(r, u, "Praise wall")}
	for _, p := range ps {
		d.Items = append(d.Items, praiseItem{Praise: p, Text: s.textView(p.Text, nil, canSee), Link: safeLink(p.URL)})
	}
	s.render(w, r, http.StatusOK, "praise", d)
}
