package api

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"earshot/internal/report"
)

// maxFilterBytes bounds a report filter value, as case fields are.
const maxFilterBytes = 256

// readReportFilter reads the report filters of q (platform, channel,
// team, site, intent, agent). A value no case can hold (over 256 bytes,
// invalid UTF-8, a NUL) is answered 400 naming it, and ok is false.
func readReportFilter(w http.ResponseWriter, q url.Values) (report.Filter, bool) {
	var f report.Filter
	for _, p := range []struct {
		name string
		dst  *string
	}{{"platform", &f.Platform}, {"channel", &f.Channel}, {"team", &f.Team}, {"site", &f.Site}, {"intent", &f.Intent}, {"agent", &f.Agent}} {
		v := q.Get(p.name)
		if len(v) > maxFilterBytes || !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
			fieldError(w, "bad_"+p.name, p.name, p.name+" must be at most 256 bytes of UTF-8 without NUL")
			return report.Filter{}, false
		}
		*p.dst = v
	}
	return f, true
}

// getSeries serves one metric over time for charts:
// ?metric=&interval=hour|day|week&from=&to= and the report filters. The
// window defaults to the last seven days, the interval to day; points
// start at the organisation's midnights (Mondays for weeks).
func (a *API) getSeries(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	metric := q.Get("metric")
	if !slices.Contains(report.Metrics(), metric) {
		fieldError(w, "bad_metric", "metric", "metric must be one of "+strings.Join(report.Metrics(), ", "))
		return
	}
	interval := report.Day
	if v := q.Get("interval"); v != "" {
		iv, err := report.ParseInterval(v)
		if err != nil {
			fieldError(w, "bad_interval", "interval", "interval must be hour, day or week")
			return
		}
		interval = iv
	}
	to := a.cfg.Now().UTC()
	from := to.Add(-7 * 24 * time.Hour)
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"from", &from}, {"to", &to}} {
		if v := q.Get(p.name); v != "" {
			t, ok := parseWhen(v)
			if !ok {
				fieldError(w, "bad_"+p.name, p.name, p.name+" must be an RFC 3339 time or a YYYY-MM-DD date, in UTC within the years 0000 to 9999")
				return
			}
			*p.dst = t
		}
	}
	if !from.Before(to) {
		writeError(w, http.StatusBadRequest, "bad_window", "from must be before to")
		return
	}
	f, ok := readReportFilter(w, q)
	if !ok {
		return
	}
	s, err := a.cfg.Reports.Series(r.Context(), report.SeriesQuery{Metric: metric, Interval: interval, From: from, To: to,
		Filter: f, Location: a.cfg.Reports.Location()})
	if errors.Is(err, report.ErrTooManyPoints) {
		writeError(w, http.StatusBadRequest, "too_many_points", err.Error())
		return
	}
	if err != nil {
		a.storeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s)
}
