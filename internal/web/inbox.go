package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"earshot/internal/model"
	"earshot/internal/redact"
	"earshot/internal/store"
)

// inboxPageSize is how many cases one inbox page shows.
const inboxPageSize = 50

// badCursorText says that a page link's cursor is not one ListCases
// issued.
const badCursorText = "That page link is not one this server issued (its cursor is damaged)"

// viewCountCap bounds the counts shown beside views.
const viewCountCap = 1000

type inboxRow struct {
	model.Case
	Summary []redact.Span
	// Due names the case's nearest running deadline and how far off it
	// is ("next response due in 12m", "first response 3h overdue").
	Due     string
	Overdue bool
}

type viewLink struct {
	ID     int64
	Name   string
	Query  string
	Count  int
	More   bool
	Active bool
	// Unknown: counting took too long, so no count is shown.
	Unknown bool
}

type inboxData struct {
	base
	Filter     filterForm
	Query      string
	Rows       []inboxRow
	Next       string
	Views      []viewLink
	Saved      []viewLink
	Teams      []model.Team
	Sites      []model.Site
	Platforms  []string
	Statuses   []string
	Sentiments []string
	Intents    []string
	// Problem says why the filter or page asked for could not be shown
	// (the page then answers 400 with everything, or the first page).
	Problem string
	// SearchWindow is how many matching mentions a search takes at a
	// time, newest first.
	SearchWindow int
}

// builtInViews are the views every user has.
var builtInViews = []struct{ name, query string }{
	{"Everything", ""},
	{"New", "status=new"},
	{"Mine", "assignee=mine"},
	{"Unassigned", "assignee=unassigned"},
	{"Negative", "sentiment=negative"},
}

func (s *Server) inbox(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	ctx := r.Context()
	data := &inboxData{base: s.base(r, u, "Inbox"), Platforms: model.Platforms, Statuses: statuses, Sentiments: sentiments, Intents: s.intents}
	f, err := parseFilter(r.URL.Query(), s.intents)
	code := http.StatusOK
	if err != nil {
		data.Problem, f, code = "That filter cannot be used: "+err.Error()+"; showing everything.", filterForm{}, http.StatusBadRequest
	}
	data.Filter, data.Query, data.SearchWindow = f, f.query(), store.SearchWindow
	data.Rows, data.Next, err = s.inboxCases(r, f)
	if errors.Is(err, store.ErrBadCursor) {
		// A page link damaged on the way, or not ours: the first page,
		// as the API answers bad_cursor.
		data.Problem, f.Cursor, code = badCursorText+"; showing the first page.", "", http.StatusBadRequest
		data.Filter = f
		data.Rows, data.Next, err = s.inboxCases(r, f)
	}
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	if data.Teams, err = s.cfg.Store.ListTeams(ctx); err != nil {
		s.internal(w, r, err)
		return
	}
	if data.Sites, err = s.cfg.Store.ListSites(ctx); err != nil {
		s.internal(w, r, err)
		return
	}
	saved, err := s.cfg.Store.ListSavedViews(ctx, u.User.ID)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	budget, cancel := context.WithTimeout(ctx, countBudget)
	defer cancel()
	count := func(id int64, name, query string) (viewLink, error) {
		v := viewLink{ID: id, Name: name, Query: query, Active: query == data.Query}
		q, _ := url.ParseQuery(query)
		vf, err := parseFilter(q, s.intents)
		if err != nil {
			return v, nil
		}
		v.Count, err = s.viewCount(ctx, budget, vf.storeFilter(u.User.Email, 0))
		if errors.Is(err, errCountSkipped) {
			v.Unknown = true
			return v, nil
		}
		v.More = v.Count >= viewCountCap
		return v, err
	}
	for _, b := range builtInViews {
		v, err := count(0, b.name, b.query)
		if err != nil {
			s.internal(w, r, err)
			return
		}
		data.Views = append(data.Views, v)
	}
	for _, sv := range saved {
		v, err := count(sv.ID, sv.Name, sv.Query)
		if err != nil {
			s.internal(w, r, err)
			return
		}
		data.Saved = append(data.Saved, v)
	}
	s.render(w, r, code, "inbox", data)
}

// inboxRows serves only the queue's rows, for live refreshes.
func (s *Server) inboxRows(w http.ResponseWriter, r *http.Request) {
	f, err := parseFilter(r.URL.Query(), s.intents)
	if err != nil {
		http.Error(w, "That filter cannot be used: "+err.Error()+".", http.StatusBadRequest)
		return
	}
	rows, next, err := s.inboxCases(r, f)
	if errors.Is(err, store.ErrBadCursor) {
		http.Error(w, badCursorText+".", http.StatusBadRequest)
		return
	}
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	u := currentUser(r)
	data := &inboxData{base: base{User: u.User, CanPHI: s.reader(u).Full()}, Filter: f, Query: f.query(), Rows: rows, Next: next}
	s.renderTemplate(w, r, http.StatusOK, "inbox", "rows", data)
}

func (s *Server) inboxCases(r *http.Request, f filterForm) ([]inboxRow, string, error) {
	u := currentUser(r)
	cases, next, err := s.cfg.Store.ListCases(r.Context(), f.storeFilter(u.User.Email, inboxPageSize))
	if err != nil {
		return nil, "", err
	}
	now := s.cfg.Now()
	rd := s.reader(u)
	rows := make([]inboxRow, len(cases))
	for i, c := range cases {
		rows[i] = inboxRow{Case: c, Summary: rd.Summary(c.Summary)}
		rd.Case(&rows[i].Case)
		if v, ok := nextDeadline(&c, now); ok {
			rows[i].Due, rows[i].Overdue = v.Label+" "+v.Text, v.Overdue
		}
	}
	return rows, next, nil
}

// humanDuration says a deadline distance in words: "in 25m", "3h ago".
func humanDuration(d time.Duration) string {
	past := d < 0
	if past {
		d = -d
	}
	var v string
	switch {
	case d < time.Minute:
		v = "<1m"
	case d < time.Hour:
		v = itoa(int(d/time.Minute)) + "m"
	case d < 48*time.Hour:
		v = itoa(int(d/time.Hour)) + "h"
	default:
		v = itoa(int(d/(24*time.Hour))) + "d"
	}
	if past {
		return v + " overdue"
	}
	return "in " + v
}

func itoa(n int) string { return strconv.Itoa(n) }
