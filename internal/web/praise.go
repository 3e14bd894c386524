package web

import (
	"net/http"

	"earshot/internal/redact"
	"earshot/internal/store"
)

type praiseItem struct {
	store.Praise
	Text []redact.Span
	Link string
	// Suggested marks praise the reports page suggests (among the most
	// positive of its window) rather than one starred onto the wall.
	Suggested bool
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
	rd := s.reader(u)
	d := &praiseData{base: s.base(r, u, "Praise wall")}
	for _, p := range ps {
		item := praiseItem{Praise: p, Text: rd.Spans(p.Text, nil), Link: safeLink(p.URL)}
		item.Praise.Text, _ = rd.Text(p.Text, nil)
		d.Items = append(d.Items, item)
	}
	s.render(w, r, http.StatusOK, "praise", d)
}
