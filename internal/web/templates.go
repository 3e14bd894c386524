package web

import (
	"net/http"
	"strings"

	"earshot/internal/model"
	"earshot/internal/store"
)

// templates returns the organisation's reply templates with their
// variables filled for case c: {first_name}, {handle}, {dm_link},
// {phone}. Unknown variables stay as written for the agent to see.
func (s *Server) templates(r *http.Request, c *model.Case) ([]templateView, error) {
	ts, err := s.cfg.Store.ListTemplates(r.Context())
	if err != nil {
		return nil, err
	}
	dm, err := s.cfg.Store.Setting(r.Context(), store.SettingDMLink)
	if err != nil {
		return nil, err
	}
	phone, err := s.cfg.Store.Setting(r.Context(), store.SettingPhone)
	if err != nil {
		return nil, err
	}
	first := firstName(c.Author)
	rep := strings.NewReplacer("{first_name}", first, "{handle}", "@"+c.Author.Handle, "{dm_link}", dm, "{phone}", phone)
	out := make([]templateView, len(ts))
	for i, t := range ts {
		out[i] = templateView{ID: t.ID, Name: t.Name, Text: rep.Replace(t.Text)}
	}
	return out, nil
}

// firstName is the first word of the author's name, or "there" when the
// name is unknown (a handle is not a name to greet someone by).
func firstName(a model.Author) string {
	if f := strings.Fields(a.Name); len(f) > 0 {
		return f[0]
	}
	return "there"
}
