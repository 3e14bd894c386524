package web

import (
	"earshot/internal/guard"
	"earshot/internal/redact"
)

// hiddenSpans splits text at the invisible characters hs, each shown by
// its name rather than as itself, which would reorder what follows.
func hiddenSpans(text string, hs []guard.Hidden) []redact.Span {
	var out []redact.Span
	pos := 0
	for _, h := range hs {
		if h.Start < pos || h.End > len(text) || h.Start >= h.End {
			continue
		}
		if h.Start > pos {
			out = append(out, redact.Span{Text: text[pos:h.Start]})
		}
		out = append(out, redact.Span{Hidden: h.Char + " " + h.Name})
		pos = h.End
	}
	if pos < len(text) {
		out = append(out, redact.Span{Text: text[pos:]})
	}
	return out
}
