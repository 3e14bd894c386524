package analyze

import (
	"fmt"
	"io/fs"
	"unicode"
	"unicode/utf8"
)

// Token kinds.
const (
	tWord    uint8 = iota + 1 // letters (a hashtag's word too, with fHashtag)
	tNum                      // digits with inner separators
	tPunct                    // one punctuation or symbol character (runs collapsed)
	tEmoPos                   // positive emoji or emoticon
	tEmoNeg                   // negative emoji or emoticon
	tEmo                      // other emoji
	tMention                  // @handle
	tURL                      // a link
)

// Token flags.
const (
	fHashtag  uint8 = 1 << iota // word came from a #hashtag
	fCap                        // first letter upper case in the text
	fAllCaps                    // every letter upper case, two letters or more
	fNeg                        // inside a negation scope
	fAfterBut                   // after a contrast word ("but", "however")
	fElong                      // letters were repeated ("sooo")
)

// token is one unit of a text: where it is in the text and its normalised
// form in scratch.norm.
type token struct {
	s, e   int32    // byte offsets in the text
	ns, ne int32    // normalised form: scratch.norm[ns:ne]
	h      uint64   // fnv hash of the normalised form
	info   wordInfo // what the lexicons know of a word token
	kind   uint8
	flags  uint8
}

// scratch holds the per-call working memory of an analysis; it is pooled
// so a warm analysis does not allocate for tokens.
type scratch struct {
	norm  []byte
	toks  []token
	hits  []phraseHit
	feats []feat
	st    state // the analysis in progress
	// lookalike is set by tokenize when the text may hold look-alike
	// characters (see fold.go); fold and foldAt are the folded text and
	// its offsets into the original.
	lookalike bool
	fold      []byte
	foldAt    []int32
}

func (sc *scratch) word(t *token) []byte { return sc.norm[t.ns:t.ne] }

// FNV-1a, streamed so feature names can be hashed piecewise.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

func hashBytes(h uint64, b []byte) uint64 {
	for _, c := range b {
		h ^= uint64(c)
		h *= fnvPrime
	}
	return h
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// emoticon is a text emoticon and the token kind it makes (tEmoPos or
// tEmoNeg).
type emoticon struct {
	s    string
	kind uint8
}

// readPolarity reads a list of single words in two sections, [positive]
// then [negative], and returns their items in that order with the
// sections they came from.
func readPolarity(fsys fs.FS, file string) ([][]string, []section, error) {
	secs, err := readList(fsys, file)
	if err != nil {
		return nil, nil, err
	}
	groups, err := sectionsNamed(file, secs, []string{"positive", "negative"})
	if err != nil {
		return nil, nil, err
	}
	if err := singleWords(file, secs); err != nil {
		return nil, nil, err
	}
	return groups, secs, nil
}

// loadEmoticons reads emoticons.txt, in its order: matching takes the
// first that fits, so longer ones come first.
func loadEmoticons(fsys fs.FS) ([]emoticon, error) {
	groups, _, err := readPolarity(fsys, "emoticons.txt")
	if err != nil {
		return nil, err
	}
	var out []emoticon
	for i, kind := range []uint8{tEmoPos, tEmoNeg} {
		for _, e := range groups[i] {
			out = append(out, emoticon{s: e, kind: kind})
		}
	}
	return out, nil
}

// loadEmoji reads emoji.txt: emoji rune -> tEmoPos or tEmoNeg.
func loadEmoji(fsys fs.FS) (map[rune]uint8, error) {
	const file = "emoji.txt"
	groups, secs, err := readPolarity(fsys, file)
	if err != nil {
		return nil, err
	}
	m := map[rune]uint8{}
	for i, kind := range []uint8{tEmoPos, tEmoNeg} {
		for _, e := range groups[i] {
			r, size := utf8.DecodeRuneInString(e)
			if size != len(e) || r == utf8.RuneError {
				return nil, fmt.Errorf("word list %s [%s]: %q is not one character", file, secs[i].name, e)
			}
			if _, dup := m[r]; dup {
				return nil, fmt.Errorf("word list %s: %q listed twice", file, e)
			}
			m[r] = kind
		}
	}
	return m, nil
}

// tokenize splits text into sc.toks. text must already be bounded.
func tokenize(sc *scratch, text string) {
	lex := stdLexicons()
	sc.norm = sc.norm[:0]
	sc.toks = sc.toks[:0]
	sc.lookalike = false
	n := len(text)
	for i := 0; i < n; {
		c := text[i]
		switch {
		case c == ' ' || c == '\n' || c == '\t' || c == '\r':
			i++
		case c == '&' && i+1 < n && text[i+1] != ' ':
			// HTML entities as they come from some APIs.
			if hasPrefixFold(text[i:], "&lt;3") {
				sc.addFixed(text, i, i+5, tEmoPos, "<3")
				i += 5
				continue
			}
			if j := entityEnd(text, i); j > i {
				sc.addPunct(text, i, j, '&')
				i = j
			} else {
				sc.addPunct(text, i, i+1, '&')
				i++
			}
		case (c == 'h' || c == 'H') && hasPrefixFold(text[i:], "http"):
			j := i
			for j < n && text[j] != ' ' && text[j] != '\n' && text[j] != '\t' {
				if text[j] >= utf8.RuneSelf && !sc.lookalike {
					// A look-alike space may end the link.
					r, size := utf8.DecodeRuneInString(text[j:])
					sc.lookalike = mayFold(text, j, r, size)
				}
				j++
			}
			sc.addFixed(text, i, j, tURL, "http")
			i = j
		case c == '@' && i+1 < n && (isWordByte(text[i+1]) || isDigit(text[i+1]) || text[i+1] == '_'):
			j := i + 1
			for j < n && (isWordByte(text[j]) && text[j] < 0x80 || isDigit(text[j]) || text[j] == '_') {
				j++
			}
			sc.addFixed(text, i, j, tMention, "@")
			i = j
		case c == '#' && i+1 < n && isWordByte(text[i+1]):
			i = sc.addWord(text, i+1, fHashtag)
		case isDigit(c):
			j := i + 1
			for j < n {
				if isDigit(text[j]) {
					j++
				} else if (text[j] == '.' || text[j] == ',' || text[j] == ':' || text[j] == '/' || text[j] == '-') && j+1 < n && isDigit(text[j+1]) {
					j += 2
				} else {
					break
				}
			}
			sc.addNum(text, i, j)
			i = j
		case c < 0x80 && isWordByte(c):
			i = sc.addWord(text, i, 0)
		case c >= 0x80:
			r, size := utf8.DecodeRuneInString(text[i:])
			if k := emojiKind(lex.emoji, r); k != 0 {
				if r == utf8.RuneError {
					i += size
					continue
				}
				sc.addFixed(text, i, i+size, k, text[i:i+size])
				i += size
				continue
			}
			if unicode.IsLetter(r) {
				i = sc.addWord(text, i, 0)
				continue
			}
			if !sc.lookalike {
				sc.lookalike = mayFold(text, i, r, size)
			}
			if r == '’' {
				i += size
				continue
			}
			if r == '…' {
				sc.addPunct(text, i, i+size, '.')
			}
			if r == '¿' {
				// Spanish opens a question with it.
				sc.addPunct(text, i, i+size, '?')
			}
			i += size
		default:
			if k, e := matchEmoticon(lex.emoticons, text, i); k != 0 {
				sc.addFixed(text, i, e, k, text[i:e])
				i = e
				continue
			}
			j := i + 1
			for j < n && text[j] == c {
				j++
			}
			sc.addPunct(text, i, j, c)
			i = j
		}
	}
	markScopes(sc)
}

func hasPrefixFold(s, p string) bool {
	if len(s) < len(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != p[i] {
			return false
		}
	}
	return true
}

func entityEnd(text string, i int) int {
	for _, e := range [...]string{"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"} {
		if len(text)-i >= len(e) && text[i:i+len(e)] == e {
			return i + len(e)
		}
	}
	return i
}

func matchEmoticon(emoticons []emoticon, text string, i int) (uint8, int) {
	switch text[i] {
	case ':', ';', '(', '<', '^', '=', ')', '>':
	default:
		return 0, i
	}
	for _, em := range emoticons {
		if em.s[0] == text[i] && len(text)-i >= len(em.s) && text[i:i+len(em.s)] == em.s {
			e := i + len(em.s)
			// Letters right after (":Dallas", ":param") are not emoticons.
			if e < len(text) && (isWordByte(text[e]) || isDigit(text[e])) {
				continue
			}
			// A letter emoticon (":D", ":P") needs a non-letter before it.
			if i > 0 && isWordByte(text[i-1]) && isWordByte(em.s[0]) {
				continue
			}
			return em.kind, e
		}
	}
	return 0, i
}

func (sc *scratch) push(t token) {
	t.h = hashBytes(fnvOffset, sc.norm[t.ns:t.ne])
	sc.toks = append(sc.toks, t)
}

func (sc *scratch) addFixed(text string, s, e int, kind uint8, norm string) {
	ns := len(sc.norm)
	sc.norm = append(sc.norm, norm...)
	sc.push(token{s: int32(s), e: int32(e), ns: int32(ns), ne: int32(len(sc.norm)), kind: kind})
}

func (sc *scratch) addPunct(text string, s, e int, c byte) {
	ns := len(sc.norm)
	sc.norm = append(sc.norm, c)
	sc.push(token{s: int32(s), e: int32(e), ns: int32(ns), ne: int32(len(sc.norm)), kind: tPunct})
}

func (sc *scratch) addNum(text string, s, e int) {
	ns := len(sc.norm)
	sc.norm = append(sc.norm, text[s:e]...)
	sc.push(token{s: int32(s), e: int32(e), ns: int32(ns), ne: int32(len(sc.norm)), kind: tNum})
}

// addWord reads a word starting at s: letters, with inner apostrophes,
// hyphens and digits. Apostrophes are dropped, letters lower-cased and
// runs of three or more of the same letter cut to two.
func (sc *scratch) addWord(text string, s int, flags uint8) int {
	// The normalised form is built in a local slice and hashed as it
	// grows; sc.norm takes it back at the end.
	norm := sc.norm
	ns := len(norm)
	h := uint64(fnvOffset)
	n := len(text)
	i := s
	upper, letters := 0, 0
	var last rune = -1
	run := 0
loop:
	for i < n {
		c := text[i]
		if c < 0x80 {
			switch {
			case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
				letters++
				if c <= 'Z' {
					upper++
					if i == s {
						flags |= fCap
					}
					c += 'a' - 'A'
				}
				if rune(c) == last {
					run++
				} else {
					last, run = rune(c), 1
				}
				if run <= 2 {
					norm = append(norm, c)
					h = (h ^ uint64(c)) * fnvPrime
				} else {
					flags |= fElong
				}
				i++
				continue
			case isDigit(c) || c == '_':
				norm = append(norm, c)
				h = (h ^ uint64(c)) * fnvPrime
				last, run = -1, 0
				i++
				continue
			case (c == '\'' || c == '-') && i+1 < n && isWordByte(text[i+1]):
				if c == '-' {
					norm = append(norm, c)
					h = (h ^ uint64(c)) * fnvPrime
				}
				i++
				continue
			}
			break loop
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == '’' && i+size < n && isWordByte(text[i+size]) {
			i += size
			continue
		}
		if !unicode.IsLetter(r) && !unicode.IsMark(r) {
			break loop
		}
		if r >= 0xFF21 && r <= 0xFF5A {
			sc.lookalike = true // a full-width letter
		}
		letters++
		if unicode.IsUpper(r) {
			upper++
			if i == s {
				flags |= fCap
			}
		}
		m := len(norm)
		norm = utf8.AppendRune(norm, unicode.ToLower(r))
		h = hashBytes(h, norm[m:])
		last, run = -1, 0
		i += size
	}
	sc.norm = norm
	if i == s {
		// A "#" before a character that is not a letter ("#５１２"):
		// the caller moves on by one byte, so the character is not
		// seen by tokenize; note it here if it may be a look-alike.
		if !sc.lookalike {
			r, size := utf8.DecodeRuneInString(text[s:])
			sc.lookalike = mayFold(text, s, r, size)
		}
		return s + 1
	}
	if letters >= 2 && upper == letters {
		flags |= fAllCaps
	}
	start := s
	if flags&fHashtag != 0 {
		start = s - 1
	}
	sc.toks = append(sc.toks, token{s: int32(start), e: int32(i), ns: int32(ns), ne: int32(len(norm)), kind: tWord, flags: flags, h: h})
	return i
}

// markScopes flags tokens inside negation scopes (up to three words after
// a negator, ended by punctuation) and after contrast words.
func markScopes(sc *scratch) {
	words := stdLexicons().words
	neg := 0
	but := false
	for i := range sc.toks {
		t := &sc.toks[i]
		if but {
			t.flags |= fAfterBut
		}
		switch t.kind {
		case tPunct:
			c := sc.norm[t.ns]
			if c == '.' || c == '!' || c == '?' || c == ',' || c == ';' || c == ':' {
				neg = 0
			}
			continue
		case tWord:
			t.info, _ = words.get(t.h)
		default:
			continue
		}
		if t.info.cls&clsContrast != 0 {
			but = true
			neg = 0
			continue
		}
		if neg > 0 {
			t.flags |= fNeg
			neg--
		}
		if t.info.cls&clsNegator != 0 {
			neg = 3
		}
	}
}

// emojiKind classifies a rune as a positive or negative emoji (polar,
// from emoji.txt) or another emoji, or returns 0 for a non-emoji.
func emojiKind(polar map[rune]uint8, r rune) uint8 {
	if k, ok := polar[r]; ok {
		return k
	}
	if r >= 0x1F300 && r <= 0x1FAFF || r >= 0x2600 && r <= 0x27BF || r == 0xFE0F || r >= 0x1F1E6 && r <= 0x1F1FF {
		return tEmo
	}
	if r == utf8.RuneError {
		return tEmo
	}
	return 0
}
