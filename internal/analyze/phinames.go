package analyze

import (
	"strings"
	"sync"

	"earshot/internal/model"
)

// commonWords is the lower-case vocabulary of the default sentiment model
// (words seen at least twice in its training text) and common_words.txt,
// less word_names.txt: a capitalised word in it is usually not a name.
var commonWords = sync.OnceValue(func() *hashTable[struct{}] {
	m := map[uint64]struct{}{}
	for name := range DefaultModel().Weights {
		w, ok := strings.CutPrefix(name, "w:")
		if !ok || len(w) < 2 {
			continue
		}
		alpha := true
		for i := 0; i < len(w); i++ {
			if w[i] < 'a' || w[i] > 'z' {
				alpha = false
				break
			}
		}
		if alpha {
			m[hashString(fnvOffset, w)] = struct{}{}
		}
	}
	l := stdLexicons()
	for _, w := range l.commonExtra {
		m[hashString(fnvOffset, w)] = struct{}{}
	}
	for _, w := range l.wordNames {
		delete(m, hashString(fnvOffset, w))
	}
	return tableOf(m)
})

// knownToken reports whether the normalised form of t (whose hash t
// carries) is a common word.
func (a *Analyzer) knownToken(t *token) bool {
	return a.common.has(t.h)
}

// findNames finds person names: capitalised words after a cue ("my name
// is", "Dr.", "Name:") or runs of two or more capitalised words that are
// not common words.
func (a *Analyzer) findNames(sc *scratch, text string, out []model.PHIFinding) []model.PHIFinding {
	toks := sc.toks
	for i := 0; i < len(toks); i++ {
		t := &toks[i]
		if t.kind == tWord && t.flags&fCap == 0 && a.introduced(sc, i) {
			// "my name is lena andersson", "call me višeslav"
			last := -1
			for k := i; k < len(toks) && k < i+3 && toks[k].kind == tWord; k++ {
				w := sc.word(&toks[k])
				if a.knownToken(&toks[k]) && toks[k].info.cls&clsGivenName == 0 && len(w) > 1 {
					break
				}
				last = k
			}
			if last >= 0 {
				out = append(out, model.PHIFinding{Type: PHIName, Start: int(t.s), End: int(toks[last].e)})
				i = last
				continue
			}
		}
		if t.kind == tWord && t.flags&(fCap|fHashtag) == 0 && t.info.cls&clsGivenName != 0 {
			// "my daughter emma", "follow up with patricia desrosiers"
			if last, ok := a.lowerName(sc, i); ok {
				out = append(out, model.PHIFinding{Type: PHIName, Start: int(t.s), End: int(toks[last].e)})
				i = last
				continue
			}
		}
		if t.kind != tWord || t.flags&fCap == 0 || t.flags&fHashtag != 0 {
			continue
		}
		// Extend a run of capitalised words and initials. After a title
		// ("Dr.", "Mrs.") even common words are names ("Dr. Lee").
		strong := a.titleCue(sc, i)
		j, words, unknown, last, given := i, 0, 0, i, false
		for j < len(toks) && words < 4 {
			u := &toks[j]
			if u.kind == tWord && u.flags&fCap != 0 && u.flags&fHashtag == 0 {
				w := sc.word(u)
				if j > i && (u.s > toks[j-1].e+2 || strings.IndexByte(text[toks[j-1].e:u.s], '\n') >= 0) {
					break // words far apart or on another line
				}
				if hasDigit(w) || len(w) == 1 && w[0] == 'i' && j == i {
					break
				}
				if j == i && len(w) == 1 && !(j+1 < len(toks) && toks[j+1].kind == tPunct && sc.norm[toks[j+1].ns] == '.') {
					break // "A Westminster man": an article, not an initial
				}
				if a.compoundOfWords(w) || oddHyphen(text[u.s:u.e]) || tripled(text[u.s:u.e]) || contraction(text[u.s:u.e]) {
					break // "Hip-Hop", "User-Friendly", "T-Day", "Annnndddd", "P.S. You're"
				}
				if bad(u) || camelCase(text[u.s:u.e]) {
					break
				}
				if j > i && len(w) == 1 && w[0] == 'i' && j+1 < len(toks) && toks[j+1].kind == tWord && toks[j+1].flags&fCap == 0 {
					break // "I hate Joomla I hate": the pronoun
				}
				initial := j > i+1 && toks[j-1].kind == tWord && toks[j-1].ne-toks[j-1].ns == 1 ||
					j > i+2 && toks[j-1].kind == tPunct && toks[j-2].kind == tWord && toks[j-2].ne-toks[j-2].ns == 1
				if len(w) == 1 && j > i && u.flags&fAllCaps == 0 {
					// an initial: "J" or "D."
				} else if u.info.cls&clsGivenName != 0 {
					unknown++
					given = true
				} else if !a.knownToken(u) || given && j == i+1 || strong && u.info.cls&clsQuestion == 0 || initial {
					// After an initial a word is a surname ("Daniela C Capon").
					unknown++
				} else if u.flags&fAllCaps != 0 || j == i && i > 0 {
					// known word mid-sentence: not a name part
					break
				} else {
					break
				}
				words++
				last = j
				j++
				if possessiveWord(text, int(u.e)) || possessive(text, int(u.e)) {
					break // "Laurel K Hamilton's Anita": the owner ends the name
				}
				if j < len(toks) && toks[j].kind == tPunct && sc.norm[toks[j].ns] == '.' && len(w) == 1 {
					j++
				}
				continue
			}
			break
		}
		if words == 0 {
			continue
		}
		// "Davis Orchestra", "Rapid Cycle Solutions": an organisation
		// (but "Barbara Yudina Apt. 675" is a name before an address).
		if k := last + 1; k < len(toks) && toks[k].kind == tWord && toks[k].flags&fCap != 0 && a.knownToken(&toks[k]) && toks[k].info.cls&clsUnit == 0 &&
			toks[k].s == toks[last].e+1 && text[toks[last].e] == ' ' && !possessiveWord(text, int(toks[last].e)) {
			i = last
			continue
		}
		if slashed(text, int(t.s), int(toks[last].e)) || numbered(text, int(toks[last].e)) || acronymIn(&a.lex.places, sc, i, last) {
			i = last
			continue // "Julia/Julia", "James 1:17", "Sirius XM": pairings, verses, products
		}
		if words >= 2 && !strong && (shouted(toks, i, last) || last == i+1 && string(sc.word(&toks[i])) == string(sc.word(&toks[last]))) {
			i = last
			continue // "Unsolicited UNEDUCATED opinions", "Rabbit Rabbit"
		}
		if strong && words == 1 && a.lex.places.afterTitle.has(t.h) {
			i = last
			continue // "Mr. President": a role
		}
		if !strong && (placeContext(&a.lex.places, sc, text, i, last) || notPerson(&a.lex.places, sc, i, last) || words == 1 && titleOf(sc, i)) || words == 1 && isHandle(text, text[t.s:t.e]) {
			i = last
			continue
		}
		cue := a.nameCue(sc, i)
		allCaps, shortCaps := true, true
		for k := i; k <= last; k++ {
			if toks[k].kind == tWord && toks[k].flags&fAllCaps == 0 && toks[k].ne-toks[k].ns > 1 {
				allCaps = false
			}
			if toks[k].kind == tWord && (toks[k].flags&fAllCaps == 0 || toks[k].ne-toks[k].ns > 3) {
				shortCaps = false
			}
		}
		if shortCaps && !strong {
			i = last
			continue // "Thanks JB", "I MISS YOU": initials and shouting
		}
		vocative := i == 0 && int(t.e) < len(text) && text[t.e] == ','
		opens := i == 0 || toks[i-1].kind == tPunct && isStop(toks[i-1])
		if words == 1 && (allCaps || given && !cue && (atPlace(&a.lex.places, sc, i) || before(sc, i, a.lex.places.thingBefore)) ||
			t.info.cls&clsLowerNotName != 0 && !cue && !vocative && opens && !(int(t.e) < len(text) && text[t.e] == ':')) {
			i = last
			continue // "walk by MINT", "waiting at Logan", "our Oscar party", "Hope to see you"
		}
		single := words == 1 && unknown == 1 && !allCaps && (given || vocative || a.loneName(sc, text, i) || listed(sc, text, i) || speaker(sc, text, i) || possessive(text, int(toks[last].e)))
		if single && !given && !vocative && !strong && thingLike(text[t.s:t.e]) {
			i = last
			continue // "watching Hercules", "a Windsor knot": a thing or a place
		}
		if words >= 2 && !given && !strong && !cue && thingLike(text[t.s:t.e]) && thingLike(text[toks[last].s:toks[last].e]) {
			i = last
			continue // "Waldorf Astoria", "Corso Como": a place or a thing
		}
		if single && !given && !strong && !cue && a.closedCompound(sc.word(t)) && !hasVector(text[t.s:t.e]) {
			i = last
			continue // "Zipcar", "Gardenbury", "Mindblowing": two words run together
		}
		if (words >= 2 && unknown >= 1 && !allCaps) || (cue && unknown >= 1) || single {
			out = append(out, model.PHIFinding{Type: PHIName, Start: int(t.s), End: int(toks[last].e)})
			i = last
		}
	}
	return out
}

// oddHyphen reports a hyphenated word whose first part is one letter
// ("T-Day", "X-Men"): not a double-barrelled name.
func oddHyphen(w string) bool {
	return len(w) > 2 && w[1] == '-'
}

// tripled reports a word with a letter three times in a row
// ("Annnndddd", "Sooo"): drawn out for effect, not a name.
func tripled(w string) bool {
	for k := 2; k < len(w); k++ {
		if w[k] == w[k-1] && w[k] == w[k-2] && !isDigit(w[k]) {
			return true
		}
	}
	return false
}

// titleOf reports token i after "of" after a capitalised word ("Kings Of
// Leon", "Bank of America"): part of a title or an
// organisation's name, not a person's.
func titleOf(sc *scratch, i int) bool {
	toks := sc.toks
	return i >= 2 && toks[i-1].kind == tWord && string(sc.word(&toks[i-1])) == "of" &&
		toks[i-2].kind == tWord && toks[i-2].flags&fCap != 0
}

// contraction reports a word with a contracted ending ("You're", "I'm",
// "Don't", "We'll"), which no name part has.
func contraction(w string) bool {
	k := strings.LastIndexByte(w, '\'')
	n := 1
	if j := strings.LastIndex(w, "’"); j > k {
		k, n = j, len("’")
	}
	if k < 0 {
		return false
	}
	switch strings.ToLower(w[k+n:]) {
	case "re", "m", "t", "ll", "ve", "d":
		return true
	}
	return false
}

// bad reports capitalised words that never belong to a name.
func bad(t *token) bool {
	return t.info.cls&(clsStreet|clsUnit|clsMonth|clsWeekday) != 0
}

// nameCue reports whether the words before token i introduce a name.
func (a *Analyzer) nameCue(sc *scratch, i int) bool {
	k := i - 1
	dot := false
	if k >= 0 && sc.toks[k].kind == tPunct && (sc.norm[sc.toks[k].ns] == '.' || sc.norm[sc.toks[k].ns] == ':' || sc.norm[sc.toks[k].ns] == '?') {
		dot = sc.norm[sc.toks[k].ns] == '.'
		k--
	}
	if k < 0 || sc.toks[k].kind != tWord || dot && sc.toks[k].info.cls&clsTitle == 0 {
		return false // "okay thanks. Hope to": a sentence ended ("Dr. Lee" did not)
	}
	if sc.toks[k].info.cls&clsNameCue != 0 {
		return true
	}
	return string(sc.word(&sc.toks[k])) == "is" && k >= 1 && string(sc.word(&sc.toks[k-1])) == "name"
}

// findHealthTerms finds conditions, medications and procedures from the
// curated vocabulary in data/health.txt.
func (a *Analyzer) findHealthTerms(sc *scratch, out []model.PHIFinding) []model.PHIFinding {
	health := &a.lex.health
	sc.hits = health.set.match(sc.toks, sc.hits[:0])
	for _, h := range sc.hits {
		out = append(out, model.PHIFinding{Type: health.types[h.label], Start: int(sc.toks[h.s].s), End: int(sc.toks[h.e-1].e)})
	}
	return out
}

// listed reports a capitalised word in a list of them ("Kónya, Becker and
// Vasquez").
func listed(sc *scratch, text string, i int) bool {
	toks := sc.toks
	capWord := func(k int) bool {
		return k >= 0 && k < len(toks) && toks[k].kind == tWord && toks[k].flags&fCap != 0
	}
	sepAt := func(k int) bool {
		if k < 0 || k >= len(toks) {
			return false
		}
		if toks[k].kind == tPunct {
			return sc.norm[toks[k].ns] == ','
		}
		w := string(sc.word(&toks[k]))
		return w == "and" || w == "or"
	}
	if !(sepAt(i+1) && capWord(i+2) || sepAt(i-1) && capWord(i-2)) {
		return false
	}
	// The list's last item must not run into a capitalised word
	// ("Davis, Reynolds and Williamson Orchestra").
	k := i
	for k+2 < len(toks) && sepAt(k+1) && capWord(k+2) {
		k += 2
	}
	return !capWord(k + 1)
}

// speaker reports a word that opens a line and is followed by a colon
// ("Nicole: ...").
func speaker(sc *scratch, text string, i int) bool {
	t := &sc.toks[i]
	if int(t.e) >= len(text) || text[t.e] != ':' {
		return false
	}
	return t.s == 0 || text[t.s-1] == '\n'
}

func possessive(text string, e int) bool {
	return e+1 < len(text) && (text[e] == '\'' && text[e+1] == 's') || e+3 < len(text) && text[e:e+3] == "’" && text[e+3] == 's'
}

// possessiveWord reports a word ending at e in "'s" ("Goldberg's
// Cautionary Tales" is a person's book, not an organisation).
func possessiveWord(text string, e int) bool {
	return strings.HasSuffix(text[:e], "'s") || strings.HasSuffix(text[:e], "’s")
}

func hasDigit(w []byte) bool {
	for _, c := range w {
		if isDigit(c) {
			return true
		}
	}
	return false
}

// titleCue reports whether token i follows a title such as "Dr." or
// "Mrs".
func (a *Analyzer) titleCue(sc *scratch, i int) bool {
	k := i - 1
	if k >= 0 && sc.toks[k].kind == tPunct && sc.norm[sc.toks[k].ns] == '.' {
		k--
	}
	return k >= 0 && sc.toks[k].kind == tWord && sc.toks[k].info.cls&clsTitle != 0
}

// loneName reports a single unknown capitalised word that reads as a
// person: mid-sentence between lower-case words, or opening a sentence
// before a verb that people do.
func (a *Analyzer) loneName(sc *scratch, text string, i int) bool {
	toks := sc.toks
	lower := func(k int) bool {
		return k >= 0 && k < len(toks) && toks[k].kind == tWord && toks[k].flags&(fCap|fAllCaps) == 0
	}
	sentenceStart := i == 0 || toks[i-1].kind == tPunct && isStop(toks[i-1]) || strings.IndexByte(text[toks[i-1].e:toks[i].s], '\n') >= 0
	if sentenceStart {
		return i+1 < len(toks) && toks[i+1].info.cls&clsPersonVerb != 0
	}
	if toks[i-1].info.cls&clsPlacePrep != 0 && !afterVerbAt(sc, i) || before(sc, i, a.lex.places.thingBefore) || a.inflected(sc.word(&toks[i])) || camelCase(text[toks[i-1].s:toks[i-1].e]) {
		return false // "in Miami", "at Zillow", "my Elevate account": a place, an organisation or a product
	}
	return lower(i-1) && (lower(i+1) || i+1 < len(toks) && toks[i+1].kind == tPunct)
}

// lowerName reports a person named in lower case from token i, a given
// name that is not more often a word, after a cue; it returns the last
// token of the name: the given name, then initials and surnames (words
// that are not common words).
func (a *Analyzer) lowerName(sc *scratch, i int) (int, bool) {
	toks := sc.toks
	if i == 0 || toks[i].info.cls&clsLowerNotName != 0 {
		return 0, false
	}
	k := i - 1
	if toks[k].kind == tPunct && sc.norm[toks[k].ns] == '.' && k > 0 {
		k-- // "dr. okafor"
	}
	if toks[k].kind != tWord {
		return 0, false
	}
	cue := toks[k].info.cls&clsLowerNameCue != 0
	if !cue && toks[k].info.cls&clsLowerSurnameCue == 0 {
		return 0, false
	}
	last, surname := i, false
	for j := i + 1; j < len(toks) && j <= i+3; j++ {
		u := &toks[j]
		if u.kind != tWord || u.flags&(fCap|fHashtag) != 0 || u.s > toks[j-1].e+1 {
			break
		}
		w := sc.word(u)
		if len(w) == 1 {
			if j+1 < len(toks) && toks[j+1].kind == tPunct && sc.norm[toks[j+1].ns] == '.' {
				j++ // "benjamin a. seiler"
			}
			continue // an initial counts once a surname follows it
		}
		if a.knownToken(u) || u.info.cls&clsGivenName != 0 || hasDigit(w) || bad(u) {
			break
		}
		last, surname = j, true
	}
	return last, cue || surname
}

// introduced reports whether token i follows "name is", "call me" or
// "calls me".
func (a *Analyzer) introduced(sc *scratch, i int) bool {
	if i < 2 {
		return false
	}
	w1, w2 := sc.word(&sc.toks[i-2]), sc.word(&sc.toks[i-1])
	return string(w1) == "name" && string(w2) == "is" || (string(w1) == "call" || string(w1) == "calls") && string(w2) == "me"
}
