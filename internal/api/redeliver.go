package api

import (
	"bytes"
	"errors"
	"net/http"

	"earshot/internal/cases"
	"earshot/internal/jsonexact"
	"earshot/internal/store"
)

// retryReply sends a reply again that failed, or whose fate was unknown
// and that the agent found did not go out: it goes back to the outbox
// queue, to be sent once. The body is empty or {}. A reply in another
// state (sent, queued, or requeued by someone else first) is 409
// reply_state.
func (a *API) retryReply(w http.ResponseWriter, r *http.Request) {
	id, replyID, ok := a.heldReply(w, r)
	if !ok {
		return
	}
	if !decodeEmptyBody(w, r) {
		return
	}
	a.replyAction(w, r, a.cases.Retry(r.Context(), id, replyID, principal(r.Context()).Name))
}

// sentByHand records that a reply went out on the platform without the
// outbox, with its link there: {"url"}, optional, http or https. From
// unknown or no_connector only; otherwise 409 reply_state.
func (a *API) sentByHand(w http.ResponseWriter, r *http.Request) {
	id, replyID, ok := a.heldReply(w, r)
	if !ok {
		return
	}
	var in struct {
		URL string `json:"url"`
	}
	body, ok := readBody(w, r, maxSmallBody)
	if !ok {
		return
	}
	if len(bytes.TrimSpace(jsonexact.TrimBOM(body))) > 0 {
		if e := decodeObject(body, &in); e != nil {
			writeJSON(w, http.StatusBadRequest, map[string]*apiError{"error": e})
			return
		}
	}
	a.replyAction(w, r, a.cases.SentByHand(r.Context(), id, replyID, in.URL, principal(r.Context()).Name))
}

// replyAction answers an agent's action on a reply: the case as it now
// is, or why not.
func (a *API) replyAction(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case err == nil:
		a.getCase(w, r)
	case errors.Is(err, store.ErrReplyState):
		writeError(w, http.StatusConflict, "reply_state", err.Error())
	case cases.AsRefusal(err) != nil:
		a.writeRefusal(w, r, err)
	default:
		a.storeError(w, r, err)
	}
}
