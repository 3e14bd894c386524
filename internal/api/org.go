package api

import (
	"errors"
	"net/http"

	"earshot/internal/org"
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

// putOrg applies an organisation file sent as the body (YAML or JSON),
// as `earshot apply -f` does: validated whole first, then one
// transaction. A file with problems is refused with 422 and every
// problem's line, field and message.
func (a *API) putOrg(w http.ResponseWriter, r *http.Request) {
	src, ok := readBody(w, r, org.MaxFileBytes)
	if !ok {
		return
	}
	o, err := org.ParseWith(src, a.cfg.OrgOptions)
	var oe *org.Error
	if errors.As(err, &oe) {
		items := make([]orgProblem, len(oe.Problems))
		for i, p := range oe.Problems {
			items[i] = orgProblem{Field: p.Field, Line: p.Line, Message: p.Msg}
		}
		writeJSON(w, http.StatusUnprocessableEntity, map[string]apiError{"error": {Code: "invalid_org", Message: err.Error(), Items: items}})
		return
	}
	if err != nil {
		a.internal(w, r, err)
		return
	}
	res, err := a.cfg.Store.ApplyOrg(r.Context(), src, o, principal(r.Context()).Name, a.cfg.Now().UTC())
	if err != nil {
		a.internal(w, r, err)
		return
	}
	if res.Changed && a.cfg.OnOrgApplied != nil {
		a.cfg.OnOrgApplied(r.Context())
	}
	removed := res.Removed
	if removed == nil {
		removed = []string{}
	}
	// Channels whose secrets are not set here do nothing: a warning, not
	// a refusal (an extension of the contract's answer).
	warnings := []string{}
	if a.cfg.Channels != nil {
		warnings = append(warnings, a.cfg.Channels.Warnings(o)...)
	}
	writeJSON(w, http.StatusOK, map[string]any{"changed": res.Changed, "removed": removed, "warnings": warnings})
}
