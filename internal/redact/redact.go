// Package redact is Earshot's one masking policy for health information:
// what of a case each role reads. Roles that may read PHI (auth.ReadPHI:
// admins, supervisors and agents, who work cases) read everything as
// stored; the others (viewers) read each PHI span of a text replaced by
// its type's Label ("[date]", "[claim number]") and member identifiers
// cut to their last four characters (MaskMemberID). The REST API and the
// web app both read cases through a Reader, so that what a role sees
// cannot differ between them.
package redact

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"strings"

	"earshot/internal/analyze"
	"earshot/internal/auth"
	"earshot/internal/model"
)

// Policy masks for each role. It is safe for concurrent use.
type Policy struct {
	an     *analyze.Analyzer
	logger *slog.Logger
}

// New returns the policy. an finds the health information of texts
// stored without findings (replies, notes, task titles); logger records
// who read member identifiers (nil: discarded).
func New(an *analyze.Analyzer, logger *slog.Logger) *Policy {
	if an == nil {
		an = analyze.New()
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Policy{an: an, logger: logger}
}

// For returns what role reads.
func (p *Policy) For(role string) Reader {
	return Reader{p: p, full: auth.Can(role, auth.ReadPHI)}
}

// MemberViewed records, for the compliance trail, that who (such as
// "user:12" or "token:crm") was shown the member identifiers of case
// caseID unmasked. It never logs the identifiers themselves.
func (p *Policy) MemberViewed(ctx context.Context, who string, caseID int64) {
	p.logger.InfoContext(ctx, "member record viewed", "by", who, "case_id", caseID)
}

// Reader is what one role reads; Policy.For makes one.
type Reader struct {
	p    *Policy
	full bool
}

// Full reports whether the reader reads health information unmasked.
func (r Reader) Full() bool { return r.full }

// find returns the PHI findings of text.
func (r Reader) find(text string) []model.PHIFinding { return r.p.an.FindPHI(text) }

// Spans is text as the reader reads it, cut at its health information:
// PHI spans as written for a full reader, labels for the others. phi are
// the text's stored findings (nil when none were stored). For a masked
// reader the analyzer looks again, so that a text stored before a
// detector learned some kind of PHI is masked all the same.
func (r Reader) Spans(text string, phi []model.PHIFinding) []Span {
	if r.full {
		return Split(text, phi, false)
	}
	return Split(text, append(slices.Clip(phi), r.find(text)...), true)
}

// Text returns text as the reader reads it, and where its findings stand
// in that text (phi as Spans takes it).
func (r Reader) Text(text string, phi []model.PHIFinding) (string, []model.PHIFinding) {
	if r.full {
		return text, phi
	}
	return Join(r.Spans(text, phi))
}

// plain returns a text stored without findings as the reader reads it.
func (r Reader) plain(text string) string {
	if r.full || text == "" {
		return text
	}
	s, _ := r.Text(text, nil)
	return s
}

// Summary is a case summary as the reader reads it. A summary is the
// opening text cut short with "…", and the cut may leave a piece of
// health information too short for the analyzer to know ("XJH1234…"):
// for a masked reader the last word before the cut is dropped.
func (r Reader) Summary(text string) []Span {
	if cut, ok := strings.CutSuffix(text, "…"); ok && !r.full {
		text = cut[:strings.LastIndexAny(cut, " \t\n")+1] + "…"
	}
	return r.Spans(text, nil)
}

// MentionPHI returns the stored findings of m's text: its analysis's,
// nil when it has none.
func MentionPHI(m *model.Mention) []model.PHIFinding {
	if m.Analysis == nil {
		return nil
	}
	return m.Analysis.PHI
}

// Case rewrites c in place as the reader reads it: its summary, and its
// mentions, replies, notes, tasks and events (see those methods).
func (r Reader) Case(c *model.Case) {
	if r.full {
		return
	}
	c.Summary, _ = Join(r.Summary(c.Summary))
	for i := range c.Mentions {
		r.Mention(&c.Mentions[i])
	}
	for i := range c.Replies {
		r.Reply(&c.Replies[i])
	}
	for i := range c.Notes {
		r.Note(&c.Notes[i])
	}
	for i := range c.Tasks {
		r.Task(&c.Tasks[i])
	}
	for i := range c.Events {
		r.Event(&c.Events[i])
	}
}

// Mention rewrites m's text as the reader reads it. Its analysis's phi
// then marks where each label stands in that text, so that the offsets
// still fit the text returned (the analysis is copied, not changed).
func (r Reader) Mention(m *model.Mention) {
	if r.full {
		return
	}
	text, phi := r.Text(m.Text, MentionPHI(m))
	m.Text = text
	if m.Analysis != nil {
		a := *m.Analysis
		a.PHI = phi
		m.Analysis = &a
	}
}

// Reply rewrites a reply's text, override reason and delivery error (a
// platform's words may quote the reply) as the reader reads them.
func (r Reader) Reply(rp *model.Reply) {
	rp.Text = r.plain(rp.Text)
	rp.OverrideReason = r.plain(rp.OverrideReason)
	rp.DeliveryError = r.plain(rp.DeliveryError)
}

// Note rewrites a note's text as the reader reads it.
func (r Reader) Note(n *model.Note) { n.Text = r.plain(n.Text) }

// Task rewrites a task's title as the reader reads it.
func (r Reader) Task(t *model.Task) { t.Title = r.plain(t.Title) }

// eventMemberKey is the key of event data that holds a member
// identifier (member_linked, member_unlinked).
const eventMemberKey = "member_id"

// Event rewrites the text and member identifiers in e's data as the
// reader reads them; other data is left as it is.
func (r Reader) Event(e *model.Event) {
	if r.full || len(e.Data) == 0 {
		return
	}
	var data map[string]json.RawMessage
	if json.Unmarshal(e.Data, &data) != nil {
		return // not an object: it holds no named text
	}
	changed := false
	rewrite := func(key string, mask func(string) string) {
		var s string
		if raw, ok := data[key]; !ok || json.Unmarshal(raw, &s) != nil {
			return
		}
		if m := mask(s); m != s {
			data[key], _ = json.Marshal(m) // a string always marshals
			changed = true
		}
	}
	// The keys that hold free text written by people: a task's title, a
	// rejection's reason, a privacy override's reason.
	for _, k := range [...]string{"title", "reason", "override_reason"} {
		rewrite(k, r.plain)
	}
	rewrite(eventMemberKey, MaskMemberID)
	if changed {
		e.Data, _ = json.Marshal(data) // raw JSON values marshal as they are
	}
}

// ShowsMemberIDs reports whether c carries member identifiers (in the
// data of its member link events), which a full reader reads unmasked.
func ShowsMemberIDs(c *model.Case) bool {
	for i := range c.Events {
		var data map[string]json.RawMessage
		if json.Unmarshal(c.Events[i].Data, &data) == nil && data[eventMemberKey] != nil {
			return true
		}
	}
	return false
}
