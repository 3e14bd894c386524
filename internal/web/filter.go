package web

import (
	"net/url"
	"slices"
	"strings"

	"earshot/internal/input"
	"earshot/internal/model"
	"earshot/internal/store"
)

// filterForm is the inbox's filter as the user chose it.
type filterForm struct {
	Platform  string
	Channel   string
	Team      string
	Site      string
	Status    string
	Sentiment string
	Intent    string
	Assignee  string // "", "mine" or "unassigned"
	Q         string
	Cursor    string
}

var (
	statuses   = []string{string(model.StatusNew), string(model.StatusOpen), string(model.StatusPending), string(model.StatusResolved), string(model.StatusClosed)}
	sentiments = []string{model.SentimentNegative, model.SentimentNeutral, model.SentimentPositive}
)

// parseFilter reads the inbox filter from a query string. Unknown keys
// are ignored; a value outside its choices, or text no case can hold
// (see input.Text), is an error naming it (an *input.Problem).
func parseFilter(q url.Values, intents []string) (filterForm, error) {
	f := filterForm{
		Platform: q.Get("platform"), Channel: strings.TrimSpace(q.Get("channel")), Team: q.Get("team"), Site: q.Get("site"),
		Status: q.Get("status"), Sentiment: q.Get("sentiment"), Intent: q.Get("intent"), Assignee: q.Get("assignee"),
		Q: strings.TrimSpace(q.Get("q")), Cursor: q.Get("cursor"),
	}
	for _, c := range []struct {
		name, v string
		ok      bool
	}{
		{"platform", f.Platform, slices.Contains(model.Platforms, f.Platform)},
		{"status", f.Status, slices.Contains(statuses, f.Status)},
		{"sentiment", f.Sentiment, slices.Contains(sentiments, f.Sentiment)},
		{"intent", f.Intent, slices.Contains(intents, f.Intent)},
		{"assignee", f.Assignee, f.Assignee == "mine" || f.Assignee == "unassigned"},
	} {
		if c.v != "" && !c.ok {
			return f, &input.Problem{Field: c.name, What: "has a value outside its choices"}
		}
	}
	// The cursor is the store's to judge (store.ErrBadCursor), so that a
	// damaged one keeps the filter.
	for _, t := range []struct{ name, v string }{{"channel", f.Channel}, {"team", f.Team}, {"site", f.Site}, {"q", f.Q}} {
		if err := input.Text(t.name, t.v, input.MaxFilterBytes); err != nil {
			return f, err
		}
	}
	return f, nil
}

// storeFilter turns the form into a store filter for user email.
func (f filterForm) storeFilter(email string, limit int) store.CaseFilter {
	sf := store.CaseFilter{Platform: f.Platform, Channel: f.Channel, Team: f.Team, Site: f.Site, Status: f.Status,
		Sentiment: f.Sentiment, Intent: f.Intent, Q: f.Q, Cursor: f.Cursor, Limit: limit}
	switch f.Assignee {
	case "mine":
		sf.Assignee = email
	case "unassigned":
		sf.Unassigned = true
	}
	return sf
}

// query is the form as a query string (without the cursor), for links,
// saved views and live refreshes.
func (f filterForm) query() string {
	v := url.Values{}
	for _, kv := range [][2]string{{"platform", f.Platform}, {"channel", f.Channel}, {"team", f.Team}, {"site", f.Site},
		{"status", f.Status}, {"sentiment", f.Sentiment}, {"intent", f.Intent}, {"assignee", f.Assignee}, {"q", f.Q}} {
		if kv[1] != "" {
			v.Set(kv[0], kv[1])
		}
	}
	return v.Encode()
}
