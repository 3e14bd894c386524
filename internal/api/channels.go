package api

import (
	"errors"
	"net/http"

	"earshot/internal/channels"
)

// listChannels lists the organisation file's channels with what each is
// doing (state, last heard, items today, next poll, webhook URL); never
// a secret.
func (a *API) listChannels(w http.ResponseWriter, r *http.Request) {
	list := []channels.State{}
	if a.cfg.Channels != nil {
		states, err := a.cfg.Channels.States(r.Context(), a.publicBase(r))
		if err != nil {
			a.internal(w, r, err)
			return
		}
		list = append(list, states...)
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{"channels": list})
}

// pollChannel makes a polling channel due at once ("poll now"): 202, as
// the poll happens on the next sweep of any replica.
func (a *API) pollChannel(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	err := errNoChannels
	if a.cfg.Channels != nil {
		err = a.cfg.Channels.PollNow(r.Context(), id)
	}
	switch {
	case errors.Is(err, channels.ErrNoChannel), errors.Is(err, errNoChannels):
		writeError(w, http.StatusNotFound, "not_found", "no channel with this id")
	case errors.Is(err, channels.ErrNotPolled):
		writeError(w, http.StatusConflict, "not_polled", err.Error())
	case err != nil:
		a.internal(w, r, err)
	default:
		writeJSON(w, http.StatusAccepted, map[string]any{"id": id, "polling": true})
	}
}

var errNoChannels = errors.New("no channels")

// publicBase is the server's root for links it hands out: the public URL
// when set, else the request's own scheme and host.
func (a *API) publicBase(r *http.Request) string {
	if a.cfg.PublicURL != "" {
		return a.cfg.PublicURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
