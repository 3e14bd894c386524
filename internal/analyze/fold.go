package analyze

import (
	"unicode"
	"unicode/utf8"
)

// Look-alike characters: Unicode characters that people (or their
// keyboards, phones and word processors) write in place of the ASCII
// digits, hyphens, spaces and letters of a phone, member or card number,
// such as "512–555–0199" with en dashes or "５１２-５５５-０１９９" with
// full-width digits. The PHI scanners read ASCII, so before they run the
// text is folded: each look-alike becomes its ASCII equivalent and every
// finding is mapped back to the original text.
//
// The sentiment, intent and urgency stages read the original text: only
// PHI detection sees the folded one.

// Look-alike classes, as lookalike returns them.
const (
	lookNone   uint8 = iota // not a look-alike
	lookAlways              // folds wherever it stands
	lookDash                // en or em dash: folds only inside a number (see foldLookalikes)
)

// lookalike returns the ASCII byte that r stands for and how it folds.
func lookalike(r rune) (byte, uint8) {
	if r < 0xA0 {
		return 0, lookNone
	}
	if r >= 0xFF01 && r <= 0xFF5E {
		// Full-width ASCII: digits, letters, "＠", "．", "－", "（" ...
		return byte(r - 0xFEE0), lookAlways
	}
	switch r {
	case 0x00A0, 0x2007, 0x2008, 0x2009, 0x200A, 0x202F, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x205F, 0x3000:
		// No-break, figure, punctuation, thin, hair, narrow no-break,
		// en, em, medium and ideographic spaces.
		return ' ', lookAlways
	case 0x2010, 0x2011, 0x2012, 0x2212, 0xFE63:
		// Hyphen, non-breaking hyphen, figure dash, minus sign, small
		// hyphen-minus.
		return '-', lookAlways
	case 0x2013, 0x2014, 0x2015:
		// En dash, em dash, horizontal bar: between words they are
		// punctuation ("care—terrible"), inside numbers separators.
		return '-', lookDash
	case 0xFE6B:
		return '@', lookAlways // small commercial at
	case 0xFE52:
		return '.', lookAlways // small full stop
	}
	if d, ok := digitValue(r); ok {
		return '0' + d, lookAlways
	}
	return 0, lookNone
}

// digitValue returns the value of a decimal digit of any script (Unicode
// category Nd), such as "٣" or "３".
func digitValue(r rune) (byte, bool) {
	if r < 0x0660 || r >= 0x2000 && r < 0xA620 || !unicode.Is(unicode.Nd, r) {
		// No decimal digit lies below U+0660 but ASCII's, nor between
		// U+2000 and U+A620 (punctuation, symbols, CJK), where most
		// non-ASCII punctuation is; TestDigitValue holds this.
		return 0, false
	}
	// Decimal digits come in runs of ten from zero to nine, so the
	// value is the distance from the start of the table range modulo
	// ten (TestDigitValue checks this for every Nd character).
	for _, rg := range unicode.Nd.R16 {
		if r >= rune(rg.Lo) && r <= rune(rg.Hi) {
			return byte((r - rune(rg.Lo)) % 10), true
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if r >= rune(rg.Lo) && r <= rune(rg.Hi) {
			return byte((r - rune(rg.Lo)) % 10), true
		}
	}
	return 0, false
}

// foldLookalikes writes text with its look-alikes replaced by their ASCII
// equivalents to sc.fold, and to sc.foldAt, for each byte of sc.fold and
// one past its end, the offset in text it came from. It reports whether
// anything was replaced. Each look-alike becomes one byte; every other
// byte is copied, so offsets of findings map back exactly and stay on
// rune boundaries.
//
// En and em dashes fold only inside a number: between two letters,
// digits or brackets one of which is a digit ("512–555", "ABC–123").
// Between words they stay dashes, as the ASCII scanners would otherwise
// read "care—terrible" as one hyphenated word.
func foldLookalikes(sc *scratch, text string) bool {
	fold, at := sc.fold[:0], sc.foldAt[:0]
	changed := false
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			fold = append(fold, c)
			at = append(at, int32(i))
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		b, how := lookalike(r)
		if how == lookDash {
			prev := byte(0)
			if len(fold) > 0 {
				prev = fold[len(fold)-1]
			}
			next := foldedByteAt(text, i+size)
			if !(isDigit(prev) && numberSide(next) || isDigit(next) && numberSide(prev)) {
				how = lookNone
			}
		}
		if how == lookNone {
			for k := 0; k < size; k++ {
				fold = append(fold, text[i+k])
				at = append(at, int32(i+k))
			}
			i += size
			continue
		}
		fold = append(fold, b)
		at = append(at, int32(i))
		changed = true
		i += size
	}
	sc.fold, sc.foldAt = fold, append(at, int32(len(text)))
	return changed
}

// mayFold reports whether r, at text[i:i+size], may be folded by
// foldLookalikes: any look-alike but an en or em dash between two ASCII
// characters that are not digits ("WiFi – just saying"), which the
// tokenizer sees often and foldLookalikes would leave.
func mayFold(text string, i int, r rune, size int) bool {
	switch _, how := lookalike(r); how {
	case lookNone:
		return false
	case lookDash:
		mayDigit := func(c byte) bool { return isDigit(c) || c >= utf8.RuneSelf }
		return i > 0 && mayDigit(text[i-1]) || i+size < len(text) && mayDigit(text[i+size])
	}
	return true
}

// foldedByteAt returns the ASCII byte the character at text[i:] is or
// always folds to, or 0.
func foldedByteAt(text string, i int) byte {
	if i >= len(text) {
		return 0
	}
	if text[i] < utf8.RuneSelf {
		return text[i]
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	if b, how := lookalike(r); how == lookAlways {
		return b
	}
	return 0
}

// numberSide reports a byte that may stand beside a dash inside a number.
func numberSide(c byte) bool { return isAlnum(c) || c == '(' || c == ')' }
