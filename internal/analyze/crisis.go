package analyze

import (
	"fmt"
	"io/fs"
	"math"
	"strings"
	"sync"

	"earshot/internal/model"
)

// Crisis detection has two stages. The gate (data/crisis_gate.txt) is a
// broad list of words and stems that any post about a person at risk
// almost always holds (die, pills, chest, knife, bruises, morir, ...);
// most ordinary posts hold none, and for them crisis detection costs one
// table lookup a word. A post that passes the gate, or holds a critical
// cue of data/cues_critical.txt, is read by the crisis model
// (crisismodel.go), which decides whether someone is at risk now and of
// what kind: "gave me a heart attack", an article, a thank-you for last
// year's care and a coverage question pass the gate but are not critical.

// crisisGate is the first stage: words, and stems that match any word
// starting with them.
type crisisGate struct {
	words *hashTable[struct{}]
	stems *hashTable[struct{}]
	// stemLens has bit n set when some stem is n bytes long.
	stemLens uint64
}

// loadCrisisGate reads crisis_gate.txt: one word a line, "stem*" for a
// stem.
func loadCrisisGate(fsys fs.FS) (*crisisGate, error) {
	items, err := readWords(fsys, "crisis_gate.txt")
	if err != nil {
		return nil, err
	}
	g := &crisisGate{words: tableOf(map[uint64]struct{}{}), stems: tableOf(map[uint64]struct{}{})}
	for _, it := range items {
		if stem, ok := strings.CutSuffix(it, "*"); ok {
			if len(stem) < 3 || len(stem) > 63 {
				return nil, fmt.Errorf("crisis_gate.txt: stem %q must be 3 to 63 bytes", it)
			}
			g.stems.put(hashString(fnvOffset, stem), struct{}{})
			g.stemLens |= 1 << len(stem)
			continue
		}
		g.words.put(hashString(fnvOffset, it), struct{}{})
	}
	return g, nil
}

var stdCrisisGate = sync.OnceValue(func() *crisisGate {
	g, err := loadCrisisGate(wordLists())
	if err != nil {
		panic("analyze: " + err.Error())
	}
	return g
})

// passes reports whether a word token opens the gate.
func (g *crisisGate) passes(sc *scratch, t *token) bool {
	if g.words.has(t.h) {
		return true
	}
	w := sc.word(t)
	h := uint64(fnvOffset)
	for n := 1; n <= len(w) && n < 64; n++ {
		h = (h ^ uint64(w[n-1])) * fnvPrime
		if g.stemLens&(1<<n) != 0 && g.stems.has(h) {
			return true
		}
	}
	return false
}

// gated reports whether the tokens of sc pass the gate.
func (g *crisisGate) gated(sc *scratch) bool {
	for i := range sc.toks {
		if t := &sc.toks[i]; t.kind == tWord && g.passes(sc, t) {
			return true
		}
	}
	return false
}

// crisisFullWords is the length from which a text's features are scaled
// down (by the square root of the excess), so that a long post does not
// outvote a tweet by its length alone.
const crisisFullWords = 40

// crisisFeatures calls emit with the name and value of every crisis
// model feature of the tokenised text in sc, given the urgency cue hits
// in hits: words ("w:"), words in a negation scope ("n:"), bigrams
// ("b:"), critical cue groups ("c:group", "c:group:neg" when negated or
// told of the past), and a link ("u:link"). buf is working memory; the
// name passed to emit is valid only during the call.
func (a *Analyzer) crisisFeatures(sc *scratch, hits []phraseHit, buf []byte, emit func(name []byte, v float32)) []byte {
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
	prev := -1 // index of the previous word or number token, -1 after a break
	link := false
	for i := range sc.toks {
		t := &sc.toks[i]
		var w []byte
		switch t.kind {
		case tWord:
			w = sc.word(t)
		case tNum:
			w = sc.word(t)
			if len(w) > 3 {
				w = []byte("#")
			}
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
		pfx := "w:"
		if t.flags&fNeg != 0 {
			pfx = "n:"
		}
		buf = append(append(buf[:0], pfx...), w...)
		emit(buf, v)
		if prev >= 0 {
			p := &sc.toks[prev]
			pw := sc.word(p)
			if p.kind == tNum && len(pw) > 3 {
				pw = []byte("#")
			}
			buf = append(append(append(append(buf[:0], "b:"...), pw...), ' '), w...)
			emit(buf, v)
		}
		prev = i
	}
	if link {
		emit(append(buf[:0], "u:link"...), 1)
	}
	for _, h := range hits {
		id := int(h.label)
		if a.lex.urgentLevel[id] != model.UrgencyCritical {
			continue
		}
		buf = append(append(buf[:0], "c:"...), a.lex.urgentNames[id]...)
		if a.negatedCrisis(sc, h) || reportedVisit(sc, h) {
			buf = append(buf, ":neg"...)
		}
		emit(buf, 1)
	}
	return buf
}

// crisisCues reports whether hits hold a critical cue.
func (a *Analyzer) crisisCues(hits []phraseHit) bool {
	for _, h := range hits {
		if a.lex.urgentLevel[h.label] == model.UrgencyCritical {
			return true
		}
	}
	return false
}

// crisisKinds returns the crisis kinds of the analysed text, most likely
// first, or nil when no one is at risk. hits are the urgency cue hits.
func (a *Analyzer) crisisKinds(sc *scratch, hits []phraseHit) []string {
	if !a.crisisCues(hits) && !stdCrisisGate().gated(sc) {
		return nil
	}
	m := a.crisis
	var z [crisisClasses]float64
	for c := range z {
		z[c] = float64(m.Bias[c])
	}
	var buf [128]byte
	a.crisisFeatures(sc, hits, buf[:0], func(name []byte, v float32) {
		w, ok := m.compiled.get(hashBytes(fnvOffset, name))
		if !ok {
			return
		}
		for c := range z {
			z[c] += float64(v) * float64(w[c])
		}
	})
	return m.decide(softmaxN(z[:]))
}

// CrisisFeature is one feature of the crisis model and its value.
type CrisisFeature struct {
	Name  string
	Value float32
}

// CrisisFeatures returns the crisis model's features of text, for
// training; Gated says whether the text passes the first stage (the
// model sees only such texts).
func (a *Analyzer) CrisisFeatures(text string) (fs []CrisisFeature, gated bool) {
	st := a.begin(text)
	defer a.end(st)
	sc := st.sc
	sc.hits = a.lex.urgent.match(sc.toks, sc.hits[:0])
	gated = a.crisisCues(sc.hits) || stdCrisisGate().gated(sc)
	a.crisisFeatures(sc, sc.hits, nil, func(name []byte, v float32) {
		fs = append(fs, CrisisFeature{Name: string(name), Value: v})
	})
	return fs, gated
}
