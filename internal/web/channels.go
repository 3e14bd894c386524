package web

import (
	"errors"
	"net/http"
	"net/url"

	"earshot/internal/channels"
)

type channelsData struct {
	base
	Channels []channels.State
	// Done says what the last action did; Error what went wrong.
	Done  string
	Error string
}

// channelsPage shows each channel of the organisation file: its
// platform, state (healthy, failing and why, a missing secret, webhooks
// only), when it last heard, what it heard today, its next poll, the
// webhook URL to paste into the platform's console, and Poll now.
func (s *Server) channelsPage(w http.ResponseWriter, r *http.Request) {
	d := &channelsData{base: s.base(r, currentUser(r), "Channels")}
	if s.cfg.Channels != nil {
		states, err := s.cfg.Channels.States(r.Context(), s.publicBase(r))
		if err != nil {
			s.internal(w, r, err)
			return
		}
		d.Channels = states
	}
	// The page names only a channel it knows, never what the address says.
	q := r.URL.Query()
	for _, c := range d.Channels {
		if c.ID == q.Get("polling") {
			d.Done = "Polling " + c.ID + " now: the next sweep, within seconds, asks the platform."
		}
	}
	d.Error = pollErrors[q.Get("error")]
	s.render(w, r, http.StatusOK, "channels", d)
}

// pollErrors are the page's words for PollNow's refusals, by code.
var pollErrors = map[string]string{
	"unknown":    "There is no channel with that id in the organisation file.",
	"not-polled": "That channel does not poll: it is heard by webhooks, or it is not set up (see its state).",
}

// pollChannel is the Poll now button: the channel is polled on the next
// sweep of any replica.
func (s *Server) pollChannel(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	err := errors.New("no channels")
	if s.cfg.Channels != nil {
		err = s.cfg.Channels.PollNow(r.Context(), id)
	}
	switch {
	case err == nil:
		http.Redirect(w, r, "/settings/channels?polling="+url.QueryEscape(id), http.StatusSeeOther)
	case errors.Is(err, channels.ErrNotPolled):
		http.Redirect(w, r, "/settings/channels?error=not-polled", http.StatusSeeOther)
	case errors.Is(err, channels.ErrNoChannel) || s.cfg.Channels == nil:
		http.Redirect(w, r, "/settings/channels?error=unknown", http.StatusSeeOther)
	default:
		s.internal(w, r, err)
	}
}

// publicBase is the server's root as browsers reach it, for the webhook
// URLs to paste into the platforms' consoles.
func (s *Server) publicBase(r *http.Request) string {
	if s.cfg.PublicURL != "" {
		return s.cfg.PublicURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
