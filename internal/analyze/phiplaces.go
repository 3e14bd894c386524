package analyze

import (
	"bytes"
	"io/fs"
	"strings"
)

// placeLists are the sections of name_context.txt, keyed by word hash.
type placeLists struct {
	place, prefix, noun, thingBefore, placeBefore, nameSuffix, afterTitle, notPerson *hashTable[struct{}]
}

// loadPlaces reads name_context.txt.
func loadPlaces(fsys fs.FS) (placeLists, error) {
	const file = "name_context.txt"
	secs, err := readList(fsys, file)
	if err != nil {
		return placeLists{}, err
	}
	lists, err := sectionsNamed(file, secs, []string{"place", "place_prefix", "place_noun", "thing_before", "place_before", "name_suffix", "after_title", "not_person"})
	if err != nil {
		return placeLists{}, err
	}
	return placeLists{place: wordSet(lists[0]), prefix: wordSet(lists[1]), noun: wordSet(lists[2]),
		thingBefore: wordSet(lists[3]), placeBefore: wordSet(lists[4]), nameSuffix: wordSet(lists[5]),
		afterTitle: wordSet(lists[6]), notPerson: wordSet(lists[7])}, nil
}

// wordSet returns a table of the hashes of words.
func wordSet(words []string) *hashTable[struct{}] {
	m := make(map[uint64]struct{}, len(words))
	for _, w := range words {
		m[hashString(fnvOffset, w)] = struct{}{}
	}
	return tableOf(m)
}

// camelCase reports a word written with a capital inside it, as brands
// and products are ("JetBlue", "MobileMe", "iPhone"), but not as names
// are ("McDonald", "MacLeod", "DeShawn", "O'Brien", "Smith-Jones").
func camelCase(w string) bool {
	upper := func(c byte) bool { return c >= 'A' && c <= 'Z' }
	lower := 0
	for i := 0; i < len(w); i++ {
		if w[i] >= 'a' && w[i] <= 'z' {
			lower++
		}
	}
	if lower == 0 {
		return false // all capitals: another rule decides
	}
	for i := 1; i < len(w); i++ {
		if !upper(w[i]) || w[i-1] == '\'' || w[i-1] == '-' {
			continue
		}
		if i == 2 && upper(w[0]) && strings.Contains("McDeLaLeDiDaDuVaAl", w[:2]) || i == 3 && w[:3] == "Mac" {
			continue
		}
		return true
	}
	return false
}

// isHandle reports whether text mentions @w, the account of a company
// or person written as a word ("@JetBlue ... flying JetBlue again").
func isHandle(text, w string) bool {
	for i := strings.IndexByte(text, '@'); i >= 0; {
		h := i + 1
		e := h
		for e < len(text) && (isAlnum(text[e]) || text[e] == '_') {
			e++
		}
		if strings.EqualFold(text[h:e], w) {
			return true
		}
		next := strings.IndexByte(text[e:], '@')
		if next < 0 {
			break
		}
		i = e + next
	}
	return false
}

// placeContext reports a run of capitalised words, tokens i to last,
// that names a place or an organisation: it follows a place prefix ("San
// Juan"), opens with one ("Palm Springs"), holds a place noun ("Logan
// Airport"), is a known place by itself ("Austin"), or is followed by a
// region ("Huntsville, AL", "Pereira, Colombia").
func placeContext(pl *placeLists, sc *scratch, text string, i, last int) bool {
	toks := sc.toks
	k := i - 1
	if k >= 0 && toks[k].kind == tPunct && sc.norm[toks[k].ns] == '.' {
		k-- // "St. Paul"
	}
	if k >= 0 && toks[k].kind == tWord && toks[k].flags&fCap != 0 && pl.prefix.has(toks[k].h) {
		return true
	}
	if last > i && pl.prefix.has(toks[i].h) {
		return true
	}
	for j := i; j <= last; j++ {
		if toks[j].kind == tWord && pl.noun.has(toks[j].h) {
			return true
		}
	}
	if n := last + 1; n < len(toks) && toks[n].kind == tWord && pl.noun.has(toks[n].h) && toks[n].s == toks[last].e+1 {
		return true
	}
	if last == i && pl.place.has(toks[i].h) {
		return true
	}
	// "Savannah, GA", "Havana, Cuba", "Morenci, Mich."
	e := int(toks[last].e)
	if e+2 < len(text) && text[e] == ',' && last+2 < len(toks) && toks[last+1].kind == tPunct {
		n := &toks[last+2]
		abbrev := n.flags&fCap != 0 && n.e-n.s <= 5 && int(n.e) < len(text) && text[n.e] == '.'
		if n.kind == tWord && (n.flags&fAllCaps != 0 && n.e-n.s == 2 || n.flags&fCap != 0 && pl.place.has(n.h) || abbrev) {
			return true
		}
	}
	return false
}

// notPerson reports a run of capitalised words, tokens i to last, that
// holds a well-known name of a thing or a fictional character ("Lex
// Luthor", "Voltron"), or is one word naming a people ("Floridians").
func notPerson(pl *placeLists, sc *scratch, i, last int) bool {
	for k := i; k <= last; k++ {
		if sc.toks[k].kind == tWord && pl.notPerson.has(sc.toks[k].h) {
			return true
		}
	}
	return last == i && bytes.HasSuffix(sc.word(&sc.toks[i]), []byte("ians"))
}

// before reports whether token i follows a word of set.
func before(sc *scratch, i int, set *hashTable[struct{}]) bool {
	return i > 0 && sc.toks[i-1].kind == tWord && set.has(sc.toks[i-1].h)
}

// atPlace reports a word after a preposition of place ("at Logan", "in
// Austin"), where a lone given name is more often a place than a person,
// unless a verb in -ed comes before ("shouted at Gary").
func atPlace(pl *placeLists, sc *scratch, i int) bool {
	return before(sc, i, pl.placeBefore) && !afterVerbAt(sc, i)
}

// afterVerbAt reports token i after "at" after a verb in -ed ("shouted at
// Gary", "looked at Enzo"): a person, not a place.
func afterVerbAt(sc *scratch, i int) bool {
	return i >= 2 && string(sc.word(&sc.toks[i-1])) == "at" && sc.toks[i-2].kind == tWord && bytes.HasSuffix(sc.word(&sc.toks[i-2]), []byte("ed"))
}

// inflected reports a word that is a common word with an ending added
// ("Airports", "Autographed", "Boarding"): a lone capitalised word of
// that shape is a heading or a product, not a name.
func (a *Analyzer) inflected(w []byte) bool {
	for _, end := range []string{"s", "es", "ed", "d", "ing"} {
		if n := len(w) - len(end); n >= 3 && string(w[n:]) == end && a.common.has(hashBytes(fnvOffset, w[:n])) {
			return true
		}
	}
	return false
}

// compoundOfWords reports a hyphenated word whose parts are all common
// words ("Hip-Hop", "User-Friendly"), unlike a double-barrelled name
// ("Smith-Jones").
func (a *Analyzer) compoundOfWords(w []byte) bool {
	if bytes.IndexByte(w, '-') < 0 {
		return false
	}
	for part := range bytes.SplitSeq(w, []byte("-")) {
		if len(part) < 2 || !a.common.has(hashBytes(fnvOffset, part)) {
			return false
		}
	}
	return true
}

// closedCompound reports a word written as two common words of three
// letters or more run together ("zipcar", "gardenbury"), as brands and
// coined words are.
func (a *Analyzer) closedCompound(w []byte) bool {
	for k := 3; k+3 <= len(w); k++ {
		if a.common.has(hashBytes(fnvOffset, w[:k])) && a.common.has(hashBytes(fnvOffset, w[k:])) {
			return true
		}
	}
	return false
}

// shouted reports a run of capitalised words, tokens i to last, with a
// word of four letters or more in capitals: shouting, not a name.
func shouted(toks []token, i, last int) bool {
	for k := i; k <= last; k++ {
		if toks[k].kind == tWord && toks[k].flags&fAllCaps != 0 && toks[k].e-toks[k].s > 3 {
			return true
		}
	}
	return false
}

// slashed reports a span of text joined to another word by a slash
// ("Julia/Julia", "Cord/Tina"): a title or a pairing of characters.
func slashed(text string, s, e int) bool {
	return s > 0 && text[s-1] == '/' && s >= 2 && isAlnum(text[s-2]) || e+1 < len(text) && text[e] == '/' && isAlnum(text[e+1])
}

// numbered reports a span followed by a short number ("James 1:17",
// "Windows 7", "Land 3D"): a verse, a product or a title, not a person.
// A postcode after a name ("Sara Schwarz 28245") is not short.
func numbered(text string, e int) bool {
	if e+1 >= len(text) || text[e] != ' ' || !isDigit(text[e+1]) {
		return false
	}
	n := e + 1
	for n < len(text) && isDigit(text[n]) {
		n++
	}
	return n-e-1 <= 2
}

// acronymIn reports a run of capitalised words, tokens i to last, with a
// word of two or three capitals ("Sirius XM", "Luas GL"), which a name
// has as initials with full stops ("J.R.") or not at all; letters after
// a name ("MD", "Jr") are part of it.
func acronymIn(pl *placeLists, sc *scratch, i, last int) bool {
	for k := i + 1; k <= last; k++ {
		if t := &sc.toks[k]; t.kind == tWord && t.flags&fAllCaps != 0 && t.e-t.s >= 2 && t.e-t.s <= 3 && !pl.nameSuffix.has(t.h) {
			return true
		}
	}
	return false
}
