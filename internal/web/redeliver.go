package web

import (
	"errors"
	"net/http"
	"strings"

	"earshot/internal/cases"
	"earshot/internal/model"
	"earshot/internal/store"
)

// replyActionForm reads an agent's action on a reply: the case and reply
// ids and the submitted form.
func (s *Server) replyActionForm(w http.ResponseWriter, r *http.Request) (caseID, replyID int64, ok bool) {
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

// retryReply sends a reply again that failed, or whose fate was unknown
// and that the agent found did not go out: "Try again" and "It did not go
// out: send again".
func (s *Server) retryReply(w http.ResponseWriter, r *http.Request) {
	id, replyID, ok := s.replyActionForm(w, r)
	if !ok {
		return
	}
	err := s.cases.Retry(r.Context(), id, replyID, currentUser(r).User.Email)
	s.afterReplyAction(w, r, id, "retried", err)
}

// sentByHand records that a reply went out on the platform without the
// outbox, with its link there if the agent gives one: "It went out" and
// "I posted it by hand".
func (s *Server) sentByHand(w http.ResponseWriter, r *http.Request) {
	id, replyID, ok := s.replyActionForm(w, r)
	if !ok {
		return
	}
	link, ok := field(r, "url", cases.MaxReplyURLBytes)
	if !ok {
		s.errorPage(w, r, http.StatusBadRequest, "The link must be at most 1,000 bytes.")
		return
	}
	err := s.cases.SentByHand(r.Context(), id, replyID, link, currentUser(r).User.Email)
	s.afterReplyAction(w, r, id, "byhand", err)
}

// afterReplyAction returns to the case after an action on a reply, or
// says why it was not done.
func (s *Server) afterReplyAction(w http.ResponseWriter, r *http.Request, id int64, done string, err error) {
	switch {
	case err == nil:
		s.publish(id)
		backToCase(w, r, id, done, "timeline")
	case errors.Is(err, store.ErrReplyState):
		s.errorPage(w, r, http.StatusConflict, "This reply changed meanwhile (a colleague may have acted on it, or the outbox moved it on). Reload the case to see where it is.")
	case cases.AsRefusal(err) != nil:
		s.errorPage(w, r, http.StatusBadRequest, "The link must be the reply's http or https address on the platform, or left empty.")
	default:
		s.storeError(w, r, err)
	}
}

// contactTemplates are the reply templates that offer a phone call or an
// email, for a platform with no private channel.
func contactTemplates(ts []templateView) []templateView {
	var out []templateView
	for _, t := range ts {
		words := strings.ToLower(t.ID + " " + t.Name)
		if strings.Contains(words, "phone") || strings.Contains(words, "call") || strings.Contains(words, "email") {
			out = append(out, t)
		}
	}
	return out
}

// reviewLink is the link to the mention a reply on c would answer on its
// platform: the latest inbound mention's, else "".
func reviewLink(c *model.Case) string {
	var latest *model.Mention
	for i := range c.Mentions {
		m := &c.Mentions[i]
		if m.Direction != model.DirectionOutbound && (latest == nil || m.CreatedAt.After(latest.CreatedAt)) {
			latest = m
		}
	}
	if latest == nil {
		return ""
	}
	return safeLink(latest.URL)
}
