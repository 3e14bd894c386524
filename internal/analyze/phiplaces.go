package analyze

import (
	"bytes"
	"io/fs"
	"strings"
)

// placeLists are the sections of place_names.txt, keyed by word hash.
type placeLists struct {
	place, prefix, noun *hashTable[struct{}]
}

// loadPlaces reads place_names.txt.
func loadPlaces(fsys fs.FS) (placeLists, error) {
	const file = "place_names.txt"
	secs, err := readList(fsys, file)
	if err != nil {
		return placeLists{}, err
	}
	lists, err := sectionsNamed(file, secs, []string{"place", "place_prefix", "place_noun"})
	if err != nil {
		return placeLists{}, err
	}
	return placeLists{place: wordSet(lists[0]), prefix: wordSet(lists[1]), noun: wordSet(lists[2])}, nil
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
	// "Savannah, GA", "Havana, Cuba"
	e := int(toks[last].e)
	if e+2 < len(text) && text[e] == ',' && last+2 < len(toks) && toks[last+1].kind == tPunct {
		n := &toks[last+2]
		if n.kind == tWord && (n.flags&fAllCaps != 0 && n.e-n.s == 2 || n.flags&fCap != 0 && pl.place.has(n.h)) {
			return true
		}
	}
	return false
}

// determined reports a word after an article, a possessive or a word that
// names a thing used ("my Elevate account", "on Chrome", "the Waldorf"):
// a product, a place or a title, not a person.
func determined(sc *scratch, i int) bool {
	if i == 0 || sc.toks[i-1].kind != tWord {
		return false
	}
	switch string(sc.word(&sc.toks[i-1])) {
	case "the", "a", "an", "my", "your", "our", "their", "its",
		"on", "via", "using", "use", "watching", "watched", "playing", "played", "new", "el", "la", "los", "las":
		return true
	}
	return false
}

// atPlace reports a word after a preposition of place ("at Logan", "in
// Austin"), where a lone given name is more often a place than a person.
func atPlace(sc *scratch, i int) bool {
	if i == 0 || sc.toks[i-1].kind != tWord {
		return false
	}
	w := sc.word(&sc.toks[i-1])
	if string(w) == "at" && i >= 2 && sc.toks[i-2].kind == tWord && bytes.HasSuffix(sc.word(&sc.toks[i-2]), []byte("ed")) {
		return false // "shouted at Gary", "looked at Todd"
	}
	switch string(w) {
	case "in", "at", "into", "via", "visit", "visited", "visiting", "near", "outside":
		return true
	}
	return false
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
