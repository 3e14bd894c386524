package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"earshot/internal/guard"
	"earshot/internal/model"
	"earshot/internal/redact"
	"earshot/internal/store"
)

// replyForm is a submitted reply.
type replyForm struct {
	Text       string
	Visibility string
	Template   string
	Reason     string
	Seen       int
	Confirm    bool
}

// parseReplyForm reads and checks the composer's fields.
func parseReplyForm(v url.Values) (replyForm, error) {
	f := replyForm{Text: strings.TrimSpace(v.Get("text")), Visibility: v.Get("visibility"), Template: v.Get("template"),
		Reason: strings.TrimSpace(v.Get("reason")), Confirm: v.Get("confirm") == "1"}
	switch {
	case f.Text == "":
		return f, errors.New("Write a reply first.")
	case len(f.Text) > maxReplyBytes || !utf8.ValidString(f.Text):
		return f, errors.New("A reply must be at most 10,000 bytes of text.")
	case f.Visibility != model.VisibilityPublic && f.Visibility != model.VisibilityPrivate:
		return f, errors.New("Choose public or private.")
	case len(f.Reason) > model.MaxOverrideReasonBytes || !utf8.ValidString(f.Reason):
		return f, errors.New("The override reason must be at most 1,000 bytes.")
	case len(f.Template) > model.MaxTemplateIDBytes || !utf8.ValidString(f.Template):
		return f, errors.New("That reply template is not one of ours; choose it again from the list.")
	}
	if s := v.Get("seen"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return f, errors.New("The form is damaged; reload the case.")
		}
		f.Seen = n
	}
	return f, nil
}

// reply checks a reply with the privacy guard, asks before it collides
// with a colleague's, and queues it (or holds it for approval).
func (s *Server) reply(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, "No such case.")
		return
	}
	if !s.parseForm(w, r, 64<<10) {
		return
	}
	f, err := parseReplyForm(r.PostForm)
	comp := composer{Text: f.Text, Visibility: f.Visibility, Reason: f.Reason, Template: f.Template}
	if err != nil {
		comp.Error = err.Error()
		s.renderCase(w, r, id, http.StatusBadRequest, comp)
		return
	}
	verdict, err := s.guard.Vet(f.Text, f.Visibility, f.Reason)
	if ref := (*guard.Refusal)(nil); errors.As(err, &ref) {
		composerRefusal(&comp, f.Text, ref)
		s.renderCase(w, r, id, http.StatusUnprocessableEntity, comp)
		return
	}
	reason := ""
	if verdict.NeedsReason() {
		reason = f.Reason
	}
	c, err := s.cfg.Store.GetCase(r.Context(), id)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	if err := s.cfg.Store.CheckTemplate(r.Context(), f.Template); err != nil {
		if !errors.Is(err, store.ErrInvalid) {
			s.internal(w, r, err)
			return
		}
		comp.Error, comp.Template = "That template no longer exists; choose another or none.", ""
		s.renderCase(w, r, id, http.StatusBadRequest, comp)
		return
	}
	if len(c.Replies) > f.Seen && !f.Confirm {
		comp.Error = "A colleague replied while you were writing. Read their reply, then send yours anyway or change it."
		comp.Confirm = true
		rd := s.reader(currentUser(r))
		for _, rp := range c.Replies[f.Seen:] {
			v := replyView{Reply: rp, Text: rd.Spans(rp.Text, nil)}
			rd.Reply(&v.Reply)
			comp.Collision = append(comp.Collision, v)
		}
		s.renderCase(w, r, id, http.StatusConflict, comp)
		return
	}
	approval, err := s.cfg.Store.Setting(r.Context(), store.SettingApproval)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	u := currentUser(r)
	rp := &model.Reply{CaseID: id, Text: f.Text, Visibility: f.Visibility, Template: f.Template, OverrideReason: reason,
		Author: u.User.Email, CreatedAt: s.cfg.Now().UTC()}
	done := "reply"
	if guard.NeedsApproval(approval == "on", f.Visibility, reason != "", c) {
		rp.State, done = model.ReplyAwaitingApproval, "held"
	}
	if err := s.cfg.Store.AddReply(r.Context(), rp); err != nil {
		s.storeError(w, r, err)
		return
	}
	s.presence.typing(id, u.User.Email, false)
	s.publish(id)
	http.Redirect(w, r, "/cases/"+strconv.FormatInt(id, 10)+"?done="+done+"#timeline", http.StatusSeeOther)
}

// composerRefusal tells the agent why the privacy guard refused a reply,
// marking in the text what refused it.
func composerRefusal(comp *composer, text string, ref *guard.Refusal) {
	switch ref.Code {
	case guard.RefusedHidden:
		comp.Error = "This public reply contains hidden characters that change how it is shown (marked below). Remove them, or reply privately."
		comp.Marked = hiddenSpans(text, ref.Result.Hidden)
	case guard.RefusedPHI:
		comp.Error = "This public reply contains health information (marked below). Remove it or reply privately."
		comp.Marked = redact.Split(text, ref.Result.PHI, false)
	case guard.RefusedPlaceholder:
		comp.Error = "This public reply still has template variables to fill in: " + strings.Join(ref.Placeholders, ", ") + ". Replace them with the right words."
	case guard.RefusedRelationship:
		comp.Error = "This public reply confirms the person is a patient or member. Rephrase it, reply privately, or give a reason to send it anyway."
		comp.Warnings, comp.NeedReason = ref.Result.Warnings, true
	default:
		comp.Error = ref.Error()
	}
}
