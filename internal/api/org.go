package api

import (
	"errors"
	"net/http"

	"earshot/internal/store"
)

// getOrg returns the organisation file as last applied: its source as
// written (YAML or JSON), or with ?format=json its canonical JSON.
func (a *API) getOrg(w http.ResponseWriter, r *http.Request) {
	f, err := a.cfg.Store.LoadOrg(r.Context())
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "not_found", "no organisation file is applied yet (earshot apply -f org.yaml)")
		return
	}
	if err != nil {
		a.internal(w, r, err)
		return
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Last-Modified", f.AppliedAt.Format(http.TimeFormat))
	if r.URL.Query().Get("format") == "json" {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(f.Org.Canonical())
		return
	}
	if f.Format == "json" {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	} else {
		w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	}
	w.Write(f.Source)
}

// deadJobs lists jobs that failed every attempt, newest first.
func (a *API) deadJobs(w http.ResponseWriter, r *http.Request) {
	jobs, err := a.cfg.Store.DeadJobs(r.Context(), 200)
	if err != nil {
		a.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"jobs": jobs})
}
