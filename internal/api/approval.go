package api

import (
	"errors"
	"net/http"
	"strconv"

	"earshot/internal/cases"
	"earshot/internal/store"
)

// heldReply reads the case and reply ids of a decision on a held reply;
// a missing case is 404 before the body is read.
func (a *API) heldReply(w http.ResponseWriter, r *http.Request) (int64, int64, bool) {
	id, ok := caseID(w, r)
	if !ok {
		return 0, 0, false
	}
	replyID, err := strconv.ParseInt(r.PathValue("reply"), 10, 64)
	if err != nil || replyID <= 0 {
		writeError(w, http.StatusBadRequest, "bad_id", "reply id must be a positive whole number")
		return 0, 0, false
	}
	return id, replyID, a.caseExists(w, r, id)
}

// approveReply lets a held reply go to the outbox. Its author cannot
// approve it: approval needs a second person. The body is empty or {}.
func (a *API) approveReply(w http.ResponseWriter, r *http.Request) {
	id, replyID, ok := a.heldReply(w, r)
	if !ok {
		return
	}
	if !decodeEmptyBody(w, r) {
		return
	}
	// The guard judges it again: it may have learnt since the reply was
	// held.
	err := a.cases.Approve(r.Context(), id, replyID, principal(r.Context()).Name)
	if cases.AsRefusal(err) != nil {
		a.writeRefusal(w, r, err)
		return
	}
	if errors.Is(err, store.ErrOwnReply) {
		writeError(w, http.StatusForbidden, "own_reply", "this reply was written with the same credentials; another person must approve it")
		return
	}
	if err != nil {
		a.storeError(w, r, err)
		return
	}
	a.getCase(w, r)
}

// rejectReply refuses a held reply with a reason for its author.
func (a *API) rejectReply(w http.ResponseWriter, r *http.Request) {
	id, replyID, ok := a.heldReply(w, r)
	if !ok {
		return
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	reason, ok := requireText(w, "reason", in.Reason, 1000)
	if !ok {
		return
	}
	if err := a.cases.Reject(r.Context(), id, replyID, principal(r.Context()).Name, reason); err != nil {
		a.storeError(w, r, err)
		return
	}
	a.getCase(w, r)
}
