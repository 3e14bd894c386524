package analyze

import (
	"io/fs"
	"strings"

	"earshot/internal/model"
)

// findWordDates finds dates written with month or weekday names.
func findWordDates(sc *scratch, text string, out []model.PHIFinding) []model.PHIFinding {
	toks := sc.toks
	for i := 0; i < len(toks); i++ {
		t := &toks[i]
		if t.kind != tWord {
			continue
		}
		if t.info.cls&clsWeekday != 0 {
			out = append(out, model.PHIFinding{Type: PHIDate, Start: int(t.s), End: int(t.e)})
			continue
		}
		if t.info.cls&clsMonth == 0 {
			continue
		}
		w := string(sc.word(t))
		s, e := int(t.s), int(t.e)
		j := i + 1
		if j < len(toks) && toks[j].kind == tPunct && sc.norm[toks[j].ns] == '.' && toks[j].e == toks[j].s+1 && toks[j].s == t.e {
			j++ // "Mar."
		}
		found := false
		// Month day[, year] or Month year.
		if j < len(toks) && toks[j].kind == tNum && toks[j].e-toks[j].s <= 4 {
			e = int(toks[j].e)
			found = true
			j++
			if j < len(toks) && toks[j].kind == tWord && toks[j].info.cls&clsOrdinal != 0 && toks[j].s == toks[j-1].e {
				e = int(toks[j].e)
				j++
			}
			if j+1 < len(toks) && toks[j].kind == tPunct && sc.norm[toks[j].ns] == ',' && toks[j+1].kind == tNum && toks[j+1].e-toks[j+1].s == 4 {
				e = int(toks[j+1].e)
			} else if j < len(toks) && toks[j].kind == tNum && toks[j].e-toks[j].s == 4 {
				e = int(toks[j].e)
			}
		}
		// day Month [year].
		if i > 0 && toks[i-1].kind == tNum && toks[i-1].e-toks[i-1].s <= 2 {
			s = int(toks[i-1].s)
			found = true
			if !(j < len(toks) && toks[j].kind == tNum) && i+1 < len(toks) && toks[i+1].kind == tNum && toks[i+1].e-toks[i+1].s == 4 {
				e = int(toks[i+1].e)
			}
		}
		if !found && (w == "may" || w == "mar" || w == "jan" || len(w) <= 3) {
			continue
		}
		if !found && t.flags&fCap == 0 {
			continue
		}
		out = append(out, model.PHIFinding{Type: PHIDate, Start: s, End: e})
	}
	_ = text
	return out
}

// findAddresses finds street addresses: a house number, capitalised
// words with a street word or a second number, then unit, town, region
// and postcode.
func (a *Analyzer) findAddresses(sc *scratch, text string, out []model.PHIFinding) []model.PHIFinding {
	toks := sc.toks
	for i := 0; i < len(toks); i++ {
		t := &toks[i]
		unit := false
		if t.kind == tWord {
			if t.info.cls&clsUnit != 0 && t.flags&fCap != 0 {
				unit = true
			}
		}
		if t.kind != tNum && !unit {
			continue
		}
		if t.kind == tNum && (t.e-t.s > 6 || strings.ContainsAny(text[t.s:t.e], ".,:/-") || t.s > 0 && text[t.s-1] == '#') {
			continue // a decimal, a time, a range, "#13thingsilove", "#2"
		}
		if unit {
			j := i + 1
			if j < len(toks) && toks[j].kind == tPunct && sc.norm[toks[j].ns] != ',' {
				j++
			}
			if j < len(toks) && toks[j].kind == tNum {
				out = append(out, model.PHIFinding{Type: PHIAddress, Start: int(t.s), End: int(toks[j].e)})
				i = j
			}
			continue
		}
		// Street words after the number (and a second number: "3369 24 Clarke Avenue").
		j, words, street, num2 := i+1, 0, false, false
		if j < len(toks) && toks[j].kind == tNum && toks[j].e-toks[j].s <= 5 {
			j++
		}
		dot := false // a full stop passed: a second number is another sentence's
		for j < len(toks) && words < 5 {
			u := &toks[j]
			isStreet := u.info.cls&clsStreet != 0
			if u.flags&fHashtag != 0 {
				break // "#2 #NDSU Bison 26": a ranking, not a street
			}
			if words == 0 && u.kind == tWord && u.flags&fCap == 0 && a.knownToken(u) {
				break // "60 yard run": a street's name is written with a capital
			}
			if u.kind == tWord && (u.flags&fCap != 0 || words > 0 && u.info.cls&clsConnector != 0 || isStreet && words > 0 || !a.knownToken(u) && u.ne-u.ns > 3) {
				if isStreet && words > 0 {
					street = true
				}
				words++
				j++
				continue
			}
			if u.kind == tPunct && sc.norm[u.ns] == '.' && words > 0 && u.s == toks[j-1].e {
				// "Boise.  7-10" ends a sentence; "u. 12", "Avda. Rio" abbreviate.
				dot = toks[j-1].info.cls&(clsStreet|clsUnit) == 0 && (toks[j-1].ne-toks[j-1].ns >= 5 || strings.HasPrefix(text[u.e:], "  "))
				j++
				continue
			}
			if u.kind == tNum && words > 0 && u.e-u.s <= 5 && !dot && !(int(u.e) < len(text) && text[u.e] == '%') {
				num2 = true
				j++
			}
			break
		}
		if words == 0 || !(street || num2) {
			continue
		}
		capital := false
		for k := i + 1; k < j; k++ {
			capital = capital || toks[k].kind == tWord && (toks[k].flags&fCap != 0 || text[toks[k].s] >= 0x80)
		}
		if !capital && !a.lex.hasAddressCue(text, int(t.s)) {
			continue // "60 yard run": a street's name has a capital
		}
		if !street && !num2 {
			continue
		}
		// A number then one word then a number is often a date or score
		// ("3 March 2020"); require a street word, address context or a
		// non-dictionary word.
		if !street {
			if toks[j-2].info.cls&clsMonth != 0 {
				continue
			}
			if !a.knownToken(&toks[j-2]) || a.lex.hasAddressCue(text, int(t.s)) {
				// ok
			} else {
				continue
			}
		}
		end := continueAddress(sc, j, int(toks[j-1].e))
		out = append(out, model.PHIFinding{Type: PHIAddress, Start: int(t.s), End: end})
		for i+1 < len(toks) && int(toks[i+1].s) < end {
			i++
		}
	}
	return out
}

// hasAddressCue reports whether one of address_cues.txt is in the 40
// bytes of text before s.
func (l *lexicons) hasAddressCue(text string, s int) bool {
	from := s - 40
	if from < 0 {
		from = 0
	}
	ctx := strings.ToLower(text[from:s])
	for _, c := range l.addressCues {
		if strings.Contains(ctx, c) {
			return true
		}
	}
	return false
}

// continueAddress extends an address ending at byte end, whose next token
// is j, over units, towns, regions, countries and postcodes.
func continueAddress(sc *scratch, j, end int) int {
	toks := sc.toks
	for k := j; k < len(toks) && k < j+14; k++ {
		u := &toks[k]
		switch u.kind {
		case tPunct:
			switch sc.norm[u.ns] {
			case ',', '.', '>', '#', '(', ')', '-':
				continue
			}
			return end
		case tNum:
			if u.e-u.s > 7 {
				return end
			}
			end = int(u.e)
		case tWord:
			if u.flags&(fCap|fAllCaps) == 0 && u.info.cls&(clsUnit|clsConnector) == 0 || u.info.cls&clsSentenceWord != 0 {
				return end
			}
			end = int(u.e)
		default:
			return end
		}
	}
	return end
}

// findStreetFirst finds "Street-name 12" addresses (number after the
// name) when the name has a street ending or follows an address cue.
func (a *Analyzer) findStreetFirst(sc *scratch, text string, out []model.PHIFinding) []model.PHIFinding {
	toks := sc.toks
	nextNum := len(toks) // index of the next number token at or after i
	for i := len(toks) - 1; i >= 0 && nextNum == len(toks); i-- {
		if toks[i].kind == tNum {
			nextNum = i
		}
	}
	if nextNum == len(toks) {
		return out
	}
	nextNum = -1
	for i := 0; i < len(toks); i++ {
		if nextNum < i {
			nextNum = i
			for nextNum < len(toks) && toks[nextNum].kind != tNum {
				nextNum++
			}
		}
		if nextNum >= len(toks) {
			break
		}
		if nextNum-i > 6 {
			continue // no number close enough
		}
		t := &toks[i]
		if t.kind != tWord || t.flags&fCap == 0 && !a.lex.streetEndings.match(sc.word(t)) || t.info.cls&clsGivenName != 0 || t.flags&fHashtag != 0 {
			continue
		}
		if a.lex.streetEndings.whole(sc.word(t)) && i+1 < len(toks) && toks[i+1].kind == tNum || t.flags&fAllCaps != 0 && i+1 < len(toks) && a.lex.streetEndings.whole(sc.word(&toks[i+1])) {
			continue // "gate 36", "MCO gate 4": the ending alone names no street
		}
		if i > 0 && toks[i-1].kind == tWord && toks[i-1].flags&fCap != 0 && toks[i-1].info.cls&clsGivenName != 0 && t.s == toks[i-1].e+1 {
			continue // a surname ("Sara Schwarz 28245 Puruntie 12")
		}
		j, ending := i, false
		for j < len(toks) && j < i+4 && toks[j].kind == tWord {
			w := sc.word(&toks[j])
			if a.lex.streetEndings.match(w) || j > i && w[0] == 'u' && len(w) <= 2 {
				ending = true
			}
			if j > i && toks[j].flags&fCap == 0 && !a.lex.streetEndings.match(w) && toks[j].info.cls&clsConnector == 0 {
				break
			}
			j++
			if j < len(toks) && toks[j].kind == tPunct && sc.norm[toks[j].ns] == '.' {
				j++
			}
		}
		if j >= len(toks) || j == i || toks[j].kind != tNum || toks[j].e-toks[j].s > 5 {
			continue
		}
		if !ending && !(a.lex.hasAddressCue(text, int(t.s)) && !a.knownToken(t)) {
			continue
		}
		end := continueAddress(sc, j+1, int(toks[j].e))
		out = append(out, model.PHIFinding{Type: PHIAddress, Start: int(t.s), End: end})
		i = j
	}
	return out
}

// streetEndings are the endings of street_endings.txt by their last
// byte.
type streetEndings [256][]string

func loadStreetEndings(fsys fs.FS) (streetEndings, error) {
	var t streetEndings
	ends, err := readWords(fsys, "street_endings.txt")
	if err != nil {
		return t, err
	}
	for _, e := range ends {
		t[e[len(e)-1]] = append(t[e[len(e)-1]], e)
	}
	return t, nil
}

// whole reports whether the normalised word w is an ending by itself.
func (t *streetEndings) whole(w []byte) bool {
	if len(w) == 0 {
		return false
	}
	for _, e := range t[w[len(w)-1]] {
		if string(w) == e {
			return true
		}
	}
	return false
}

// match reports whether the normalised word w ends like a street name.
func (t *streetEndings) match(w []byte) bool {
	if len(w) == 0 {
		return false
	}
	for _, e := range t[w[len(w)-1]] {
		if len(w) >= len(e) && string(w[len(w)-len(e):]) == e {
			return true
		}
	}
	return false
}
