package api

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"time"

	"earshot/internal/input"
	"earshot/internal/model"
	"earshot/internal/report"
)

// parseWhen reads an RFC 3339 time or a YYYY-MM-DD date (midnight UTC),
// within the years RFC 3339 can write in UTC, as the answer does (an
// offset may carry 9999-12-31T23:59:59-23:59 into the year 10000, which
// JSON cannot hold), and moved into model.TimeRange, so that it can be
// compared with stored times.
func parseWhen(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t, err = time.Parse(time.DateOnly, s)
	}
	if y := t.UTC().Year(); err != nil || y < 0 || y > 9999 {
		return time.Time{}, false
	}
	return model.ClampTime(t), true
}

// maxFilterBytes bounds a report filter's value: longer than any id.
const maxFilterBytes = 256

// summaryQuery reads group_by and the filters of a summary request; on a
// bad one it has answered 400 naming it and returns false.
func summaryQuery(w http.ResponseWriter, r *http.Request, q *report.Query) bool {
	v := r.URL.Query()
	gb, err := report.ParseGroupBy(v.Get("group_by"))
	if err != nil {
		fieldError(w, "bad_group_by", "group_by", err.Error())
		return false
	}
	q.GroupBy = gb
	if !reportFilter(w, v, &q.Filter) {
		return false
	}
	if f := v.Get("format"); f != "" && f != "json" && f != "csv" {
		fieldError(w, "bad_format", "format", "format must be json or csv")
		return false
	}
	return true
}

// reportFilter reads the report filters of v (platform, channel, team,
// site, intent, agent) into f; on a bad one it has answered 400 naming
// it and returns false.
func reportFilter(w http.ResponseWriter, v url.Values, rf *report.Filter) bool {
	for _, f := range []struct {
		name string
		dst  *string
	}{{"platform", &rf.Platform}, {"channel", &rf.Channel}, {"team", &rf.Team},
		{"site", &rf.Site}, {"intent", &rf.Intent}, {"agent", &rf.Agent}} {
		val := v.Get(f.name)
		if bad := input.Check(val, maxFilterBytes); bad != "" {
			fieldError(w, "bad_"+f.name, f.name, f.name+" "+bad)
			return false
		}
		if f.name == "platform" && val != "" && !slices.Contains(model.Platforms, val) {
			fieldError(w, "bad_platform", "platform", "platform must be one of x, facebook, instagram, yelp, google, rss, web, email, sms")
			return false
		}
		*f.dst = val
	}
	return true
}

// reportWindow reads from and to of a report request: the last seven
// days by default. On a bad one it has answered 400 naming it and
// returns false.
func (a *API) reportWindow(w http.ResponseWriter, q url.Values) (from, to time.Time, ok bool) {
	to = a.cfg.Now().UTC()
	from = to.Add(-7 * 24 * time.Hour)
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"from", &from}, {"to", &to}} {
		if v := q.Get(p.name); v != "" {
			t, ok := parseWhen(v)
			if !ok {
				fieldError(w, "bad_"+p.name, p.name, p.name+" must be an RFC 3339 time or a YYYY-MM-DD date, in UTC within the years 0000 to 9999")
				return from, to, false
			}
			*p.dst = t
		}
	}
	if !from.Before(to) {
		writeError(w, http.StatusBadRequest, "bad_window", "from must be before to")
		return from, to, false
	}
	return from, to, true
}

// getSummary serves the headline report; the window defaults to the last
// seven days.
func (a *API) getSummary(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from, to, ok := a.reportWindow(w, q)
	if !ok {
		return
	}
	rq := report.Query{From: from, To: to, Location: a.cfg.Reports.Location()}
	if !summaryQuery(w, r, &rq) {
		return
	}
	sum, err := a.cfg.Reports.Summary(r.Context(), rq)
	if errors.Is(err, report.ErrBadQuery) {
		writeError(w, http.StatusBadRequest, "bad_query", err.Error())
		return
	}
	if err != nil {
		a.storeError(w, r, err)
		return
	}
	if q.Get("format") == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="earshot-summary.csv"`)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Cache-Control", "no-store")
		if err := sum.WriteCSV(w); err != nil {
			a.cfg.Logger.ErrorContext(r.Context(), "write summary CSV", "err", err)
		}
		return
	}
	writeJSON(w, http.StatusOK, sum)
}
