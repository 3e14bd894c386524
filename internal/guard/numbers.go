package guard

import (
	"strings"
	"unicode"

	"earshot/internal/analyze"
)

// slashDates finds month/day dates the analyzer leaves to context
// ("8/21", "12/4") and ordinal days ("the 19th"): two numbers of one or
// two digits, a valid month and day, not part of a longer number, a
// fraction of a thread ("2/2" where the first is not more than the
// second is still read: its sentence decides).
func slashDates(text string) []span {
	var out []span
	for i := 0; i < len(text); i++ {
		if !isDigit(text[i]) || (i > 0 && (isDigit(text[i-1]) || text[i-1] == '/' || text[i-1] == '.')) {
			continue
		}
		j := i
		for j < len(text) && isDigit(text[j]) {
			j++
		}
		if j-i > 2 {
			i = j
			continue
		}
		if j+1 < len(text) && text[j] == '/' && isDigit(text[j+1]) {
			k := j + 1
			for k < len(text) && isDigit(text[k]) {
				k++
			}
			if k-j-1 <= 2 && (k == len(text) || (!isDigit(text[k]) && text[k] != '/')) {
				if m, d := atoi(text[i:j]), atoi(text[j+1:k]); m >= 1 && m <= 12 && d >= 1 && d <= 31 {
					out = append(out, span{start: i, end: k, blocks: true})
				}
			}
			i = k
			continue
		}
		if suf := text[j:min(j+2, len(text))]; i >= 4 && strings.EqualFold(text[i-4:i], "the ") && (suf == "th" || suf == "st" || suf == "nd" || suf == "rd") && !nounAfter(text[j+2:]) {
			out = append(out, span{start: i, end: j + 2, blocks: true})
		}
		i = j
	}
	return out
}

// nounAfter reports whether rest (what follows an ordinal) starts with a
// word that the ordinal counts ("the 5th floor"), not a date's "at" or
// "of".
func nounAfter(rest string) bool {
	ws := words(rest)
	if len(ws) == 0 || ws[0].start > 1 {
		return false
	}
	switch ws[0].w {
	case "at", "of", "in", "and", "or", "to", "is", "was", "between", "from", "for", "by", "until", "works":
		return false
	}
	return unicode.IsLetter(rune(ws[0].w[0]))
}

// isDigit reports an ASCII digit.
func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// atoi reads a short run of ASCII digits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// labelled reports whether the number at byte off follows "#" or a word
// that says what other number it is ("order 114-2298834-55", "flight
// 1432"): not a phone.
func (r *reading) labelled(off int) bool {
	if t := strings.TrimRight(r.text[:off], " "); strings.HasSuffix(t, "#") {
		return true
	}
	i := r.wordAt(off)
	for k := i - 1; k >= 0 && k >= i-4; k-- {
		if otherNumber[r.ws[k].w] {
			return true
		}
	}
	return false
}

// otherNumber names numbers that are not phones.
var otherNumber = map[string]bool{"order": true, "tracking": true, "confirmation": true, "reference": true, "ref": true, "ticket": true,
	"case": true, "invoice": true, "item": true, "sku": true, "model": true, "serial": true, "flight": true, "booking": true, "receipt": true, "version": true,
	"pedido": true, "reserva": true, "factura": true, "seguimiento": true}

// idWords name a member, group, claim, policy or record number: true
// when a number may follow at once ("claim 88213409"), false when only
// after "number", "id", "no" or "#" ("group number 55123", not "a group
// of 1500"). A token of four digits or more there is such a number, even
// when the analyzer, which wants longer numbers, leaves it; a year
// follows only after "number" and the like.
var idWords = map[string]bool{"member": true, "grp": true, "claim": true, "policy": true, "mrn": true, "subscriber": true,
	"group": false, "record": false, "medicaid": false, "medicare": false, "account": false,
	"authorization": true, "auth": true, "ssn": true, "social": true, "patient": false, "plan": false, "afiliado": false, "encounter": false, "chart": false,
	"póliza": true, "poliza": true, "expediente": false, "credencial": false, "beneficiary": false,
	"appeal": false, "grievance": false, "referral": false, "complaint": false, "afiliacion": false}

// careLabel names a number of any trade ("case", "invoice") that is a
// number of someone's care in a sentence about care.
var careLabel = map[string]bool{"case": true, "invoice": true, "ticket": true, "reference": true, "ref": true, "statement": true, "bill": true, "caso": true, "factura": true}

// idNumbers finds the numbers idWords name.
func (r *reading) idNumbers() []span {
	var out []span
	for i, w := range r.ws {
		direct, ok := idWords[w.w]
		// "your case #HS-77120 about the hospital bill": a number of
		// trade's words in a sentence about care.
		ok = ok || careLabel[w.w] && r.sents[r.sent[i]].careContext()
		// "your warranty claim number": a number of trade.
		if !ok || r.sents[r.sent[i]].commerce {
			continue
		}
		named := direct
		for j := i + 1; j < len(r.ws) && j <= i+4; j++ {
			t := r.ws[j]
			hashed := strings.HasSuffix(strings.TrimRight(r.text[:t.start], " "), "#")
			if n := len(digits(t.w)); n >= 4 && (named || hashed) && !(n == 4 && len(t.w) == 4 && !r.numberWord(i, j) && isYear(t.w)) {
				out = append(out, span{start: t.start, end: t.end, kind: "member_number", typ: analyze.PHIMemberID, blocks: true})
				break
			}
			switch {
			case idNumberWord[t.w]:
				named = true
			case idFiller[t.w], idWords[t.w]:
			default:
				j = len(r.ws)
			}
		}
	}
	return out
}

// numberWord reports whether a word that says "number" stands between
// words i and j.
func (r *reading) numberWord(i, j int) bool {
	for k := i + 1; k < j; k++ {
		if idNumberWord[r.ws[k].w] {
			return true
		}
	}
	return false
}

// isYear reports four digits from 1900 to 2099.
func isYear(w string) bool { return len(w) == 4 && (w[:2] == "19" || w[:2] == "20") }

// idNumberWord says a number follows; idFiller may stand between an id
// word and its number.
var (
	idNumberWord = map[string]bool{"id": true, "number": true, "no": true, "num": true, "#": true, "mrn": true, "grp": true, "ref": true, "número": true, "numero": true}
	idFiller     = map[string]bool{"is": true, "ending": true, "in": true, "are": true, "ends": true}
)

// fullDates finds dates of day, month and year written with one
// separator ("11/02/1939", "02.11.2008", "7-22-1978"), wherever they
// stand, in parentheses too, where the analyzer may not look.
func fullDates(text string) []span {
	var out []span
	for i := 0; i < len(text); i++ {
		if !isDigit(text[i]) || i > 0 && (isDigit(text[i-1]) || strings.IndexByte("/.-", text[i-1]) >= 0) {
			continue
		}
		var parts []int
		j, sep := i, byte(0)
		for len(parts) < 3 {
			k := j
			for k < len(text) && isDigit(text[k]) {
				k++
			}
			if k == j {
				break
			}
			parts = append(parts, k-j)
			j = k
			if len(parts) == 3 || j+1 >= len(text) || sep != 0 && text[j] != sep || strings.IndexByte("/.-", text[j]) < 0 {
				break
			}
			sep = text[j]
			j++
		}
		if len(parts) == 3 && parts[0] <= 2 && parts[1] <= 2 && (parts[2] == 4 || parts[2] == 2) && (j == len(text) || !isDigit(text[j])) {
			a, b := atoi(text[i:i+parts[0]]), atoi(text[i+parts[0]+1:i+parts[0]+1+parts[1]])
			if a >= 1 && b >= 1 && a <= 31 && b <= 31 && (a <= 12 || b <= 12) {
				out = append(out, span{start: i, end: j, blocks: true})
			}
		}
		i = j
	}
	return out
}
