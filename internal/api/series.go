package api

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"earshot/internal/report"
)

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
	from, to, ok := a.reportWindow(w, q)
	if !ok {
		return
	}
	var f report.Filter
	if !reportFilter(w, q, &f) {
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
