package web

import (
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"strings"
	"time"

	"earshot/internal/input"
	"earshot/internal/model"
	"earshot/internal/report"
)

// reportWindow is one choice of the reports page's window.
type reportWindow struct{ Key, Label string }

// reportWindows are the windows the reports page offers; the first is
// the default.
var reportWindows = []reportWindow{
	{"7d", "Last 7 days"}, {"30d", "Last 30 days"}, {"this_week", "This week"}, {"last_week", "Last week"}, {"custom", "Custom dates"},
}

// maxCustomDays bounds a custom window.
const maxCustomDays = 366

// reportsForm is what the reports page was asked for: a window read in
// the organisation's time zone, filters as the inbox's, and the
// dimension the groups are split by.
type reportsForm struct {
	Window string
	// From and To are a custom window's first and last days
	// (YYYY-MM-DD), both included.
	From, To string
	Filter   report.Filter
	GroupBy  report.GroupBy
}

// parseReportsForm reads the page's query. A value outside its choices
// or text no case can hold is an *input.Problem naming it; a custom
// window is checked by window.
func parseReportsForm(q url.Values, intents []string) (reportsForm, error) {
	f := reportsForm{Window: q.Get("window"), From: q.Get("from"), To: q.Get("to"), Filter: report.Filter{
		Platform: q.Get("platform"), Channel: strings.TrimSpace(q.Get("channel")), Team: q.Get("team"), Site: q.Get("site"),
		Intent: q.Get("intent"), Agent: strings.TrimSpace(q.Get("agent")),
	}}
	if f.Window == "" {
		f.Window = reportWindows[0].Key
	}
	if !slices.ContainsFunc(reportWindows, func(w reportWindow) bool { return w.Key == f.Window }) {
		return f, &input.Problem{Field: "window", What: "has a value outside its choices"}
	}
	g := q.Get("group_by")
	if g == "" {
		g = string(report.GroupChannel)
	}
	var err error
	if f.GroupBy, err = report.ParseGroupBy(g); err != nil {
		return f, &input.Problem{Field: "group_by", What: "has a value outside its choices"}
	}
	if f.Filter.Platform != "" && !slices.Contains(model.Platforms, f.Filter.Platform) {
		return f, &input.Problem{Field: "platform", What: "has a value outside its choices"}
	}
	if f.Filter.Intent != "" && !slices.Contains(intents, f.Filter.Intent) {
		return f, &input.Problem{Field: "intent", What: "has a value outside its choices"}
	}
	for _, t := range []struct{ name, v string }{{"channel", f.Filter.Channel}, {"team", f.Filter.Team}, {"site", f.Filter.Site},
		{"agent", f.Filter.Agent}, {"from", f.From}, {"to", f.To}} {
		if err := input.Text(t.name, t.v, input.MaxFilterBytes); err != nil {
			return f, err
		}
	}
	return f, nil
}

// window is the form's window [from, to) in loc at now: whole days from
// midnight, weeks from Monday.
func (f reportsForm) window(now time.Time, loc *time.Location) (from, to time.Time, err error) {
	now = now.In(loc)
	y, m, d := now.Date()
	day := func(n int) time.Time { return time.Date(y, m, d+n, 0, 0, 0, 0, loc) }
	monday := -((int(now.Weekday()) + 6) % 7)
	switch f.Window {
	case "30d":
		return day(-29), day(1), nil
	case "this_week":
		return day(monday), day(monday + 7), nil
	case "last_week":
		return day(monday - 7), day(monday), nil
	case "custom":
		a, errA := time.ParseInLocation(time.DateOnly, f.From, loc)
		if errA != nil {
			return from, to, &input.Problem{Field: "from", What: "is not a date such as 2026-12-01"}
		}
		b, errB := time.ParseInLocation(time.DateOnly, f.To, loc)
		if errB != nil {
			return from, to, &input.Problem{Field: "to", What: "is not a date such as 2026-12-07"}
		}
		if b.Before(a) {
			return from, to, &input.Problem{Field: "to", What: "is before from"}
		}
		to = time.Date(b.Year(), b.Month(), b.Day()+1, 0, 0, 0, 0, loc)
		if to.After(time.Date(a.Year(), a.Month(), a.Day()+maxCustomDays, 0, 0, 0, 0, loc)) {
			return from, to, &input.Problem{Field: "to", What: fmt.Sprintf("is more than %d days after from", maxCustomDays)}
		}
		return a, to, nil
	}
	return day(-6), day(1), nil
}

// values is the form as query parameters, for links and the CSV.
func (f reportsForm) values() url.Values {
	v := url.Values{}
	for _, kv := range [][2]string{{"window", f.Window}, {"platform", f.Filter.Platform}, {"channel", f.Filter.Channel},
		{"team", f.Filter.Team}, {"site", f.Filter.Site}, {"intent", f.Filter.Intent}, {"agent", f.Filter.Agent},
		{"group_by", string(f.GroupBy)}} {
		if kv[1] != "" {
			v.Set(kv[0], kv[1])
		}
	}
	if f.Window == "custom" {
		v.Set("from", f.From)
		v.Set("to", f.To)
	}
	return v
}

// exportURL is the CSV of one chart of the page.
func (f reportsForm) exportURL(chartID string) template.URL {
	v := f.values()
	v.Set("chart", chartID)
	return template.URL("/reports/export.csv?" + v.Encode())
}

// seriesInterval is the width of a chart's columns for a window: hours
// up to two days, days up to 92, weeks beyond.
func seriesInterval(from, to time.Time) report.Interval {
	switch span := to.Sub(from); {
	case span <= 49*time.Hour:
		return report.Hour
	case span <= 93*24*time.Hour:
		return report.Day
	}
	return report.Week
}

// inboxLink is the inbox showing the cases behind a figure: the form's
// filters, then the pairs of kv (name, value, ...); a value "" leaves
// its name out.
func (f reportsForm) inboxLink(kv ...string) template.URL {
	v := url.Values{}
	for _, p := range [][2]string{{"platform", f.Filter.Platform}, {"channel", f.Filter.Channel}, {"team", f.Filter.Team},
		{"site", f.Filter.Site}, {"intent", f.Filter.Intent}, {"agent", f.Filter.Agent}} {
		if p[1] != "" {
			v.Set(p[0], p[1])
		}
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			v.Set(kv[i], kv[i+1])
		}
	}
	return template.URL("/?" + v.Encode())
}

// rfc3339 writes a window's edge for an inbox link, in the zone it was
// read in.
func rfc3339(t time.Time) string { return t.Format(time.RFC3339) }
