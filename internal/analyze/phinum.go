package analyze

import (
	"bytes"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"earshot/internal/model"
)

// numGroup is a run of digits joined by single separators, as phone
// numbers, dates, card numbers and SSNs are written.
type numGroup struct {
	s, e    int
	digits  int
	blocks  [8]uint8 // digit-run lengths (first 8)
	seps    [8]byte  // separator before block k (0 for the first)
	nblocks int
	plus    bool // starts with +
	paren   bool // has (...)
}

// context returns the lower-cased bytes before s (at most 32), in buf.
func context(text string, s int, buf *[32]byte) []byte {
	from := s - len(buf)
	if from < 0 {
		from = 0
	}
	b := buf[:0]
	for i := from; i < s; i++ {
		c := text[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}

// idKeyword is a context word before an identifier and the PHI type it
// gives it (id_keywords.txt).
type idKeyword struct {
	word string
	typ  string
}

// idKeywords are the keywords of id_keywords.txt in file order, with, for
// each byte, the indices of the keywords that start with it.
type idKeywords struct {
	list    []idKeyword
	byFirst [256][]uint8
}

// numberContext holds the words around a number that decide its type:
// identifier keywords (id_keywords.txt) and the lists of
// number_context.txt.
type numberContext struct {
	ids                                                                           idKeywords
	notYear, phoneNotYears, phoneNotID, ssn, card, phone, afterPhone, notPersonal []string
}

func loadNumberContext(fsys fs.FS) (numberContext, error) {
	const file = "number_context.txt"
	var nc numberContext
	var err error
	if nc.ids, err = loadIDKeywords(fsys); err != nil {
		return nc, err
	}
	secs, err := readList(fsys, file)
	if err != nil {
		return nc, err
	}
	lists, err := sectionsNamed(file, secs, []string{"not_year", "phone_not_years", "phone_not_id", "ssn", "card", "phone", "after_phone", "not_personal"})
	if err != nil {
		return nc, err
	}
	nc.notYear, nc.phoneNotYears, nc.phoneNotID, nc.ssn, nc.card, nc.phone, nc.afterPhone, nc.notPersonal =
		lists[0], lists[1], lists[2], lists[3], lists[4], lists[5], lists[6], lists[7]
	return nc, nil
}

func loadIDKeywords(fsys fs.FS) (idKeywords, error) {
	const file = "id_keywords.txt"
	// The PHI types an identifier's keyword may give it.
	idTypes := []string{PHIMRN, PHIClaimNumber, PHIGroupNumber, PHIMemberID}
	var k idKeywords
	secs, err := readList(fsys, file)
	if err != nil {
		return k, err
	}
	for _, s := range secs {
		if !slices.Contains(idTypes, s.name) {
			return k, fmt.Errorf("word list %s: [%s] is not an identifier type (%s)", file, s.name, strings.Join(idTypes, ", "))
		}
		for _, w := range s.items {
			if w != strings.ToLower(w) {
				return k, fmt.Errorf("word list %s: %q is not lower case", file, w)
			}
			k.byFirst[w[0]] = append(k.byFirst[w[0]], uint8(len(k.list)))
			k.list = append(k.list, idKeyword{word: w, typ: s.name})
		}
	}
	if len(k.list) > 256 {
		return k, fmt.Errorf("word list %s: %d keywords, at most 256", file, len(k.list))
	}
	return k, nil
}

// typeFor returns the type of the keyword that starts last in ctx (the
// one listed first when two start at the same byte), or "" for none.
func (k *idKeywords) typeFor(ctx []byte) string {
	typ, _ := k.typeAt(ctx)
	return typ
}

// typeAt is typeFor that also returns how many bytes of ctx follow the
// keyword.
func (k *idKeywords) typeAt(ctx []byte) (string, int) {
	for p := len(ctx) - 1; p >= 0; p-- {
		for _, i := range k.byFirst[ctx[p]] {
			if w := k.list[i].word; bytes.HasPrefix(ctx[p:], []byte(w)) {
				return k.list[i].typ, len(ctx) - p - len(w)
			}
		}
	}
	return "", 0
}

func hasAny(ctx []byte, words ...string) bool {
	for _, w := range words {
		if bytes.Contains(ctx, []byte(w)) {
			return true
		}
	}
	return false
}

// findNumbers finds identifiers, SSNs, card numbers, phones and numeric
// dates.
func findNumbers(sc *scratch, nc *numberContext, text string, out []model.PHIFinding) []model.PHIFinding {
	var buf [32]byte
	n := len(text)
	for i := 0; i < n; i++ {
		c := text[i]
		if i > 0 && (isAlnum(text[i-1]) || text[i-1] == '$' || text[i-1] >= 0x80 && !isDigit(c)) {
			continue
		}
		// Alphanumeric identifiers: letters and at least five digits.
		if isAlnum(c) {
			// run ends the letters and digits from i, before any
			// hyphen joining more of them.
			j, digits, letters, run := i, 0, 0, -1
			for j < n {
				if d := text[j]; isDigit(d) {
					digits++
				} else if isAlnum(d) {
					letters++
				} else if d == '-' && j+1 < n && isAlnum(text[j+1]) {
					if run < 0 {
						run = j
					}
				} else {
					break
				}
				j++
			}
			if run < 0 {
				run = j
			}
			if digits >= 5 && letters > 0 && (j >= n || text[j] < 0x80) {
				ctx := context(text, i, &buf)
				typ := nc.ids.typeFor(ctx)
				if typ == "" && !isDigit(c) && digits >= 6 && letters <= 4 {
					typ = PHIMemberID
				}
				if typ != "" {
					out = append(out, model.PHIFinding{Type: typ, Start: i, End: j})
				}
				i = j
				continue
			}
			if !isDigit(c) {
				i = run - 1 // the loop moves on to the end of the run
				continue
			}
		}
		if !isDigit(c) && !((c == '+' || c == '(') && i+1 < n && isDigit(text[i+1])) {
			continue
		}
		g, ok := scanGroup(text, i)
		if !ok {
			continue
		}
		if f, ok := classifyGroup(text, nc, &g, context(text, g.s, &buf)); ok {
			out = append(out, f)
		}
		i = g.e - 1
	}
	return findWordDates(sc, text, out)
}

// scanGroup reads a number group at i.
func scanGroup(text string, i int) (numGroup, bool) {
	g := numGroup{s: i}
	n := len(text)
	j := i
	if text[j] == '+' {
		g.plus = true
		j++
	}
	var sep byte
	for j < n {
		c := text[j]
		switch {
		case isDigit(c):
			k := j
			for k < n && isDigit(text[k]) {
				k++
			}
			if g.nblocks < len(g.blocks) {
				g.blocks[g.nblocks] = uint8(min(k-j, 255))
				g.seps[g.nblocks] = sep
			}
			g.nblocks++
			g.digits += k - j
			j, sep = k, 0
			g.e = j
			continue
		case c == '(' && j+1 < n && isDigit(text[j+1]):
			g.paren = true
			sep = '('
			j++
			continue
		case c == ')' && sep == 0 && g.nblocks > 0:
			sep = ')'
			j++
			if j < n && text[j] == ' ' {
				j++
			}
			continue
		case (c == ' ' || c == '-' || c == '.' || c == '/' || c == ':') && sep == 0 && g.nblocks > 0 && j+1 < n && (isDigit(text[j+1]) || text[j+1] == '('):
			sep = c
			j++
			continue
		}
		break
	}
	if g.nblocks == 0 || g.e <= g.s {
		return g, false
	}
	if g.e < n && isAlnum(text[g.e]) && !isDigit(text[g.e]) {
		// "12th", "3pm": keep as a number only when it looks like a date.
		return g, g.nblocks > 1
	}
	return g, true
}

func (g *numGroup) block(k int) int {
	if k < g.nblocks && k < len(g.blocks) {
		return int(g.blocks[k])
	}
	return 0
}

func (g *numGroup) sep(k int) byte {
	if k < g.nblocks && k < len(g.seps) {
		return g.seps[k]
	}
	return 0
}

func atoi(s string) int {
	v := 0
	for i := 0; i < len(s) && i < 9; i++ {
		if !isDigit(s[i]) {
			break
		}
		v = v*10 + int(s[i]-'0')
	}
	return v
}

func luhn(text string, s, e int) bool {
	sum, dbl := 0, false
	for i := e - 1; i >= s; i-- {
		c := text[i]
		if !isDigit(c) {
			continue
		}
		d := int(c - '0')
		if dbl {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		dbl = !dbl
	}
	return sum%10 == 0
}

func classifyGroup(text string, nc *numberContext, g *numGroup, ctx []byte) (model.PHIFinding, bool) {
	f := model.PHIFinding{Start: g.s, End: g.e}
	s := text[g.s:]
	b0, b1, b2 := g.block(0), g.block(1), g.block(2)
	s1, s2 := g.sep(1), g.sep(2)
	// Dates: yyyy-mm-dd [hh:mm[:ss]], m/d/yyyy, d.m.yy.
	if !g.plus && !g.paren && g.nblocks >= 3 && s1 == s2 && (s1 == '-' || s1 == '/' || s1 == '.') && (g.nblocks == 3 || g.sep(3) == ' ' || g.sep(3) == ':') {
		if b0 == 4 && b1 <= 2 && b2 <= 2 || b0 <= 2 && b1 <= 2 && (b2 == 4 || b2 == 2) {
			if b0 == 4 || atoi(s) <= 31 {
				f.Type = PHIDate
				return f, true
			}
		}
	}
	if g.nblocks == 1 && b0 == 4 && !g.plus {
		if y := atoi(s); y >= 1900 && y <= 2099 && !hasAny(ctx, nc.notYear...) {
			f.Type = PHIDate
			return f, true
		}
	}
	// A span of years, "2019-2020" (or with an en dash, "2019–2020"),
	// unless a phone number is asked for (some countries write 4-4).
	if g.nblocks == 2 && b0 == 4 && b1 == 4 && (s1 == '-' || s1 == '/') && !g.plus && !g.paren {
		y0, y1 := atoi(s), atoi(text[g.e-4:g.e])
		if y0 >= 1900 && y0 <= y1 && y1 <= 2099 && !hasAny(ctx, nc.phoneNotYears...) {
			f.Type = PHIDate
			return f, true
		}
	}
	if g.digits >= 5 {
		// The keyword is near ("group number 0048213"), not a clause
		// away ("group rates. BOS-SJU 5-12 to 5-19 10 people").
		if typ, gap := nc.ids.typeAt(ctx); typ != "" && gap <= 16 && !hasAny(ctx, nc.phoneNotID...) {
			f.Type = typ
			return f, true
		}
	}
	// The context tests below are made only for groups they can decide.
	if g.digits >= 7 && notPersonal(text, nc, g, ctx) {
		return f, false
	}
	if g.nblocks == 3 && b0 == 3 && b1 == 2 && b2 == 4 && (s1 == '-' || s1 == ' ') && s1 == s2 ||
		g.digits == 9 && g.nblocks == 1 && hasAny(ctx, nc.ssn...) {
		f.Type = PHISSN
		return f, true
	}
	if g.digits >= 12 && g.digits <= 19 && !g.plus && !g.paren {
		cardCtx := hasAny(ctx, nc.card...)
		if luhn(text, g.s, g.e) || cardCtx {
			allFour := true
			for k := 0; k < g.nblocks && k < len(g.blocks)-1; k++ {
				if g.blocks[k] != 4 && k < g.nblocks-1 {
					allFour = false
				}
			}
			if g.nblocks == 1 || allFour || cardCtx {
				f.Type = PHICardNumber
				return f, true
			}
		}
	}
	if g.digits < 7 || g.digits > 15 {
		return f, false
	}
	phoneCtx := hasAny(ctx, nc.phone...) ||
		phoneAfter(nc.afterPhone, text, g.e)
	if !phoneCtx && !g.plus && notPhoneShape(g) {
		return f, false
	}
	if g.nblocks >= 2 || g.plus || g.paren || g.digits >= 10 || phoneCtx {
		if g.nblocks >= 2 && !phoneCtx && !g.plus && !g.paren && g.digits < 9 && s1 == '.' {
			return f, false // a decimal or version number
		}
		if !phoneCtx && !g.plus && !g.paren && g.nblocks == 2 && s1 == ' ' {
			return f, false // two numbers side by side, such as a house number pair
		}
		f.Type = PHIPhone
		return f, true
	}
	return f, false
}

// phoneAfter reports a phone label right after a number ("... office").
func phoneAfter(words []string, text string, e int) bool {
	rest := text[e:]
	if len(rest) > 12 {
		rest = rest[:12]
	}
	for _, w := range words {
		for i := 0; i+len(w) <= len(rest) && i < 3; i++ {
			if rest[i:i+len(w)] == w {
				return true
			}
		}
	}
	return false
}

// notPersonal reports a number that names a thing rather than a person:
// after an order, ticket, product or machine word (number_context.txt
// [not_personal]), after "#" or "<" ("#150219-000114", "<333333"), a
// dotted quad ("192.168.10.254", an IP address), or one digit repeated.
func notPersonal(text string, nc *numberContext, g *numGroup, ctx []byte) bool {
	if g.s > 0 && (text[g.s-1] == '#' || text[g.s-1] == '<' || strings.HasSuffix(text[:g.s], "&lt;")) {
		return true
	}
	if hasAny(ctx, nc.notPersonal...) && !hasAny(ctx, nc.phone...) && !hasAny(ctx, nc.ssn...) {
		return true
	}
	if g.nblocks == 4 && g.sep(1) == '.' && g.sep(2) == '.' && g.sep(3) == '.' && !g.paren {
		quad := true
		for k := 0; k < 4; k++ {
			quad = quad && g.block(k) <= 3
		}
		if quad {
			return true
		}
	}
	same := true
	for i := g.s + 1; i < g.e; i++ {
		if isDigit(text[i]) && text[i] != text[g.s] {
			same = false
			break
		}
	}
	return same && isDigit(text[g.s])
}

// notPhoneShape reports a group that no phone number is written as,
// unless the words around it ask for a phone: a date's slash ("12/21
// (9-11"), two long blocks ("150219-000114", a ticket), or one block of
// eleven digits or more (an order or a ticket number).
func notPhoneShape(g *numGroup) bool {
	for k := 1; k < g.nblocks && k < len(g.seps); k++ {
		if g.seps[k] == '/' {
			return true
		}
	}
	if g.nblocks == 2 && g.block(0) >= 6 && g.block(1) >= 6 {
		return true
	}
	return g.nblocks == 1 && g.digits >= 11 && !g.paren
}
