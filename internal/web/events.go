package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"earshot/internal/events"
)

// sseBuffer is how many events a browser may fall behind by before it is
// told to resync (reload its view from the store) instead.
const sseBuffer = 1024

// events streams live changes as server-sent events:
//   - "change" for a new mention or a changed case ({seq, type, case_id}),
//     with the broker's sequence number as the SSE id, so that a browser
//     reconnecting with Last-Event-ID gets what it missed;
//   - "resync" when the browser fell behind or missed more than the broker
//     keeps: it must reload what it shows;
//   - "notify" with the user's unread count when a colleague @mentions them;
//   - with ?case=ID, "presence" for who views and types on that case.
//
// Payloads carry ids and counts only, never text.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok || s.cfg.Broker == nil {
		http.Error(w, "live updates are not available", http.StatusNotImplemented)
		return
	}
	var caseID int64
	if v := r.URL.Query().Get("case"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			http.Error(w, "bad case id", http.StatusBadRequest)
			return
		}
		caseID = id
	}
	var sub *events.Subscription
	if last := r.Header.Get("Last-Event-ID"); last != "" {
		after, err := strconv.ParseInt(last, 10, 64)
		if err != nil {
			after = -1 // unreadable: resync
		}
		sub = s.cfg.Broker.SubscribeAfter(sseBuffer, after)
	} else {
		sub = s.cfg.Broker.Subscribe(sseBuffer)
	}
	defer sub.Close()
	u := currentUser(r).User
	var changed <-chan struct{}
	if caseID != 0 {
		var leave func()
		changed, leave = s.presence.join(caseID, u.Email)
		defer leave()
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 2000\n\n")
	flusher.Flush()
	rc := http.NewResponseController(w)
	beat := time.NewTicker(s.cfg.HeartbeatInterval)
	defer beat.Stop()
	send := func(e events.Event) error {
		if e.Type != events.Notified {
			return writeEvent(w, "change", strconv.FormatInt(e.Seq, 10), e)
		}
		if e.UserID != u.ID {
			_, err := fmt.Fprintf(w, "id: %d\n\n", e.Seq) // keeps Last-Event-ID current
			return err
		}
		n, err := s.cfg.Store.UnreadNotifications(r.Context(), u.ID)
		if err != nil {
			return err
		}
		return writeEvent(w, "notify", strconv.FormatInt(e.Seq, 10), map[string]any{"case_id": e.CaseID, "unread": n})
	}
	for {
		var err error
		select {
		case <-r.Context().Done():
			return
		case <-s.closing:
			return
		case <-sub.Lagged():
			err = writeEvent(w, "resync", "", map[string]string{"type": "resync"})
		case e, ok := <-sub.C:
			if !ok {
				return
			}
			err = send(e)
			// Write what else is waiting before one flush.
			for n := len(sub.C); err == nil && n > 0; n-- {
				err = send(<-sub.C)
			}
		case <-changed:
			err = writeEvent(w, "presence", "", s.presence.list(caseID))
		case <-beat.C:
			_, err = fmt.Fprint(w, ": keep-alive\n\n")
		}
		if err != nil {
			return
		}
		rc.SetWriteDeadline(time.Now().Add(30 * time.Second))
		flusher.Flush()
	}
}

// writeEvent writes one server-sent event named name with v as JSON data
// and, unless empty, an id.
func writeEvent(w http.ResponseWriter, name, id string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if id != "" {
		_, err = fmt.Fprintf(w, "id: %s\nevent: %s\ndata: %s\n\n", id, name, b)
	} else {
		_, err = fmt.Fprintf(w, "event: %s\ndata: %s\n\n", name, b)
	}
	return err
}
