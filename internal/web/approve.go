package web

import (
	"errors"
	"net/http"
	"strconv"

	"earshot/internal/cases"
	"earshot/internal/model"
	"earshot/internal/redact"
	"earshot/internal/store"
)

// heldListLimit bounds the approval queue page.
const heldListLimit = 200

type heldView struct {
	store.HeldReply
	Text    []redact.Span
	Summary []redact.Span
	// Own is true when the viewer wrote the reply: approval needs a
	// second person.
	Own bool
	// Refused says why the privacy guard would refuse the reply now;
	// it cannot be approved, only rejected.
	Refused string
}

type approvalsData struct {
	base
	Held  []heldView
	Done  string
	Limit int
}

// approvals lists the replies awaiting a supervisor's approval, oldest
// first, each with approve and reject; supervisors and admins only.
func (s *Server) approvals(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	if !isSupervisor(u.User.Role) {
		s.errorPage(w, r, http.StatusForbidden, "Only a supervisor may review replies awaiting approval.")
		return
	}
	held, err := s.cfg.Store.ListHeldReplies(r.Context(), heldListLimit)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	d := &approvalsData{base: s.base(r, u, "Approvals"), Limit: heldListLimit}
	switch done := r.URL.Query().Get("done"); done {
	case "approved", "rejected":
		d.Done = done
	}
	rd := s.reader(u)
	for _, h := range held {
		v := heldView{HeldReply: h, Text: rd.Spans(h.Text, nil), Summary: rd.Summary(h.CaseSummary),
			Own: model.SamePerson(h.Author, u.User.Email)}
		rd.Reply(&v.Reply)
		v.CaseSummary, _ = redact.Join(v.Summary)
		if err := s.guard.VetStored(&h.Reply); err != nil {
			v.Refused = err.Error()
		}
		d.Held = append(d.Held, v)
	}
	s.render(w, r, http.StatusOK, "approvals", d)
}

// heldReplyForm reads a decision on a held reply: the case and reply ids
// and the submitted form; supervisors and admins only.
func (s *Server) heldReplyForm(w http.ResponseWriter, r *http.Request) (caseID, replyID int64, ok bool) {
	if !isSupervisor(currentUser(r).User.Role) {
		s.errorPage(w, r, http.StatusForbidden, "Only a supervisor may approve or reject replies.")
		return 0, 0, false
	}
	caseID, ok = s.caseForm(w, r)
	if !ok {
		return 0, 0, false
	}
	if replyID, ok = pathID(r, "reply"); !ok {
		s.errorPage(w, r, http.StatusNotFound, "No such reply.")
		return 0, 0, false
	}
	return caseID, replyID, true
}

// afterDecision returns to the approval queue when the decision was made
// there, else to the case.
func afterDecision(w http.ResponseWriter, r *http.Request, caseID int64, done string) {
	if r.PostForm.Get("back") == "approvals" {
		http.Redirect(w, r, "/approvals?done="+done, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/cases/"+strconv.FormatInt(caseID, 10)+"?done="+done+"#timeline", http.StatusSeeOther)
}

// approve lets a held reply go to the outbox, if the privacy guard
// still lets it go: it is judged again as it leaves the queue.
func (s *Server) approve(w http.ResponseWriter, r *http.Request) {
	id, replyID, ok := s.heldReplyForm(w, r)
	if !ok {
		return
	}
	err := s.cases.Approve(r.Context(), id, replyID, currentUser(r).User.Email)
	if ref := cases.AsRefusal(err); ref != nil {
		s.errorPage(w, r, http.StatusUnprocessableEntity, "This reply cannot be approved: "+ref.Error()+". Reject it with a reason for the agent.")
		return
	}
	if errors.Is(err, store.ErrOwnReply) {
		s.errorPage(w, r, http.StatusForbidden, "You wrote this reply, so you cannot approve it: another supervisor must.")
		return
	}
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	s.publish(id)
	afterDecision(w, r, id, "approved")
}

// reject refuses a held reply; a reason is required and recorded.
func (s *Server) reject(w http.ResponseWriter, r *http.Request) {
	id, replyID, ok := s.heldReplyForm(w, r)
	if !ok {
		return
	}
	reason, ok := field(r, "reason", 1000)
	if !ok || reason == "" {
		s.errorPage(w, r, http.StatusBadRequest, "Rejecting a reply needs a reason (at most 1,000 bytes) for the agent who wrote it.")
		return
	}
	if err := s.cases.Reject(r.Context(), id, replyID, currentUser(r).User.Email, reason); err != nil {
		s.storeError(w, r, err)
		return
	}
	s.publish(id)
	afterDecision(w, r, id, "rejected")
}

// replyStateText says a reply's delivery state in words.
func replyStateText(state model.ReplyState) string {
	switch state {
	case model.ReplyQueued:
		return "queued in outbox"
	case model.ReplyAwaitingApproval:
		return "awaiting approval"
	case model.ReplyRejected:
		return "rejected by a supervisor"
	case model.ReplySending:
		return "sending"
	case model.ReplySent:
		return "sent"
	case model.ReplyFailed:
		return "not sent"
	case model.ReplyUnknown:
		return "check the platform"
	case model.ReplyNoConnector:
		return "not sent: no connector"
	}
	return string(state)
}
