package analyze

import (
	"fmt"
	"io/fs"
	"math"
	"strings"
	"sync"

	"earshot/internal/model"
	"earshot/internal/wordvec"
)

// Crisis detection is a trained model (crisismodel.go) over the words
// and bigrams of a post, the critical cues of data/cues_critical.txt, and
// the crisis words of data/crisis_gate.txt (die, pills, chest, knife,
// bruises, morir, ...; stems too). It decides whether someone is at risk
// now and of what kind: "gave me a heart attack", an article, a
// thank-you for last year's care and a coverage question hold crisis
// words but are not critical. The crisis words were first a gate that
// let only posts holding one reach the model; indirect statements ("my
// last shift ever", a pillow over a face) slipped past any list broad
// enough, and the model is cheap enough to read every post, so they are
// now features that tell it where to look.

// crisisGate holds the crisis words: words, and stems that match any
// word starting with them.
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

// passes reports whether a word token is a crisis word.
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

// crisisFullWords is the length from which a text's features are scaled
// down (by the square root of the excess), so that a long post does not
// outvote a tweet by its length alone.
const crisisFullWords = 40

// Crisis feature names are a kind and words: "w:word" (a word), "n:word"
// (a word in a negation scope), "b:word word" (a bigram), "c:group" and
// "c:group:neg" (a critical cue of cues_critical.txt, the second negated
// or told of the past), "g:word" (a crisis word), "g:gate" (the post
// holds one) and "u:link". A feature's hash mixes the kind's hash with
// each word's token hash, so that the analyser never hashes a name:
// crisisHash is the same function over a name.
var (
	crisisPfxW = hashString(fnvOffset, "w")
	crisisPfxN = hashString(fnvOffset, "n")
	crisisPfxB = hashString(fnvOffset, "b")
	crisisPfxC = hashString(fnvOffset, "c")
	crisisPfxG = hashString(fnvOffset, "g")
	crisisLink = crisisMix(hashString(fnvOffset, "u"), hashString(fnvOffset, "link"))
	crisisAny  = crisisMix(crisisPfxG, hashString(fnvOffset, "gate"))
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
	if kind == "c" || kind == "u" {
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
func (a *Analyzer) crisisFeatures(sc *scratch, hits []phraseHit, names *[]string, emit func(h uint64, v float32)) {
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
	gate := stdCrisisGate()
	prev := -1 // index of the previous word or number token, -1 after a break
	var prevH uint64
	link, gated := false, false
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
		if t.kind == tWord && gate.passes(sc, t) {
			gated = true
			emit(crisisMix(crisisPfxG, wh), v)
			if names != nil {
				*names = append(*names, "g:"+crisisWordName(sc, t))
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
	if gated {
		emit(crisisAny, 1)
		if names != nil {
			*names = append(*names, "g:gate")
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
		}
		emit(crisisMix(crisisPfxC, hashString(fnvOffset, name)), 1)
		if names != nil {
			*names = append(*names, "c:"+name)
		}
	}
}

// crisisKinds returns the crisis kinds of the analysed text, most likely
// first, or nil when no one is at risk. hits are the urgency cue hits.
func (a *Analyzer) crisisKinds(sc *scratch, hits []phraseHit) []string {
	m := a.crisis
	var z [crisisClasses]float64
	for c := range z {
		z[c] = float64(m.Bias[c])
	}
	a.crisisFeatures(sc, hits, nil, func(h uint64, v float32) {
		w, ok := m.compiled.get(h)
		if !ok {
			return
		}
		for c := range z {
			z[c] += float64(v) * float64(w[c])
		}
	})
	if m.proj != nil {
		// The mean word vector times its weights is the mean of the
		// words' projections (crisismodel.go).
		var sum [crisisClasses]float64
		n := 0
		for i := range sc.toks {
			t := &sc.toks[i]
			if t.kind != tWord {
				continue
			}
			if p, ok := m.proj.get(t.h); ok {
				n++
				for c := range sum {
					sum[c] += float64(p[c])
				}
			}
		}
		if n > 0 {
			for c := range z {
				z[c] += sum[c] / float64(n)
			}
		}
	}
	return m.decide(softmaxN(z[:]))
}

// CrisisFeature is one feature of the crisis model and its value.
type CrisisFeature struct {
	Name  string
	Value float32
}

// CrisisFeatures returns the crisis model's features of text and its
// mean word vector (over the words the word vectors know; nil when none),
// for training and for reading what the model saw.
func (a *Analyzer) CrisisFeatures(text string) ([]CrisisFeature, []float32) {
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
	var words []string
	for i := range sc.toks {
		if tk := &sc.toks[i]; tk.kind == tWord {
			words = append(words, string(sc.word(tk)))
		}
	}
	mean := make([]float32, t.Dim())
	if t.Mean(words, mean) == 0 {
		mean = nil
	}
	return fs, mean
}
