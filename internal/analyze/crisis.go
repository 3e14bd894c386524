package analyze

import (
	"fmt"
	"io/fs"
	"math"
	"strings"

	"earshot/internal/model"
	"earshot/internal/wordvec"
)

// Crisis detection is a trained model (crisismodel.go) over the words
// and bigrams of a post, the critical cues of data/cues_critical.txt, and
// the crisis words of data/crisis_gate.txt (die, pills, chest, knife,
// bruises, morir, ...; stems too). It decides whether someone is at risk
// now and of what kind: "gave me a heart attack", an article, a
// thank-you for last year's care and a coverage question hold crisis
// words but are not critical. The crisis words are both the first stage
// (a post with none of them and no critical cue is never critical, and
// costs a lookup a word) and features of the model, by word and by
// section. The list is broad on purpose, with a section of indirect
// words (tonight, goodbye, nobody, ready, passwords, garage), since
// indirect statements ("my last shift ever") slip past any narrow one.
// Context sections ("[+person]", "[+past]", ...) name who and when: they
// pass no post to the model, which reads them paired with the crisis
// sections a post touches.

// crisisGate holds the crisis words: words, and stems that match any
// word starting with them, each with the sections (bits) it is in.
type crisisGate struct {
	words *hashTable[uint16]
	stems *hashTable[uint16]
	// stemLens has bit n set when some stem is n bytes long.
	stemLens uint64
	// names are the sections, bit i of a word's value naming names[i].
	names []string
	// gate has the bits of the crisis sections; the others are context
	// sections ("[+person]", "[+future]"): their words are no crisis
	// words and pass no post to the model, but the model reads them
	// paired with the crisis sections a post touches ("i" and "tonight"
	// with a farewell; "i'll" with a weapon).
	gate uint16
}

// loadCrisisGate reads crisis_gate.txt: sections of one word a line,
// "stem*" for a stem; a section named "+name" is a context section.
func loadCrisisGate(fsys fs.FS) (*crisisGate, error) {
	secs, err := readList(fsys, "crisis_gate.txt")
	if err != nil {
		return nil, err
	}
	if err := singleWords("crisis_gate.txt", secs); err != nil {
		return nil, err
	}
	if len(secs) > 16 {
		return nil, fmt.Errorf("crisis_gate.txt: %d sections, at most 16", len(secs))
	}
	words, stems := map[uint64]uint16{}, map[uint64]uint16{}
	g := &crisisGate{}
	for i, sec := range secs {
		if sec.name == "" {
			if len(sec.items) > 0 {
				return nil, fmt.Errorf("crisis_gate.txt: %q is before the first section", sec.items[0])
			}
			continue
		}
		bit := uint16(1) << i
		g.names = append(g.names, sec.name)
		if !strings.HasPrefix(sec.name, "+") {
			g.gate |= bit
		}
		for _, it := range sec.items {
			if stem, ok := strings.CutSuffix(it, "*"); ok {
				if len(stem) < 3 || len(stem) > 63 {
					return nil, fmt.Errorf("crisis_gate.txt: stem %q must be 3 to 63 bytes", it)
				}
				stems[hashString(fnvOffset, stem)] |= bit
				g.stemLens |= 1 << len(stem)
				continue
			}
			words[hashString(fnvOffset, it)] |= bit
		}
	}
	// Bits count sections with the unnamed one (if any) first: shift
	// them so that bit i names g.names[i].
	if len(secs) > 0 && secs[0].name == "" {
		g.gate >>= 1
		for h, v := range words {
			words[h] = v >> 1
		}
		for h, v := range stems {
			stems[h] = v >> 1
		}
	}
	g.words, g.stems = tableOf(words), tableOf(stems)
	return g, nil
}

// sections returns the sections (bits) of a word token, 0 for a word in
// none; it is a crisis word when one of them is in g.gate.
func (g *crisisGate) sections(sc *scratch, t *token) uint16 {
	bits, _ := g.words.get(t.h)
	w := sc.word(t)
	h := uint64(fnvOffset)
	for n := 1; n <= len(w) && n < 64; n++ {
		h = (h ^ uint64(w[n-1])) * fnvPrime
		if g.stemLens&(1<<n) != 0 {
			b, _ := g.stems.get(h)
			bits |= b
		}
	}
	return bits
}

// crisisFullWords is the length from which a text's features are scaled
// down (by the square root of the excess), so that a long post does not
// outvote a tweet by its length alone.
const crisisFullWords = 40

// crisisStemLen is the length of a word's stem feature, taken from
// words at least two bytes longer.
const crisisStemLen = 5

// Crisis feature names are a kind and words: "w:word" (a word), "n:word"
// (a word in a negation scope), "b:word word" (a bigram), "c:group" and
// "c:group:neg" (a critical cue of cues_critical.txt, the second negated
// or told of the past), "g:word" (a crisis word of crisis_gate.txt),
// "k:section" (the post holds a crisis word of that section), "s:stem"
// (the first five bytes of a longer word), "m:words" (the words of a
// critical cue), "p:a b" (the post touches sections a and b, at least
// one a crisis section: "p:indirect +person") and "u:link". A feature's hash mixes the kind's hash with
// each word's token hash, so that the analyser never hashes a name:
// crisisHash is the same function over a name.
var (
	crisisPfxW = hashString(fnvOffset, "w")
	crisisPfxN = hashString(fnvOffset, "n")
	crisisPfxB = hashString(fnvOffset, "b")
	crisisPfxC = hashString(fnvOffset, "c")
	crisisPfxG = hashString(fnvOffset, "g")
	crisisLink = crisisMix(hashString(fnvOffset, "u"), hashString(fnvOffset, "link"))
	crisisPfxK = hashString(fnvOffset, "k")
	crisisPfxM = hashString(fnvOffset, "m")
	crisisPfxS = hashString(fnvOffset, "s")
	crisisPfxP = hashString(fnvOffset, "p")
	crisisNum  = hashString(fnvOffset, "#")
)

func crisisMix(h, x uint64) uint64 {
	h = (h ^ x) * hashMix
	return h ^ h>>29
}

// crisisHash is the hash of a feature name, as crisisFeatures computes it.
func crisisHash(name string) uint64 {
	kind, rest, _ := strings.Cut(name, ":")
	h := hashString(fnvOffset, kind)
	if kind == "c" || kind == "u" || kind == "k" || kind == "p" {
		return crisisMix(h, hashString(fnvOffset, rest))
	}
	for _, w := range strings.Split(rest, " ") {
		h = crisisMix(h, hashString(fnvOffset, w))
	}
	return h
}

// crisisWordHash is the hash of a word or number token for crisis
// features: numbers longer than three digits are all "#".
func crisisWordHash(sc *scratch, t *token) uint64 {
	if t.kind == tWord {
		return t.h
	}
	w := sc.word(t)
	if len(w) > 3 {
		return crisisNum
	}
	return hashBytes(fnvOffset, w)
}

func crisisWordName(sc *scratch, t *token) string {
	if t.kind == tNum && t.ne-t.ns > 3 {
		return "#"
	}
	return string(sc.word(t))
}

// crisisFeatures calls emit with the hash and value of every crisis
// model feature of the tokenised text in sc, given the urgency cue hits
// in hits. When names is not nil, the features' names are appended to
// it in the order of the calls (for training).
// It returns whether a critical cue is not negated.
func (a *Analyzer) crisisFeatures(sc *scratch, hits []phraseHit, names *[]string, emit func(h uint64, v float32)) (cue bool) {
	words := 0
	for i := range sc.toks {
		if sc.toks[i].kind == tWord {
			words++
		}
	}
	v := float32(1)
	if words > crisisFullWords {
		v = float32(math.Sqrt(crisisFullWords / float64(words)))
	}
	gate := a.lex.crisisGate
	prev := -1 // index of the previous word or number token, -1 after a break
	var prevH uint64
	link := false
	var sections uint16
	for i := range sc.toks {
		t := &sc.toks[i]
		switch t.kind {
		case tWord, tNum:
		case tURL:
			link = true
			prev = -1
			continue
		case tMention:
			continue // a handle neither breaks a bigram nor is one
		default:
			prev = -1
			continue
		}
		wh := crisisWordHash(sc, t)
		pfx, kind := crisisPfxW, "w:"
		if t.flags&fNeg != 0 {
			pfx, kind = crisisPfxN, "n:"
		}
		emit(crisisMix(pfx, wh), v)
		if names != nil {
			*names = append(*names, kind+crisisWordName(sc, t))
		}
		if prev >= 0 {
			emit(crisisMix(crisisMix(crisisPfxB, prevH), wh), v)
			if names != nil {
				*names = append(*names, "b:"+crisisWordName(sc, &sc.toks[prev])+" "+crisisWordName(sc, t))
			}
		}
		if t.kind == tWord && t.ne-t.ns >= crisisStemLen+2 {
			// A stem: "stabbed" and "stabbing" share "stabb".
			emit(crisisMix(crisisPfxS, hashBytes(fnvOffset, sc.norm[t.ns:t.ns+crisisStemLen])), v)
			if names != nil {
				*names = append(*names, "s:"+string(sc.norm[t.ns:t.ns+crisisStemLen]))
			}
		}
		if t.kind == tWord {
			bits := gate.sections(sc, t)
			sections |= bits
			if bits&gate.gate != 0 {
				emit(crisisMix(crisisPfxG, wh), v)
				if names != nil {
					*names = append(*names, "g:"+crisisWordName(sc, t))
				}
			}
		}
		prev, prevH = i, wh
	}
	if link {
		emit(crisisLink, 1)
		if names != nil {
			*names = append(*names, "u:link")
		}
	}
	for i, name := range gate.names {
		if sections&(1<<i) == 0 {
			continue
		}
		emit(crisisMix(crisisPfxK, hashString(fnvOffset, name)), 1)
		if names != nil {
			*names = append(*names, "k:"+name)
		}
		for j := i + 1; j < len(gate.names); j++ {
			if sections&(1<<j) == 0 || (1<<i|1<<j)&gate.gate == 0 {
				continue
			}
			pair := name + " " + gate.names[j]
			emit(crisisMix(crisisPfxP, hashString(fnvOffset, pair)), 1)
			if names != nil {
				*names = append(*names, "p:"+pair)
			}
		}
	}
	for _, h := range hits {
		id := int(h.label)
		if a.lex.urgentLevel[id] != model.UrgencyCritical {
			continue
		}
		name := a.lex.urgentNames[id]
		if a.negatedCrisis(sc, h) || reportedVisit(sc, h) {
			name += ":neg"
		} else {
			cue = true
		}
		emit(crisisMix(crisisPfxC, hashString(fnvOffset, name)), 1)
		if names != nil {
			*names = append(*names, "c:"+name)
		}
		// The cue's own words: "take my own life" is not "suicidal".
		mh := crisisPfxM
		var mn []byte
		for k := int(h.s); k < int(h.e) && k < len(sc.toks); k++ {
			t := &sc.toks[k]
			if t.kind != tWord && t.kind != tNum {
				continue
			}
			mh = crisisMix(mh, crisisWordHash(sc, t))
			if names != nil {
				if len(mn) > 0 {
					mn = append(mn, ' ')
				}
				mn = append(mn, crisisWordName(sc, t)...)
			}
		}
		emit(mh, 1)
		if names != nil {
			*names = append(*names, "m:"+string(mn))
		}
	}
	return cue
}

// crisisKinds returns the crisis kinds of the analysed text, most likely
// first, or nil when no one is at risk. hits are the urgency cue hits.
func (a *Analyzer) crisisKinds(sc *scratch, hits []phraseHit) []string {
	if !a.crisisGated(sc, hits) {
		return nil
	}
	m := a.crisis
	var z [crisisClasses]float64
	for c := range z {
		z[c] = float64(m.Bias[c])
	}
	cue := a.crisisFeatures(sc, hits, nil, func(h uint64, v float32) {
		w, ok := m.compiled.get(h)
		if !ok {
			return
		}
		for c := range z {
			z[c] += float64(v) * float64(w[c])
		}
	})
	if m.proj != nil {
		// Each class adds its highest word score (crisismodel.go).
		m.addProjection(z[:], func(yield func(uint64) bool) {
			for i := range sc.toks {
				if t := &sc.toks[i]; t.kind == tWord && !yield(t.h) {
					return
				}
			}
		})
	}
	if kinds := m.decide(softmaxN(z[:]), cue); kinds != nil {
		return kinds
	}
	if a.ongoingEmergency(sc, hits) {
		return []string{CrisisMedicalEmergency}
	}
	return nil
}

// ongoingEmergency reports a medical emergency cue, not negated, in a
// post shaped like a review of a visit that says it is still going on:
// "waited 7 hours in the ER with chest pains and still nobody has seen
// me". Reviews of past waits are the commonest posts with such cues, and
// the model learns to discount them; one that says the emergency is now
// must not be discounted with them.
func (a *Analyzer) ongoingEmergency(sc *scratch, hits []phraseHit) bool {
	for _, h := range hits {
		if a.lex.urgentNames[h.label] == CrisisMedicalEmergency && !a.negatedCrisis(sc, h) && visitBefore(sc, h) && saysOngoing(sc) {
			return true
		}
	}
	return false
}

// crisisGated reports whether a post holds a crisis word or a critical
// cue. One that holds neither is never critical, whatever the model
// would say of its words: a model trained on a thousand crisis posts is
// unsure of a post about a wifi hotspot, and unsure is not at risk.
func (a *Analyzer) crisisGated(sc *scratch, hits []phraseHit) bool {
	for _, h := range hits {
		if a.lex.urgentLevel[h.label] == model.UrgencyCritical {
			return true
		}
	}
	g := a.lex.crisisGate
	for i := range sc.toks {
		if t := &sc.toks[i]; t.kind == tWord && g.sections(sc, t)&g.gate != 0 {
			return true
		}
	}
	return false
}

// CrisisFeature is one feature of the crisis model and its value.
type CrisisFeature struct {
	Name  string
	Value float32
}

// CrisisFeatures returns the crisis model's features of text and the
// indices in wordvec.Embedded of its words that have a vector, for
// training and for reading what the model saw.
func (a *Analyzer) CrisisFeatures(text string) ([]CrisisFeature, []int) {
	st := a.begin(text)
	defer a.end(st)
	sc := st.sc
	sc.hits = a.lex.urgent.match(sc.toks, sc.hits[:0])
	var names []string
	var fs []CrisisFeature
	a.crisisFeatures(sc, sc.hits, &names, func(h uint64, v float32) {
		fs = append(fs, CrisisFeature{Value: v})
	})
	for i := range fs {
		fs[i].Name = names[i]
	}
	t := wordvec.Embedded()
	var words []int
	for i := range sc.toks {
		if tk := &sc.toks[i]; tk.kind == tWord {
			if j, ok := t.Index(string(sc.word(tk))); ok {
				words = append(words, j)
			}
		}
	}
	return fs, words
}
