package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"earshot/internal/events"
)

// sseBuffer is how many events a slow browser may fall behind by before
// it misses some (it then reloads its view).
const sseBuffer = 256

// events streams live changes as server-sent events: "change" for a new
// mention or a changed case ({type, case_id}), and with ?case=ID
// "presence" for who views and types on that case. Payloads carry ids
// only, never text.
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
	sub := s.cfg.Broker.Subscribe(sseBuffer)
	defer sub.Close()
	var changed <-chan struct{}
	if caseID != 0 {
		var leave func()
		changed, leave = s.presence.join(caseID, currentUser(r).User.Email)
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
	var dropped int64
	for {
		var err error
		select {
		case <-r.Context().Done():
			return
		case <-s.closing:
			return
		case e, ok := <-sub.C:
			if !ok {
				return
			}
			err = writeEvent(w, "change", e)
			if d := sub.Dropped(); d > dropped {
				dropped = d
				err = writeEvent(w, "resync", events.Event{Type: "resync"})
			}
		case <-changed:
			err = writeEvent(w, "presence", s.presence.list(caseID))
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

func writeEvent(w http.ResponseWriter, name string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "event: %s\ndata: %s\n\n", name, b)
	return err
}
