package channels

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"earshot/internal/model"
)

// MaxWebhookBytes bounds a webhook delivery's body.
const MaxWebhookBytes = 1 << 20

// WebhookPath is where an endpoint's platform delivers: /webhooks/x,
// /webhooks/meta.
func WebhookPath(endpoint string) string { return "/webhooks/" + endpoint }

// Webhooks is the handler of /webhooks/{endpoint}. Mount it outside
// sign-in and CSRF protection: each delivery is verified by the
// platform's signature instead. GET answers the platform's check of the
// endpoint; POST takes a signed delivery. An endpoint with no channel
// set up is 404; a bad or missing signature is 401 and stores nothing.
func (h *Hearing) Webhooks() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /webhooks/{endpoint}", h.challenge)
	mux.HandleFunc("POST /webhooks/{endpoint}", h.deliver)
	mux.HandleFunc("/webhooks/", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no such webhook endpoint", http.StatusNotFound)
	})
	return mux
}

func (h *Hearing) challenge(w http.ResponseWriter, r *http.Request) {
	endpoint := r.PathValue("endpoint")
	hook := h.current().hooks[endpoint]
	if hook == nil {
		http.Error(w, "no channel here takes webhooks at this endpoint", http.StatusNotFound)
		return
	}
	ctype, body, err := hook.Challenge(r.URL.Query())
	if err != nil {
		h.opts.Logger.Warn("webhook check refused", "endpoint", endpoint)
		http.Error(w, "the check failed", http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(body)
}

func (h *Hearing) deliver(w http.ResponseWriter, r *http.Request) {
	endpoint := r.PathValue("endpoint")
	b := h.current()
	hook := b.hooks[endpoint]
	if hook == nil {
		http.Error(w, "no channel here takes webhooks at this endpoint", http.StatusNotFound)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxWebhookBytes))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		http.Error(w, "the delivery is too large", http.StatusRequestEntityTooLarge)
		return
	case err != nil:
		http.Error(w, "the delivery could not be read", http.StatusBadRequest)
		return
	}
	if err := hook.Verify(r.Header, body); err != nil {
		h.opts.Logger.Warn("webhook signature refused", "endpoint", endpoint)
		http.Error(w, "the signature does not match", http.StatusUnauthorized)
		return
	}
	ms, err := hook.Parse(body)
	if err != nil {
		if !json.Valid(body) {
			http.Error(w, "the delivery is not JSON", http.StatusBadRequest)
			return
		}
		// Signed, JSON, but not the platform's shape: say so without its
		// text, and acknowledge it, or the platform retries forever.
		h.metrics.unparsed.WithLabelValues(endpoint).Inc()
		h.opts.Logger.Warn("webhook delivery not in the platform's shape", "endpoint", endpoint, "bytes", len(body))
		w.WriteHeader(http.StatusOK)
		return
	}
	// Only the channels of this endpoint that are set up here hear.
	byChannel := map[string][]model.Mention{}
	var order []string
	for _, m := range ms {
		c := b.chans[m.Channel]
		if c == nil || len(c.missing) > 0 || Endpoint(c.def.Platform) != endpoint {
			h.opts.Logger.Warn("webhook event for no channel of this endpoint", "endpoint", endpoint, "channel", m.Channel)
			continue
		}
		if m.Platform == "" {
			m.Platform = c.def.Platform
		}
		if byChannel[m.Channel] == nil {
			order = append(order, m.Channel)
		}
		byChannel[m.Channel] = append(byChannel[m.Channel], m)
	}
	now := h.opts.Now()
	for _, id := range order {
		heard, err := h.ingest(r.Context(), id, byChannel[id])
		if err != nil {
			// The platform delivers again; what was stored is deduplicated.
			h.opts.Logger.Error("store webhook delivery", "endpoint", endpoint, "channel", id, "err", err)
			http.Error(w, "the delivery could not be stored; try again", http.StatusServiceUnavailable)
			return
		}
		if err := h.opts.Store.RecordChannelHeard(r.Context(), id, heard, now); err != nil {
			h.opts.Logger.Error("record webhook delivery", "channel", id, "err", err)
		}
	}
	w.WriteHeader(http.StatusOK)
}
