package guard

import (
	_ "embed"
	"fmt"
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// A reply is judged as a reader will see it, not as its bytes spell it:
// "5​1​2" with zero-width spaces, "①②③", "&#53;", "diаbetes" with a
// Cyrillic а and "five one two" all read as plain digits and words.
// Fold builds that reading, and keeps for every byte of it the span of
// the original text it came from, so that findings made in the folded
// text mark the original (the composer highlights them there, and API
// offsets stay UTF-8 byte offsets into the text as sent).
//
// Bidirectional controls are the one thing folding cannot undo: a
// right-to-left override shows "987654321HJX" as "XJH123456789", and
// even a right-to-left mark reorders the groups of a number. Rather than
// reimplement the Unicode bidirectional algorithm to guess the display,
// a public reply that holds one is refused (see Hidden); no ordinary
// reply needs them.

// View is a text as a reader sees it.
type View struct {
	// Text is the folded text: HTML character references decoded,
	// compatibility forms (NFKC) and look-alikes folded to what they read
	// as, invisible characters and combining marks left out, and runs of
	// spelled-out digits written as digits.
	Text string
	// from and to hold, for each byte of Text, the span of the original
	// text it came from.
	from, to []int32
	// Hidden lists the bidirectional controls of the original text.
	Hidden []Hidden
}

// Hidden is a character that changes how a text is shown without being
// seen itself, by UTF-8 byte offsets [Start, End) into the text.
type Hidden struct {
	// Char is the code point, as "U+202E".
	Char string `json:"char"`
	// Name says what it does, as "right-to-left override".
	Name  string `json:"name"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Span returns the span of the original text that bytes [s, e) of
// v.Text came from; ok is false when [s, e) is empty or out of range.
func (v *View) Span(s, e int) (start, end int, ok bool) {
	if s < 0 || e > len(v.Text) || s >= e {
		return 0, 0, false
	}
	return int(v.from[s]), int(v.to[e-1]), true
}

// bidiControls are the characters that reorder a text's display.
var bidiControls = map[rune]string{
	0x061C: "Arabic letter mark", 0x200E: "left-to-right mark", 0x200F: "right-to-left mark",
	0x202A: "left-to-right embedding", 0x202B: "right-to-left embedding", 0x202C: "pop directional formatting",
	0x202D: "left-to-right override", 0x202E: "right-to-left override", 0x2066: "left-to-right isolate",
	0x2067: "right-to-left isolate", 0x2068: "first strong isolate", 0x2069: "pop directional isolate",
}

// unit is one character of a text being folded and the span of the
// original text it came from.
type unit struct {
	r    rune
	s, e int32
}

// Fold returns text as a reader sees it: "diábetes" (or "d̈iabetes") is
// diabetes. It never fails: invalid UTF-8 reads as U+FFFD.
func Fold(text string) View {
	var v View
	units := decodeReferences(text)
	out := make([]unit, 0, len(units))
	var buf []byte
	for _, u := range units {
		if u.r < utf8.RuneSelf {
			out = append(out, u)
			continue
		}
		if name, ok := bidiControls[u.r]; ok {
			v.Hidden = append(v.Hidden, Hidden{Char: fmt.Sprintf("U+%04X", u.r), Name: name, Start: int(u.s), End: int(u.e)})
			continue
		}
		out, buf = foldRune(out, u, buf)
	}
	out = spellDigits(out)
	var b []byte
	v.from, v.to = make([]int32, 0, len(out)), make([]int32, 0, len(out))
	for _, u := range out {
		n := len(b)
		b = utf8.AppendRune(b, u.r)
		for range len(b) - n {
			v.from, v.to = append(v.from, u.s), append(v.to, u.e)
		}
	}
	v.Text = string(b)
	return v
}

// decodeReferences reads text into units, each HTML character reference
// ("&#53;", "&#x35;", "&commat;", "&amp;") decoded to the characters it
// stands for, which all come from the whole reference.
func decodeReferences(text string) []unit {
	out := make([]unit, 0, len(text))
	for i := 0; i < len(text); {
		if text[i] == '&' {
			if j, dec := referenceAt(text, i); j > i {
				for _, r := range dec {
					out = append(out, unit{r, int32(i), int32(j)})
				}
				i = j
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		out = append(out, unit{r, int32(i), int32(i + size)})
		i += size
	}
	return out
}

// maxReference bounds the length of a character reference's name.
const maxReference = 40

// referenceAt decodes the character reference that may start at text[i]
// ('&') as a browser does (the ';' may be missing), returning its end and
// what it stands for, or i when none starts there.
func referenceAt(text string, i int) (int, string) {
	j := i + 1
	if j < len(text) && text[j] == '#' {
		j++
		if j < len(text) && (text[j] == 'x' || text[j] == 'X') {
			j++
		}
	}
	for j < len(text) && j-i < maxReference && isASCIIAlnum(text[j]) {
		j++
	}
	if j < len(text) && text[j] == ';' {
		j++
	}
	ref := text[i:j]
	dec := html.UnescapeString(ref)
	if dec == ref {
		return i, ""
	}
	return j, dec
}

func isASCIIAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// foldRune appends what the non-ASCII character u reads as to out; buf
// is scratch space, returned for reuse.
func foldRune(out []unit, u unit, buf []byte) ([]unit, []byte) {
	if s, ok := lookalikes[u.r]; ok {
		return appendRead(out, s, u), buf
	}
	if invisible(u.r) {
		return out, buf
	}
	if 0xAC00 <= u.r && u.r <= 0xD7A3 {
		// Hangul syllables decompose into jamo, which read the same.
		return append(out, u), buf
	}
	// Compatibility folding, one character at a time, is enough: the
	// marks it would reorder are left out.
	var rb [utf8.UTFMax]byte
	buf = norm.NFKD.Append(buf[:0], rb[:utf8.EncodeRune(rb[:], u.r)]...)
	for _, q := range string(buf) {
		switch s, ok := lookalikes[q]; {
		case ok:
			out = appendRead(out, s, u)
		case isMark(q) || invisible(q):
			// Combining accents, strokes and enclosing keycaps: the
			// reader sees the character beneath.
		default:
			out = append(out, unit{q, u.s, u.e})
		}
	}
	return out, buf
}

// isMark reports a combining mark that stands on the character before
// (an accent, a stroke, an enclosing keycap).
func isMark(r rune) bool { return unicode.In(r, unicode.Mn, unicode.Me) }

// appendRead appends the characters of s, each from u's span.
func appendRead(out []unit, s string, u unit) []unit {
	for _, r := range s {
		out = append(out, unit{r, u.s, u.e})
	}
	return out
}

// invisible reports characters that show nothing: format characters
// (zero-width space, joiners, soft hyphen, word joiner, BOM, tags),
// variation selectors and the other default-ignorable code points
// (Hangul fillers, the combining grapheme joiner).
func invisible(r rune) bool {
	return unicode.In(r, unicode.Cf, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector)
}

// numTok is a word or a run of ASCII digits among the units being
// folded.
type numTok struct {
	a, b   int    // units [a, b)
	number bool   // digits, or a word that reads as digits
	spelt  bool   // a word ("five"), not digits
	digits string // what a digit word reads as
	times  int    // 2 or 3 for "double" or "triple"
}

// spellDigits writes runs of spelled-out digits as digits: "five one
// two, five five five" reads as "512 555". A run is two or more digit
// words or groups of digits, at least one of them a word, apart by
// white space and at most one of "-.,/". Inside a run, white space next
// to a word goes and a separator stays (a comma as a space), as the
// number would be written in digits.
func spellDigits(us []unit) []unit {
	toks := numTokens(us)
	if len(toks) < 2 {
		return us
	}
	out := make([]unit, 0, len(us))
	done := 0 // units copied to out so far
	for i := 0; i < len(toks); {
		j := runEnd(us, toks, i)
		spelt := false
		for _, t := range toks[i:j] {
			spelt = spelt || t.spelt
		}
		if j-i < 2 || !spelt {
			i = max(j, i+1)
			continue
		}
		out = append(out, us[done:toks[i].a]...)
		for k := i; k < j; k++ {
			t := toks[k]
			if k > i {
				out = appendGap(out, us[toks[k-1].b:t.a], toks[k-1].spelt || t.spelt)
			}
			if t.times > 0 {
				// "double five": the digits come from both words.
				next := toks[k+1]
				span := unit{s: us[t.a].s, e: us[next.b-1].e}
				out = appendRead(out, strings.Repeat(next.digits, t.times), span)
				k++
				continue
			}
			if !t.spelt {
				out = append(out, us[t.a:t.b]...)
				continue
			}
			out = appendRead(out, t.digits, unit{s: us[t.a].s, e: us[t.b-1].e})
		}
		done = toks[j-1].b
		i = j
	}
	return append(out, us[done:]...)
}

// runEnd returns the end of the run of numbers that starts at toks[i]
// (i itself when none starts there).
func runEnd(us []unit, toks []numTok, i int) int {
	if !toks[i].number {
		return i
	}
	j := i + 1
	for j < len(toks) && toks[j].number && numberGap(us[toks[j-1].b:toks[j].a]) {
		j++
	}
	// "double" must have its digit word after it.
	for j > i && toks[j-1].times > 0 {
		j--
	}
	for k := i; k < j; k++ {
		if toks[k].times > 0 && (!toks[k+1].spelt || toks[k+1].times > 0) {
			return k
		}
	}
	return j
}

// numberGap reports whether units between two numbers keep them in one
// run: white space and at most one of "-.,/", four characters at most.
func numberGap(gap []unit) bool {
	if len(gap) > 4 {
		return false
	}
	seps := 0
	for _, u := range gap {
		switch {
		case u.r == '-' || u.r == '.' || u.r == ',' || u.r == '/':
			seps++
		case !unicode.IsSpace(u.r):
			return false
		}
	}
	return seps <= 1
}

// appendGap appends what stays of the gap between two numbers of a run:
// its separator, or its white space when both are digits.
func appendGap(out, gap []unit, spelt bool) []unit {
	for _, u := range gap {
		switch u.r {
		case '-', '.', '/':
			return append(out, u)
		case ',':
			return append(out, unit{' ', u.s, u.e})
		}
	}
	if spelt {
		return out
	}
	return append(out, gap...)
}

// numTokens returns the words and runs of ASCII digits of us, each word
// with the digits it reads as.
func numTokens(us []unit) []numTok {
	var toks []numTok
	for i := 0; i < len(us); {
		r := us[i].r
		j := i + 1
		switch {
		case '0' <= r && r <= '9':
			for j < len(us) && '0' <= us[j].r && us[j].r <= '9' {
				j++
			}
			toks = append(toks, numTok{a: i, b: j, number: true})
		case unicode.IsLetter(r):
			for j < len(us) && unicode.IsLetter(us[j].r) {
				j++
			}
			t := numTok{a: i, b: j, spelt: true}
			if w, ok := asciiLower(us[i:j]); ok {
				d, ok := digitWords[w]
				t.number, t.digits, t.times = ok, d.digits, d.times
			}
			toks = append(toks, t)
		}
		i = j
	}
	return toks
}

// asciiLower returns a short word of ASCII letters in lower case; ok
// is false for a longer word or one with other letters.
func asciiLower(us []unit) (string, bool) {
	if len(us) > maxDigitWord {
		return "", false
	}
	var w [maxDigitWord]byte
	for k, u := range us {
		if u.r >= utf8.RuneSelf {
			return "", false
		}
		w[k] = byte(u.r) | 0x20
	}
	return string(w[:len(us)]), true
}

// digitWord is what a spelled-out digit reads as.
type digitWord struct {
	digits string
	times  int
}

// maxDigitWord is the length of the longest digit word.
const maxDigitWord = 6

//go:embed digitwords.txt
var digitWordsFile string

//go:embed confusables.txt
var confusablesFile string

// digitWords and lookalikes are the folding tables, from their data
// files.
var (
	digitWords = loadTable(digitWordsFile, func(k, v string) (string, digitWord) {
		if strings.HasPrefix(v, "*") {
			return k, digitWord{times: int(v[1] - '0')}
		}
		return k, digitWord{digits: v}
	})
	lookalikes = loadTable(confusablesFile, func(k, v string) (rune, string) {
		r, _ := utf8.DecodeRuneInString(k)
		return r, v
	})
)

// loadTable reads a data file of tab-separated key and value lines,
// with '#' comments, into a map. The files are embedded and checked by
// the tests, so a malformed line is a programming error.
func loadTable[K comparable, V any](file string, entry func(k, v string) (K, V)) map[K]V {
	m := map[K]V{}
	for line := range strings.Lines(file) {
		line, _, _ = strings.Cut(line, "#")
		k, v, ok := strings.Cut(strings.TrimSpace(line), "\t")
		if !ok {
			if strings.TrimSpace(line) != "" {
				panic("guard: malformed table line " + line)
			}
			continue
		}
		key, val := entry(k, strings.TrimSpace(v))
		m[key] = val
	}
	return m
}
