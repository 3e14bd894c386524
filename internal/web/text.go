package web

import (
	"sort"
	"unicode/utf8"

	"earshot/internal/analyze"
	"earshot/internal/guard"
	"earshot/internal/model"
)

// segment is a piece of outside text for a template: plain, or PHI shown
// highlighted (Mark) or hidden (Masked, Text empty), or an invisible
// character named by Hidden ("U+202E right-to-left override") and shown
// by that name instead.
type segment struct {
	Text   string
	PHI    bool
	Masked bool
	Type   string
	Hidden string
}

// segments splits text at the PHI findings. With mask the PHI text is
// left out entirely. Findings are untrusted offsets: out-of-range,
// overlapping or mid-character ones are clamped, merged or widened.
func segments(text string, phi []model.PHIFinding, mask bool) []segment {
	type span struct {
		start, end int
		typ        string
	}
	var spans []span
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
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var out []segment
	pos := 0
	for i := 0; i < len(spans); i++ {
		sp := spans[i]
		for i+1 < len(spans) && spans[i+1].start <= sp.end {
			sp.end = max(sp.end, spans[i+1].end)
			i++
		}
		if sp.start > pos {
			out = append(out, segment{Text: text[pos:sp.start]})
		}
		seg := segment{PHI: true, Type: sp.typ, Text: text[sp.start:sp.end]}
		if mask {
			seg.Text, seg.Masked = "", true
		}
		out = append(out, seg)
		pos = sp.end
	}
	if pos < len(text) {
		out = append(out, segment{Text: text[pos:]})
	}
	return out
}

// hiddenSegments splits text at the invisible characters hs, each shown
// by its name rather than as itself, which would reorder what follows.
func hiddenSegments(text string, hs []guard.Hidden) []segment {
	var out []segment
	pos := 0
	for _, h := range hs {
		if h.Start < pos || h.End > len(text) || h.Start >= h.End {
			continue
		}
		if h.Start > pos {
			out = append(out, segment{Text: text[pos:h.Start]})
		}
		out = append(out, segment{Hidden: h.Char + " " + h.Name})
		pos = h.End
	}
	if pos < len(text) {
		out = append(out, segment{Text: text[pos:]})
	}
	return out
}

// textView prepares outside text for display: PHI highlighted for roles
// that may see it, hidden for the others. When phi is nil and the text
// will be masked, the analyzer finds the PHI first.
func (s *Server) textView(text string, phi []model.PHIFinding, canSee bool) []segment {
	if !canSee && phi == nil {
		phi = s.cfg.Analyzer.Analyze(analyze.Input{Text: text, Direction: model.DirectionOutbound}).PHI
	}
	return segments(text, phi, !canSee)
}
