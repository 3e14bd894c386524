package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/cases"
	"earshot/internal/guard"
	"earshot/internal/input"
	"earshot/internal/model"
	"earshot/internal/redact"
	"earshot/internal/store"
)

// item is one entry of a case's timeline.
type item struct {
	Kind    string // mention, reply, note, event
	At      time.Time
	Mention *mentionView
	Reply   *replyView
	Note    *model.Note
	NoteTxt []redact.Span
	Event   string
	Actor   string
}

type mentionView struct {
	model.Mention
	Text      []redact.Span
	Link      string
	Starred   bool
	Sentiment string
	Intents   []string
	Urgency   string
	HasPHI    bool
	// Language is the post's language when it is neither English nor
	// undetermined.
	Language string
}

type replyView struct {
	model.Reply
	Text []redact.Span
	Held bool
	// Own is true when the viewer wrote the reply, and so may not
	// approve it.
	Own bool
}

type templateView struct {
	ID, Name, Text string
}

// composer is the reply form's state, kept when the server refuses it.
type composer struct {
	Text       string
	Visibility string
	Reason     string
	Template   string
	Error      string
	Marked     []redact.Span
	Warnings   []guard.Warning
	// Reasons say, for each marked span, which words and why.
	Reasons []guard.Reason
	// Suggestion is a reply that may go instead ("Use suggestion"): the
	// guard's rewrite, or the crisis protocol's public reply.
	Suggestion string
	NeedReason bool
	Collision  []replyView
	Confirm    bool
}

type caseData struct {
	base
	Case           *model.Case
	Timeline       []item
	Others         []inboxRow
	Members        []memberView
	MemberQ        string
	MemberResults  []memberView
	Templates      []templateView
	Teams          []model.Team
	Sites          []model.Site
	Users          []model.User
	Statuses       []string
	Sentiments     []string
	Intents        []string
	Composer       composer
	SuggestPrivate bool
	Flash          string
	Seen           int
	OpenTasks      []model.Task
	DoneTasks      []model.Task
	Now            time.Time
	// Deadlines are the case's first-response, next-response and
	// resolution deadlines.
	Deadlines []deadlineView
	// NoReplyAPI says Earshot cannot post on the case's platform (Yelp):
	// the agent posts the reply there, opening ReviewLink, and marks it
	// sent. NoPrivate says the platform has no private channel (Google),
	// and ContactTemplates offer a call or an email instead.
	NoReplyAPI       bool
	NoPrivate        bool
	ReviewLink       string
	ContactTemplates []templateView
	// Crisis is the crisis panel of a critical case; nil otherwise.
	Crisis *crisisPanel
}

type memberView struct {
	ID, Masked, Name, Plan string
}

// flashes are the messages a redirect after a change may ask for.
var flashes = map[string]string{
	"reply":    "Reply queued: the outbox sends it to the platform, or says on the reply why it could not.",
	"held":     "Reply held: it waits for a supervisor's approval before it is queued.",
	"approved": "Reply approved and queued in the outbox.",
	"note":     "Note added.",
	"handoff":  "Case handed off.",
	"task":     "Task added.",
	"taskdone": "Task done.",
	"status":   "Status changed.",
	"linked":   "Member record linked.",
	"unlinked": "Member record unlinked.",
	"starred":  "Added to the praise wall.",
	"unstar":   "Taken off the praise wall.",
	"fixed":    "Correction saved; it will be used in the next training.",
	"retried":  "Reply queued again: the outbox sends it once more.",
	"byhand":   "Reply marked sent.",
}

func pathID(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return id, err == nil && id > 0
}

func (s *Server) casePage(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, "No such case.")
		return
	}
	s.renderCase(w, r, id, http.StatusOK, composer{})
}

// renderCase shows case id with the composer in the given state.
func (s *Server) renderCase(w http.ResponseWriter, r *http.Request, id int64, code int, comp composer) {
	u := currentUser(r)
	ctx := r.Context()
	c, err := s.cfg.Store.GetCase(ctx, id)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	rd := s.reader(u)
	d := &caseData{base: s.base(r, u, "Case "+strconv.FormatInt(id, 10)), Case: c, Composer: comp, Statuses: statuses,
		Sentiments: sentiments, Intents: s.intents, Flash: flashes[r.URL.Query().Get("done")], Seen: len(c.Replies), Now: s.cfg.Now()}
	d.Deadlines = caseDeadlines(c, d.Now)
	d.Crisis = newCrisisPanel(c, s.cases.Protocol())
	starred, err := s.cfg.Store.StarredMentions(ctx, id)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	// Texts are cut into spans (PHI marked, or masked) from the stored
	// text and findings; then the case itself is rewritten as the user
	// reads it, the same way the API answers, for everything else the
	// page shows (task titles, event data, reasons, the summary).
	mentionText := make([][]redact.Span, len(c.Mentions))
	for i := range c.Mentions {
		mentionText[i] = rd.Spans(c.Mentions[i].Text, redact.MentionPHI(&c.Mentions[i]))
	}
	replyText := make([][]redact.Span, len(c.Replies))
	for i := range c.Replies {
		replyText[i] = rd.Spans(c.Replies[i].Text, nil)
	}
	noteText := make([][]redact.Span, len(c.Notes))
	for i := range c.Notes {
		noteText[i] = rd.Spans(c.Notes[i].Text, nil)
	}
	rd.Case(c)
	negative := false
	// Every mention is an item of the timeline itself, so the page shows
	// what the API's derived mention_added entries stand for, placed where
	// model.Timeline places them (when the mention joined the case) and
	// labelled with when it was posted.
	views := make(map[int64]*mentionView, len(c.Mentions))
	for i := range c.Mentions {
		m := &c.Mentions[i]
		mv := &mentionView{Mention: *m, Text: mentionText[i], Starred: starred[m.ID], Link: safeLink(m.URL)}
		if a := m.Analysis; a != nil {
			mv.Sentiment, mv.Intents, mv.Urgency, mv.HasPHI = a.Sentiment.Label, a.Intents, a.Urgency.Level, len(a.PHI) > 0
			if a.Language != "en" && a.Language != analyze.LanguageUndetermined {
				mv.Language = a.Language
			}
			if m.Direction == model.DirectionInbound {
				negative = a.Sentiment.Label == model.SentimentNegative || contains(a.Intents, "complaint")
			}
		}
		views[m.ID] = mv
	}
	for i, rp := range c.Replies {
		d.Timeline = append(d.Timeline, item{Kind: "reply", At: rp.CreatedAt, Reply: &replyView{Reply: rp, Text: replyText[i],
			Held: rp.State == model.ReplyAwaitingApproval, Own: model.SamePerson(rp.Author, u.User.Email)}})
	}
	for i := range c.Notes {
		n := &c.Notes[i]
		d.Timeline = append(d.Timeline, item{Kind: "note", At: n.CreatedAt, Note: n, NoteTxt: noteText[i]})
	}
	for _, e := range model.Timeline(c.Events, c.Mentions) {
		if e.Derived {
			if mv := views[e.MentionID()]; mv != nil {
				d.Timeline = append(d.Timeline, item{Kind: "mention", At: e.CreatedAt, Mention: mv})
			}
			continue
		}
		if txt := eventText(e); txt != "" {
			d.Timeline = append(d.Timeline, item{Kind: "event", At: e.CreatedAt, Event: txt, Actor: e.Actor})
		}
	}
	sort.SliceStable(d.Timeline, func(i, j int) bool { return d.Timeline[i].At.Before(d.Timeline[j].At) })
	for _, t := range c.Tasks {
		if t.Done {
			d.DoneTasks = append(d.DoneTasks, t)
		} else {
			d.OpenTasks = append(d.OpenTasks, t)
		}
	}
	d.SuggestPrivate = negative
	d.NoReplyAPI, d.NoPrivate = !cases.HasReplyAPI(c.Platform), !cases.HasPrivateChannel(c.Platform)
	if d.Composer.Visibility == "" || d.NoPrivate {
		d.Composer.Visibility = string(model.VisibilityPublic)
		if negative && !d.NoPrivate {
			d.Composer.Visibility = string(model.VisibilityPrivate)
		}
	}
	others, _, err := s.cfg.Store.ListCases(ctx, store.CaseFilter{AuthorID: c.AuthorID, ExcludeID: c.ID, Limit: 10})
	if err != nil {
		s.internal(w, r, err)
		return
	}
	for _, o := range others {
		row := inboxRow{Case: o, Summary: rd.Summary(o.Summary)}
		rd.Case(&row.Case)
		d.Others = append(d.Others, row)
	}
	members, err := s.cfg.Store.CaseMembers(ctx, id)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	d.Members = memberViews(members, rd.Full())
	if len(members) > 0 && rd.Full() {
		s.redact.MemberViewed(ctx, "user:"+strconv.FormatInt(u.User.ID, 10), id)
	}
	q := strings.TrimSpace(r.URL.Query().Get("member_q"))
	if err := input.Text("member_q", q, 0); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "That member search cannot be used: "+err.Error()+".")
		return
	}
	if q != "" && rd.Full() && len(q) <= 100 {
		found, err := s.cfg.Store.SearchMembers(ctx, q, 10)
		if err != nil {
			s.internal(w, r, err)
			return
		}
		d.MemberQ, d.MemberResults = q, memberViews(found, true)
		s.cfg.Logger.Info("member records searched", "user_id", u.User.ID, "case_id", id, "results", len(found))
	}
	if d.Teams, err = s.cfg.Store.ListTeams(ctx); err != nil {
		s.internal(w, r, err)
		return
	}
	if d.Sites, err = s.cfg.Store.ListSites(ctx); err != nil {
		s.internal(w, r, err)
		return
	}
	if d.Users, err = s.cfg.Store.ListUsers(ctx); err != nil {
		s.internal(w, r, err)
		return
	}
	if d.Templates, err = s.templates(r, c); err != nil {
		s.internal(w, r, err)
		return
	}
	d.ReviewLink = reviewLink(c)
	if d.NoPrivate {
		d.ContactTemplates = contactTemplates(d.Templates)
	}
	s.render(w, r, code, "case", d)
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// safeLink returns u when it is an http(s) URL, else "" (no link).
func safeLink(u string) string {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
		return ""
	}
	return p.String()
}

// memberViews shows member records: in full to a reader of PHI (full),
// else only the masked identifier.
func memberViews(ms []store.Member, full bool) []memberView {
	out := make([]memberView, len(ms))
	for i, m := range ms {
		out[i] = memberView{Masked: redact.MaskMemberID(m.ID)}
		if full {
			out[i].ID, out[i].Name, out[i].Plan = m.ID, m.Name, m.Plan
		}
	}
	return out
}

// rating is a rating in event data (a JSON number, or null) in words.
func rating(v any) string {
	if n, ok := v.(float64); ok {
		return strconv.FormatFloat(n, 'f', -1, 64)
	}
	return "none"
}

// eventText describes a timeline event in words; "" for events whose
// item (mention, reply, note) is shown itself.
func eventText(e model.Event) string {
	var data map[string]any
	_ = json.Unmarshal(e.Data, &data)
	str := func(k string) string {
		v, _ := data[k].(string)
		return v
	}
	change := func(k string) string {
		m, ok := data[k].(map[string]any)
		if !ok {
			return ""
		}
		from, _ := m["from"].(string)
		to, _ := m["to"].(string)
		if from == "" {
			from = "none"
		}
		if to == "" {
			to = "none"
		}
		return k + " " + from + " → " + to
	}
	switch e.Type {
	case model.EventCaseOpened:
		return "Case opened"
	case model.EventReopened:
		return "Reopened: the author wrote again"
	case model.EventStatusChanged:
		return "Status " + str("from") + " → " + str("to")
	case model.EventAssigned, model.EventHandedOff:
		var parts []string
		for _, k := range []string{"team", "site", "assignee"} {
			if c := change(k); c != "" {
				parts = append(parts, c)
			}
		}
		label := "Assigned"
		if e.Type == model.EventHandedOff {
			label = "Handed off"
		}
		return label + ": " + strings.Join(parts, ", ")
	case model.EventTaskAdded:
		return "Task added: " + str("title")
	case model.EventTaskDone:
		return "Task done"
	case model.EventMemberLinked:
		return "Member record linked"
	case model.EventMemberUnlinked:
		return "Member record unlinked"
	case model.EventReplyApproved:
		return "Reply approved"
	case model.EventReplyRejected:
		return "Reply rejected: " + str("reason")
	case model.EventReplyRetried:
		return "Reply sent again"
	case model.EventReplySentByHand:
		return "Reply marked sent by hand"
	case model.EventMentionEdited:
		text := "Mention edited by its author"
		if from, to := rating(data["rating_from"]), rating(data["rating_to"]); from != to {
			text += ": rating " + from + " to " + to
		}
		return text
	case model.EventReplied:
		if r := str("override_reason"); r != "" {
			return "Privacy warning overridden: " + r
		}
	}
	return ""
}
