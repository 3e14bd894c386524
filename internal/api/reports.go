package api

import (
	"net/http"
	"time"

	"earshot/internal/model"
)

// parseWhen reads an RFC 3339 time or a YYYY-MM-DD date (midnight UTC),
// moved into model.TimeRange: an offset may put a time written in 9999
// into the year 10000 in UTC, which could be neither compared with
// stored times nor written back.
func parseWhen(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return model.ClampTime(t), true
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return model.ClampTime(t), true
	}
	return time.Time{}, false
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
				writeError(w, http.StatusBadRequest, "bad_"+p.name, p.name+" must be an RFC 3339 time or a YYYY-MM-DD date")
				return
			}
			*p.dst = t
		}
	}
	if !from.Before(to) {
		writeError(w, http.StatusBadRequest, "bad_window", "from must be before to")
		return
	}
	sum, err := a.cfg.Store.Summary(r.Context(), from, to)
	if err != nil {
		a.storeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sum)
}
