package ftsindex

import (
	"strings"
	"unicode"
)

// Query turns free text into an FTS5 query that ANDs its words, as
// PostgreSQL's plainto_tsquery does: a word is a run of letters and
// digits (see tokenRune), so that "NEAR(desk" is the words near and
// desk, as on PostgreSQL, not a phrase, and no character of the input is
// read as query syntax. Anything else separates words: PostgreSQL's
// parser drops symbols such as emoji, which FTS5 looked for ("🙂 card"
// found nothing on SQLite). It returns "" when there is no word: a
// search for nothing finds nothing.
func Query(q string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(q, func(r rune) bool { return !tokenRune(r) }) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		// Quoted, as a word of letters may be an operator (OR, NEAR).
		b.WriteByte('"')
		b.WriteString(w)
		b.WriteByte('"')
	}
	return b.String()
}

// tokenRune reports whether the index's tokenizer (FTS5's unicode61,
// whose token characters are by default those of the Unicode categories
// L*, N* and Co) keeps r in a word.
func tokenRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r)
}
