package web

import (
	"net/url"
	"slices"
	"strings"
	"time"

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
	// The filters a report's figure links to (see reportFilters): when
	// a case opened or had a mention (RFC 3339 instants, [from, to)),
	// its first sentiment, whether we answered it ("yes", "no"), whether
	// it needs an answer or broke a deadline ("1"), its assignee by
	// email, and a topic (a tag).
	OpenedFrom, OpenedTo       string
	MentionedFrom, MentionedTo string
	FirstSentiment             string
	Answered                   string
	NeedsResponse              string
	Breached                   string
	Agent                      string
	Topic                      string
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
		OpenedFrom: q.Get("opened_from"), OpenedTo: q.Get("opened_to"), MentionedFrom: q.Get("mentioned_from"), MentionedTo: q.Get("mentioned_to"),
		FirstSentiment: q.Get("first_sentiment"), Answered: q.Get("answered"), NeedsResponse: q.Get("needs_response"),
		Breached: q.Get("breached"), Agent: strings.TrimSpace(q.Get("agent")), Topic: strings.TrimSpace(q.Get("topic")),
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
		{"first_sentiment", f.FirstSentiment, slices.Contains(sentiments, f.FirstSentiment)},
		{"answered", f.Answered, f.Answered == "yes" || f.Answered == "no"},
		{"needs_response", f.NeedsResponse, f.NeedsResponse == "1"},
		{"breached", f.Breached, f.Breached == "1"},
	} {
		if c.v != "" && !c.ok {
			return f, &input.Problem{Field: c.name, What: "has a value outside its choices"}
		}
	}
	// The cursor is the store's to judge (store.ErrBadCursor), so that a
	// damaged one keeps the filter.
	for _, t := range []struct{ name, v string }{{"channel", f.Channel}, {"team", f.Team}, {"site", f.Site}, {"q", f.Q},
		{"agent", f.Agent}, {"topic", f.Topic}} {
		if err := input.Text(t.name, t.v, input.MaxFilterBytes); err != nil {
			return f, err
		}
	}
	for _, t := range []struct{ name, v string }{{"opened_from", f.OpenedFrom}, {"opened_to", f.OpenedTo},
		{"mentioned_from", f.MentionedFrom}, {"mentioned_to", f.MentionedTo}} {
		if _, err := filterTime(t.v); err != nil {
			return f, &input.Problem{Field: t.name, What: "is not a time such as 2026-12-01T00:00:00-06:00"}
		}
	}
	return f, nil
}

// filterTime reads an RFC 3339 time of a filter; "" is the zero time.
func filterTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339, s)
}

// extraFilter is one of the filters a report links to, as the inbox
// names it and keeps it in its form.
type extraFilter struct {
	Name, Value, Label string
}

// Extras lists the report filters in force, in words, so that the inbox
// says what it shows and its form keeps them.
func (f filterForm) Extras() []extraFilter {
	var out []extraFilter
	add := func(name, v, label string) {
		if v != "" {
			out = append(out, extraFilter{Name: name, Value: v, Label: label})
		}
	}
	word := func(s string) string {
		t, err := filterTime(s)
		if err != nil || t.IsZero() {
			return s
		}
		return t.Format("2 Jan 2006 15:04 MST")
	}
	add("opened_from", f.OpenedFrom, "opened from "+word(f.OpenedFrom))
	add("opened_to", f.OpenedTo, "opened before "+word(f.OpenedTo))
	add("mentioned_from", f.MentionedFrom, "a mention from "+word(f.MentionedFrom))
	add("mentioned_to", f.MentionedTo, "a mention before "+word(f.MentionedTo))
	add("first_sentiment", f.FirstSentiment, "opened "+f.FirstSentiment)
	add("answered", f.Answered, map[string]string{"yes": "answered", "no": "not answered"}[f.Answered])
	add("needs_response", f.NeedsResponse, "needs a response")
	add("breached", f.Breached, "a deadline breached")
	add("agent", f.Agent, "assigned to "+f.Agent)
	add("topic", f.Topic, "topic "+f.Topic)
	return out
}

// storeFilter turns the form into a store filter for user email.
func (f filterForm) storeFilter(email string, limit int) store.CaseFilter {
	sf := store.CaseFilter{Platform: f.Platform, Channel: f.Channel, Team: f.Team, Site: f.Site, Status: f.Status,
		Sentiment: f.Sentiment, Intent: f.Intent, Q: f.Q, Cursor: f.Cursor, Limit: limit,
		SentimentFirst: f.FirstSentiment, Answered: f.Answered, NeedsResponse: f.NeedsResponse == "1", Breached: f.Breached == "1", Tag: f.Topic}
	// parseFilter has checked the times.
	sf.OpenedFrom, _ = filterTime(f.OpenedFrom)
	sf.OpenedTo, _ = filterTime(f.OpenedTo)
	sf.MentionFrom, _ = filterTime(f.MentionedFrom)
	sf.MentionTo, _ = filterTime(f.MentionedTo)
	switch f.Assignee {
	case "mine":
		sf.Assignee = email
	case "unassigned":
		sf.Unassigned = true
	default:
		sf.Assignee = f.Agent
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
	for _, e := range f.Extras() {
		v.Set(e.Name, e.Value)
	}
	return v.Encode()
}
