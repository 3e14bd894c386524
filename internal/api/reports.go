package api

import (
	"earshot/internal/report"
	"net/http"
	"time"

	"earshot/internal/model"
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

// getSummary serves the headline report; the window defaults to the last
// seven days.
func (a *API) getSummary(w http.ResponseWriter, r *http.Request) {
	to := a.cfg.Now().UTC()
	from := to.Add(-7 * 24 * time.Hour)
	q := r.URL.Query()
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
	sum, err := a.cfg.Reports.Summary(r.Context(), report.Query{From: from, To: to, Location: a.cfg.Reports.Location()})
	if err != nil {
		a.storeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sum)
}
