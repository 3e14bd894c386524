// Package guard is the privacy guard for outgoing replies. A public reply
// that contains protected health information (as the analyzer finds it)
// is blocked; one that confirms a patient or member relationship ("your
// visit", "your claim") is warned about and may go only with a recorded
// reason. Private replies (DM, phone, secure form) pass. A reply is
// judged as a reader will see it (see Fold): invisible characters,
// look-alikes, spelled-out digits and HTML character references do not
// hide anything, and characters that reorder the display refuse a public
// reply. Vet is the one decision every door calls (composer, API,
// approval, and the outbox just before sending). The checks are pure
// functions.
package guard

import (
	"slices"
	"strings"
	"unicode"

	"earshot/internal/analyze"
	"earshot/internal/model"
)

// Warning marks words that confirm a relationship, by UTF-8 byte offsets
// [Start, End) into the reply.
type Warning struct {
	Phrase string `json:"phrase"`
	Start  int    `json:"start"`
	End    int    `json:"end"`
}

// Result is the guard's verdict on one reply.
type Result struct {
	// Blocked: the reply must not go as it is (PHI, or hidden
	// characters, in public).
	Blocked bool `json:"blocked"`
	// PHI are the offending spans when Blocked.
	PHI []model.PHIFinding `json:"phi"`
	// Hidden are the bidirectional controls of a public reply, which
	// change how it is shown; any blocks it.
	Hidden []Hidden `json:"hidden"`
	// Warnings need an override reason before the reply may go.
	Warnings []Warning `json:"warnings"`
	// Reasons say, for each span of PHI and each warning, which words
	// and why, in an agent's words.
	Reasons []Reason `json:"reasons"`
	// Suggestion is the reply rewritten to keep its meaning without the
	// health details or the relationship, when the guard refuses it and
	// can offer one; "" otherwise.
	Suggestion string `json:"suggestion,omitempty"`
}

// Reason is why the guard marked some words of a reply: UTF-8 byte
// offsets [Start, End) into the reply, the words themselves, a kind
// ("diagnosis", "medication", "relative_care", "relationship", ...) and
// a sentence for the agent ("names a condition: say 'your concern'").
type Reason struct {
	Kind   string `json:"kind"`
	Phrase string `json:"phrase"`
	Start  int    `json:"start"`
	End    int    `json:"end"`
	Why    string `json:"why"`
}

// Contacts are the organisation's own phones, email addresses and web
// addresses (from its organisation file): the guard never marks them in
// a reply.
type Contacts struct {
	Phones []string
	Emails []string
	Links  []string
}

// Option configures a Guard.
type Option func(*Guard)

// WithContacts makes the guard ask contacts, on each check, for the
// organisation's own contact details (the organisation file may change
// while the guard lives).
func WithContacts(contacts func() Contacts) Option {
	return func(g *Guard) { g.contacts = contacts }
}

// NeedsReason reports whether the reply may go only with an override
// reason.
func (r Result) NeedsReason() bool { return !r.Blocked && len(r.Warnings) > 0 }

// Check judges a reply of the given visibility, given the PHI findings
// the analyzer made in its text (offsets into text as given), with no
// contacts of the organisation's. Findings are judged by the rules of
// assess: a name alone, for one, does not block.
func Check(text string, visibility model.Visibility, phi []model.PHIFinding) Result {
	if visibility == model.VisibilityPrivate {
		return emptyResult()
	}
	v := Fold(text)
	var ok []model.PHIFinding
	for _, f := range phi {
		if f.Start >= 0 && f.End <= len(text) && f.Start < f.End {
			ok = append(ok, f)
		}
	}
	return judge(text, &v, assess(text, ok, Contacts{}), identity{})
}

// emptyResult is the verdict on a reply with nothing to mark.
func emptyResult() Result {
	return Result{PHI: []model.PHIFinding{}, Hidden: []Hidden{}, Warnings: []Warning{}, Reasons: []Reason{}}
}

// spanner maps offsets of the text the guard read to the reply as given.
type spanner interface {
	Span(s, e int) (start, end int, ok bool)
}

// identity is the spanner of a reply read as given.
type identity struct{}

// Span returns s and e.
func (identity) Span(s, e int) (int, int, bool) { return s, e, true }

// judge is Check of a public reply whose folded view is v, given the
// spans the guard marked in the text it read (offsets mapped by m).
func judge(text string, v *View, spans []span, m spanner) Result {
	r := emptyResult()
	end := 0
	for _, sp := range spans {
		s, e, ok := m.Span(sp.start, sp.end)
		if !ok {
			continue
		}
		// Two spans that came from one character (the "1" and "0" of
		// "⑩") share it: the later starts where the earlier ends.
		if s = max(s, end); s >= e {
			continue
		}
		end = e
		if sp.blocks {
			r.PHI = append(r.PHI, model.PHIFinding{Type: sp.typ, Start: s, End: e})
		} else {
			r.Warnings = append(r.Warnings, Warning{Phrase: text[s:e], Start: s, End: e})
		}
		r.Reasons = append(r.Reasons, Reason{Kind: sp.kind, Phrase: text[s:e], Start: s, End: e, Why: why(sp.kind, text[s:e])})
	}
	r.Hidden = append(r.Hidden, v.Hidden...)
	r.Blocked = len(r.PHI) > 0 || len(r.Hidden) > 0
	if len(r.PHI) > 0 || len(r.Warnings) > 0 {
		r.Suggestion = suggest(text, r.Reasons)
	}
	return r
}

// Guard checks replies with an analyzer.
type Guard struct {
	an       *analyze.Analyzer
	contacts func() Contacts
}

// New returns a guard that finds PHI with an.
func New(an *analyze.Analyzer, opts ...Option) *Guard {
	g := &Guard{an: an, contacts: func() Contacts { return Contacts{} }}
	for _, o := range opts {
		o(g)
	}
	return g
}

// Check judges text, as a reader will see it (see Fold), as a reply of
// the given visibility. Offsets in the result are into text as given.
func (g *Guard) Check(text string, visibility model.Visibility) Result {
	if visibility == model.VisibilityPrivate {
		return emptyResult()
	}
	v := Fold(text)
	c := g.contacts()
	r := judge(text, &v, assess(v.Text, g.an.FindPHI(v.Text), c), &v)
	if r.Suggestion != "" {
		// The suggestion must itself go: when it would not, offer a
		// plainer reply, and at last one without the reply's own words.
		for _, s := range []string{r.Suggestion, plainReply(text), plainest} {
			if r.Suggestion = s; g.goes(s, c) {
				break
			}
		}
	}
	return r
}

// goes reports whether a public reply would go as it is, unwarned.
func (g *Guard) goes(text string, c Contacts) bool {
	v := Fold(text)
	return len(v.Hidden) == 0 && len(assess(v.Text, g.an.FindPHI(v.Text), c)) == 0 && len(Placeholders(v.Text)) == 0
}

// word is one ASCII-folded word and its byte span.
type word struct {
	w          string
	start, end int
}

// words splits text into lower-cased words of letters, digits, '-' and
// apostrophes, keeping byte offsets into text; a trailing possessive 's
// and edge hyphens or apostrophes are left out of a word. Other
// characters separate words.
func words(text string) []word {
	out := make([]word, 0, len(text)/5+1)
	start := -1
	emit := func(end int) {
		w := text[start:end]
		for _, suf := range possessives {
			if len(w) > len(suf) && strings.HasSuffix(w, suf) {
				w = w[:len(w)-len(suf)]
			}
		}
		lead := len(w) - len(strings.TrimLeft(w, "-'’"))
		w = strings.TrimRight(w[lead:], "-'’")
		if w != "" {
			out = append(out, word{w: strings.ToLower(w), start: start + lead, end: start + lead + len(w)})
		}
		start = -1
	}
	for i, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '\'' || r == '’' {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			emit(i)
		}
	}
	if start >= 0 {
		emit(len(text))
	}
	return out
}

// possessives end a word as its possessive 's.
var possessives = [...]string{"'s", "’s", "'S", "’S"}

// Relationship finds words that confirm a patient or member
// relationship, as a reader will see them (see Fold): the care of a
// relative and, without health details, the person's own.
func Relationship(text string) []Warning {
	v := Fold(text)
	out := []Warning{}
	for _, sp := range tidy(read(v.Text).relationships()) {
		if s, e, ok := v.Span(sp.start, sp.end); ok {
			out = append(out, Warning{Phrase: text[s:e], Start: s, End: e})
		}
	}
	return out
}

// NeedsApproval reports whether a reply waits for a supervisor: only when
// the organisation turned approval on, and only public replies that were
// sent over a warning or answer an urgent (or critical) case.
func NeedsApproval(approvalOn bool, visibility model.Visibility, overridden bool, c *model.Case) bool {
	if !approvalOn || visibility != model.VisibilityPublic {
		return false
	}
	return overridden || c.Priority == model.PriorityUrgent || c.Urgency == model.UrgencyCritical
}

// Placeholders finds template variables left unfilled in a reply: a name
// of ASCII letters, digits and underscores, starting with a letter, in
// braces, such as {first_name}, the syntax of reply templates. Each is
// returned once, braces included, in the order of first appearance; nil
// when there is none.
func Placeholders(text string) []string {
	var out []string
	for i := 0; i < len(text); i++ {
		if text[i] != '{' {
			continue
		}
		j := i + 1
		for j < len(text) && isNameByte(text[j], j == i+1) {
			j++
		}
		if j == i+1 || j >= len(text) || text[j] != '}' {
			continue
		}
		if p := text[i : j+1]; !slices.Contains(out, p) {
			out = append(out, p)
		}
		i = j
	}
	return out
}

// isNameByte reports whether b may stand in a placeholder's name; the
// first byte must be a letter.
func isNameByte(b byte, first bool) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z':
		return true
	case '0' <= b && b <= '9', b == '_':
		return !first
	}
	return false
}
