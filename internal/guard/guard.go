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
	"cmp"
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
// the analyzer made in its text (offsets into text as given).
func Check(text string, visibility model.Visibility, phi []model.PHIFinding) Result {
	if visibility == model.VisibilityPrivate {
		return Result{PHI: []model.PHIFinding{}, Hidden: []Hidden{}, Warnings: []Warning{}, Reasons: []Reason{}}
	}
	v := Fold(text)
	return judge(text, &v, phi)
}

// judge is Check of a public reply whose folded view is v.
func judge(text string, v *View, phi []model.PHIFinding) Result {
	r := Result{PHI: []model.PHIFinding{}, Hidden: []Hidden{}, Warnings: []Warning{}, Reasons: []Reason{}}
	for _, f := range phi {
		if f.Start >= 0 && f.End <= len(text) && f.Start < f.End {
			r.PHI = append(r.PHI, f)
		}
	}
	r.Hidden = append(r.Hidden, v.Hidden...)
	r.Blocked = len(r.PHI) > 0 || len(r.Hidden) > 0
	r.Warnings = v.relationship(text)
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
		return Check(text, visibility, nil)
	}
	v := Fold(text)
	phi := v.findings(g.an.FindPHI(v.Text))
	if v.accented {
		// Names are found with their accents: "José" is not the
		// "Jose" the name finder knows, and today's verdict on a
		// reply that names a colleague stays.
		a := foldAccents(text)
		phi = withNames(phi, a.findings(g.an.FindPHI(a.Text)))
	}
	return judge(text, &v, phi)
}

// withNames returns the findings of phi but names, and the names of
// named that overlap none of those, in order.
func withNames(phi, named []model.PHIFinding) []model.PHIFinding {
	out := slices.DeleteFunc(phi, func(f model.PHIFinding) bool { return f.Type == analyze.PHIName })
	kept := len(out)
	for _, n := range named {
		if n.Type != analyze.PHIName {
			continue
		}
		if !slices.ContainsFunc(out[:kept], func(f model.PHIFinding) bool { return f.Start < n.End && n.Start < f.End }) {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, func(a, b model.PHIFinding) int { return cmp.Compare(a.Start, b.Start) })
	return out
}

// findings maps PHI findings in v.Text to the original text. Two
// findings that came from one character (such as the "1" and "0" of
// "⑩") share it: the later starts where the earlier ends, or goes.
func (v *View) findings(phi []model.PHIFinding) []model.PHIFinding {
	out := make([]model.PHIFinding, 0, len(phi))
	end := 0
	for _, f := range phi {
		s, e, ok := v.Span(f.Start, f.End)
		if !ok {
			continue
		}
		s = max(s, end)
		if s >= e {
			continue
		}
		f.Start, f.End, end = s, e, e
		out = append(out, f)
	}
	return out
}

// relationshipNouns follow "your" (possibly after a qualifier such as
// "recent") in words that tell the public the person is a patient or
// member.
var relationshipNouns = map[string]bool{
	"visit": true, "visits": true, "stay": true, "admission": true, "discharge": true, "claim": true, "claims": true,
	"surgery": true, "surgeries": true, "procedure": true, "operation": true, "prescription": true, "prescriptions": true,
	"medication": true, "medications": true, "meds": true, "appointment": true, "appointments": true, "doctor": true,
	"doctors": true, "physician": true, "surgeon": true, "nurse": true, "provider": true, "treatment": true,
	"diagnosis": true, "condition": true, "test": true, "tests": true, "results": true, "lab": true, "labs": true,
	"scan": true, "mri": true, "biopsy": true, "therapy": true, "bill": true, "bills": true, "coverage": true,
	"plan": true, "policy": true, "premium": true, "deductible": true, "copay": true, "benefits": true, "chart": true,
	"records": true, "referral": true, "delivery": true, "care": true, "case": true, "member": true, "membership": true,
	"pharmacy": true, "refill": true, "eob": true, "infusion": true, "pregnancy": true, "birth": true,
}

// relationshipQualifiers may stand between "your" and the noun.
var relationshipQualifiers = map[string]bool{
	"recent": true, "last": true, "latest": true, "next": true, "upcoming": true, "scheduled": true, "medical": true,
	"hospital": true, "insurance": true, "health": true, "new": true, "current": true, "previous": true, "er": true, "clinic": true, "dental": true, "lab": true, "test": true, "surgical": true, "follow-up": true, "followup": true,
}

// relationshipPhrases confirm a relationship without "your".
var relationshipPhrases = [][]string{
	{"as", "our", "patient"}, {"as", "a", "patient"}, {"as", "our", "member"}, {"as", "a", "member"},
	{"you", "were", "seen"}, {"you", "were", "admitted"}, {"you", "were", "treated"}, {"when", "you", "were", "here"},
	{"our", "records", "show"}, {"we", "see", "that", "you"}, {"in", "your", "file"}, {"on", "your", "account"},
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
	var out []word
	start := -1
	emit := func(end int) {
		w := text[start:end]
		for _, suf := range []string{"'s", "’s", "'S", "’S"} {
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

// Relationship finds words that confirm a patient or member
// relationship, as a reader will see them (see Fold).
func Relationship(text string) []Warning {
	v := Fold(text)
	return v.relationship(text)
}

// relationship finds the relationship words of v.Text and marks them in
// text, the original.
func (v *View) relationship(text string) []Warning {
	out := []Warning{}
	for _, w := range relationshipSpans(v.Text) {
		if s, e, ok := v.Span(w[0], w[1]); ok {
			out = append(out, Warning{Phrase: text[s:e], Start: s, End: e})
		}
	}
	return out
}

// relationshipSpans returns the spans of text that confirm a
// relationship.
func relationshipSpans(text string) [][2]int {
	ws := words(text)
	out := [][2]int{}
	for i := 0; i < len(ws); i++ {
		if ws[i].w == "your" {
			for j := i + 1; j < len(ws) && j <= i+3; j++ {
				if relationshipNouns[ws[j].w] {
					out = append(out, [2]int{ws[i].start, ws[j].end})
					i = j
					break
				}
				if !relationshipQualifiers[ws[j].w] {
					break
				}
			}
			continue
		}
		for _, p := range relationshipPhrases {
			if i+len(p) > len(ws) {
				continue
			}
			match := true
			for k, pw := range p {
				if ws[i+k].w != pw {
					match = false
					break
				}
			}
			if match {
				out = append(out, [2]int{ws[i].start, ws[i+len(p)-1].end})
				i += len(p) - 1
				break
			}
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
