package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"earshot/internal/cases"
	"earshot/internal/guard"
	"earshot/internal/model"
	"earshot/internal/redact"
)

// replyForm is a submitted reply.
type replyForm struct {
	Text       string
	Visibility model.Visibility
	Template   string
	Reason     string
	Seen       int
	Confirm    bool
}

// parseReplyForm reads the composer's fields; the reply policy
// (cases.Service.Reply) checks them.
func parseReplyForm(v url.Values) (replyForm, error) {
	f := replyForm{Text: strings.TrimSpace(v.Get("text")), Visibility: model.Visibility(v.Get("visibility")), Template: v.Get("template"),
		Reason: strings.TrimSpace(v.Get("reason")), Confirm: v.Get("confirm") == "1"}
	if s := v.Get("seen"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return f, errors.New("The form is damaged; reload the case.")
		}
		f.Seen = n
	}
	return f, nil
}

// reply sends a reply through the reply policy (the privacy guard, the
// template, a colleague's reply meanwhile, approval) and queues it or
// holds it for approval; a refusal is shown in the composer.
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
	comp := composer{Text: f.Text, Visibility: string(f.Visibility), Reason: f.Reason, Template: f.Template}
	if err != nil {
		comp.Error = err.Error()
		s.renderCase(w, r, id, http.StatusBadRequest, comp)
		return
	}
	u := currentUser(r)
	rp, err := s.cases.Reply(r.Context(), cases.Draft{CaseID: id, Author: u.User.Email, Text: f.Text, Visibility: f.Visibility,
		Template: f.Template, OverrideReason: f.Reason, CheckSeen: !f.Confirm, Seen: f.Seen})
	if ref := cases.AsRefusal(err); ref != nil {
		status := s.composerRefusal(&comp, r, f.Text, ref)
		s.renderCase(w, r, id, status, comp)
		return
	}
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	done := "reply"
	if rp.State == model.ReplyAwaitingApproval {
		done = "held"
	}
	s.presence.typing(id, u.User.Email, false)
	s.publish(id)
	http.Redirect(w, r, "/cases/"+strconv.FormatInt(id, 10)+"?done="+done+"#timeline", http.StatusSeeOther)
}

// composerRefusal tells the agent why the reply policy refused a reply,
// marking in the text what refused it, and returns the page's status.
func (s *Server) composerRefusal(comp *composer, r *http.Request, text string, ref *cases.Refusal) int {
	switch ref.Code {
	case cases.RefusedMissing:
		comp.Error = "Write a reply first."
		return http.StatusBadRequest
	case cases.RefusedBadField:
		switch ref.Field {
		case "text":
			comp.Error = "A reply must be at most 10,000 bytes of text."
		case "visibility":
			comp.Error = "Choose public or private."
		case "override_reason":
			comp.Error = "The override reason must be at most 1,000 bytes."
		case "template":
			comp.Error = "That reply template is not one of ours; choose it again from the list."
		default:
			comp.Error = ref.Error()
		}
		return http.StatusBadRequest
	case cases.RefusedUnknownTemplate:
		comp.Error, comp.Template = "That template no longer exists; choose another or none.", ""
		return http.StatusBadRequest
	case cases.RefusedColleagueReplied:
		comp.Error = "A colleague replied while you were writing. Read their reply, then send yours anyway or change it."
		comp.Confirm = true
		rd := s.reader(currentUser(r))
		for _, rp := range ref.Replies {
			v := replyView{Reply: rp, Text: rd.Spans(rp.Text, nil)}
			rd.Reply(&v.Reply)
			comp.Collision = append(comp.Collision, v)
		}
		return http.StatusConflict
	}
	if ref.Code == cases.RefusedCrisis {
		comp.Error = "This case is a crisis: a public reply must not discuss it (marked below). Reply privately, or send the crisis protocol's public reply."
		comp.Reasons, comp.Suggestion = ref.Reasons(), ref.Suggested()
		comp.Marked = markReasons(text, nil, comp.Reasons)
		return http.StatusUnprocessableEntity
	}
	if ref.Guard != nil {
		guardRefusal(comp, text, ref.Guard)
	} else {
		comp.Error = ref.Error()
	}
	return http.StatusUnprocessableEntity
}

// guardRefusal tells the agent why the privacy guard refused a reply,
// marking in the text what refused it.
func guardRefusal(comp *composer, text string, ref *guard.Refusal) {
	switch ref.Code {
	case guard.RefusedHidden:
		comp.Error = "This public reply contains hidden characters that change how it is shown (marked below). Remove them, or reply privately."
		comp.Marked = hiddenSpans(text, ref.Result.Hidden)
	case guard.RefusedPHI:
		comp.Error = "This public reply contains health information (marked below). Remove it or reply privately."
		comp.Reasons, comp.Suggestion = refusalReasons(text, ref.Result), ref.Result.Suggestion
		comp.Marked = markReasons(text, ref.Result.PHI, comp.Reasons)
	case guard.RefusedPlaceholder:
		comp.Error = "This public reply still has template variables to fill in: " + strings.Join(ref.Placeholders, ", ") + ". Replace them with the right words."
	case guard.RefusedRelationship:
		comp.Error = "This public reply confirms the person is a patient or member. Rephrase it, reply privately, or give a reason to send it anyway."
		comp.Warnings, comp.NeedReason = ref.Result.Warnings, true
		comp.Reasons, comp.Suggestion = refusalReasons(text, ref.Result), ref.Result.Suggestion
		comp.Marked = markReasons(text, nil, comp.Reasons)
	default:
		comp.Error = ref.Error()
	}
}

// refusalReasons are the reasons the composer lists for the guard's
// verdict res on text: the guard's own, or, when it gives none, one for
// each span of health information and each relationship warning, in
// plain words.
func refusalReasons(text string, res guard.Result) []guard.Reason {
	if len(res.Reasons) > 0 {
		return res.Reasons
	}
	var out []guard.Reason
	for _, f := range res.PHI {
		if f.Start >= 0 && f.Start < f.End && f.End <= len(text) {
			out = append(out, guard.Reason{Kind: f.Type, Phrase: text[f.Start:f.End], Start: f.Start, End: f.End,
				Why: "health information (" + strings.Trim(redact.Label(f.Type), "[]") + ") in public"})
		}
	}
	for _, w := range res.Warnings {
		out = append(out, guard.Reason{Kind: "relationship", Phrase: w.Phrase, Start: w.Start, End: w.End,
			Why: "confirms that the person is a patient or member"})
	}
	return out
}

// markReasons cuts text for the composer with the spans of phi and of
// reasons marked (overlapping ones merged).
func markReasons(text string, phi []model.PHIFinding, reasons []guard.Reason) []redact.Span {
	marks := slices.Clone(phi)
	for _, r := range reasons {
		marks = append(marks, model.PHIFinding{Type: r.Kind, Start: r.Start, End: r.End})
	}
	return redact.Split(text, marks, false)
}
