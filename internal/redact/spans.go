package redact

import (
	"slices"
	"strings"
	"unicode/utf8"

	"earshot/internal/analyze"
	"earshot/internal/model"
)

// Span is a piece of a text: plain, or health information, either as
// written (PHI) or replaced by its label (PHI and Masked).
type Span struct {
	Text   string
	PHI    bool
	Masked bool
	// Type is the finding's type (analyze.PHIDate, ...) for PHI spans.
	Type string
	// Hidden names an invisible character shown by its name instead of
	// itself ("U+202E right-to-left override"), which would reorder
	// what follows; Text is empty.
	Hidden string
}

// Split cuts text at the PHI findings phi. With mask each PHI span's text
// is its Label instead. Findings are untrusted offsets: out-of-range ones
// are clamped, overlapping ones merged (the earliest gives the type) and
// mid-character ones widened to whole characters, so that no byte of a
// finding is left in a masked text.
func Split(text string, phi []model.PHIFinding, mask bool) []Span {
	type span struct {
		start, end int
		typ        string
	}
	spans := make([]span, 0, len(phi))
	for _, f := range phi {
		a, b := max(f.Start, 0), min(f.End, len(text))
		if a >= b {
			continue
		}
		for a > 0 && !utf8.RuneStart(text[a]) {
			a--
		}
		for b < len(text) && !utf8.RuneStart(text[b]) {
			b++
		}
		spans = append(spans, span{a, b, f.Type})
	}
	slices.SortStableFunc(spans, func(x, y span) int { return x.start - y.start })
	var out []Span
	pos := 0
	for i := 0; i < len(spans); i++ {
		sp := spans[i]
		for i+1 < len(spans) && spans[i+1].start <= sp.end {
			sp.end = max(sp.end, spans[i+1].end)
			i++
		}
		if sp.start > pos {
			out = append(out, Span{Text: text[pos:sp.start]})
		}
		seg := Span{PHI: true, Type: sp.typ, Text: text[sp.start:sp.end]}
		if mask {
			seg.Text, seg.Masked = Label(sp.typ), true
		}
		out = append(out, seg)
		pos = sp.end
	}
	if pos < len(text) {
		out = append(out, Span{Text: text[pos:]})
	}
	return out
}

// Join returns the text the spans make and the findings that mark their
// PHI spans in it, by byte offsets: for masked spans, where each label
// stands.
func Join(spans []Span) (string, []model.PHIFinding) {
	var b strings.Builder
	phi := []model.PHIFinding{}
	for _, s := range spans {
		if s.PHI {
			phi = append(phi, model.PHIFinding{Type: s.Type, Start: b.Len(), End: b.Len() + len(s.Text)})
		}
		b.WriteString(s.Text)
	}
	return b.String(), phi
}

// Label is what a masked reader reads in place of health information of
// type typ: "[date]", "[claim number]", "[SSN]"; "[health information]"
// for a type the analyzer does not name.
func Label(typ string) string {
	switch {
	case typ == analyze.PHISSN:
		return "[SSN]"
	case slices.Contains(analyze.PHITypes, typ):
		return "[" + strings.ReplaceAll(typ, "_", " ") + "]"
	}
	return "[health information]"
}

// memberIDShown is how many trailing characters of a member identifier a
// masked reader reads, and memberIDMinimum how long the identifier must
// be for that: a short one is hidden whole.
const (
	memberIDShown   = 4
	memberIDMinimum = 8
)

// MaskMemberID returns a member identifier as a masked reader reads it:
// its last four characters after dots ("••••6789"), or dots alone for an
// identifier shorter than eight characters.
func MaskMemberID(id string) string {
	const dots = "••••"
	if utf8.RuneCountInString(id) < memberIDMinimum {
		return dots
	}
	cut := len(id)
	for range memberIDShown {
		_, size := utf8.DecodeLastRuneInString(id[:cut])
		cut -= size
	}
	return dots + id[cut:]
}
