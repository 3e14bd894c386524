package analyze

import "math"

// feat is one model feature: a name prefix, up to two tokens whose
// normalised forms follow it, and a value. The hash of a feature is the FNV
// hash of its name, so names (kept in serialised models) and hashes (used
// when scoring) always agree.
type feat struct {
	pfx  string
	a, b int32 // token indexes, -1 when unused
	v    float32
}

// featNorm returns the form of token t used in feature names.
func featNorm(sc *scratch, t *token) []byte {
	switch t.kind {
	case tNum:
		return numNorm
	}
	return sc.norm[t.ns:t.ne]
}

var numNorm = []byte("0")

func featHash(sc *scratch, f *feat) uint64 {
	h := hashString(fnvOffset, f.pfx)
	if f.a >= 0 {
		h = hashBytes(h, featNorm(sc, &sc.toks[f.a]))
	}
	if f.b >= 0 {
		h = hashString(h, " ")
		h = hashBytes(h, featNorm(sc, &sc.toks[f.b]))
	}
	return h
}

func featName(sc *scratch, f *feat) string {
	n := f.pfx
	if f.a >= 0 {
		n += string(featNorm(sc, &sc.toks[f.a]))
	}
	if f.b >= 0 {
		n += " " + string(featNorm(sc, &sc.toks[f.b]))
	}
	return n
}

// signals are the text-level facts computed once and shared by the
// sentiment features, intents, urgency and needs_response.
type signals struct {
	pos, neg       float32 // lexicon sums outside negation
	npos, nneg     float32 // polar words inside a negation scope
	butPos, butNeg float32 // after a contrast word
	emoPos, emoNeg int
	excl, quest    int
	caps           int
	words          int
	cue            [64]bool // sentiment cue groups present, by group index
	questionStart  bool
	lang           [len(latinLanguages)]int16 // function words per language
}

// usable reports whether token t takes part in n-gram features.
func usable(t *token) bool {
	return t.kind != tPunct || t.h == hashBang || t.h == hashQuest
}

// extract appends the sentiment features of the tokenised text in sc to
// fs and fills sig.
func (l *lexicons) extract(sc *scratch, fs []feat, sig *signals) []feat {
	toks := sc.toks
	// Skip the leading @mentions of a reply.
	start := 0
	for start < len(toks) && toks[start].kind == tMention {
		start++
	}
	prev := int32(-1)
	first := true
	for i := start; i < len(toks); i++ {
		t := &toks[i]
		if !usable(t) {
			prev = -1
			continue
		}
		pfx := "w:"
		if t.flags&fNeg != 0 {
			pfx = "n:"
		}
		fs = append(fs, feat{pfx: pfx, a: int32(i), b: -1, v: 1})
		if t.flags&fHashtag != 0 {
			fs = append(fs, feat{pfx: "h:", a: int32(i), b: -1, v: 1})
		}
		if first {
			fs = append(fs, feat{pfx: "b:^ ", a: int32(i), b: -1, v: 1})
			first = false
		}
		if prev >= 0 {
			fs = append(fs, feat{pfx: "b:", a: prev, b: int32(i), v: 1})
		}
		prev = int32(i)
		switch t.kind {
		case tWord:
			sig.words++
			if t.flags&fAllCaps != 0 && t.ne-t.ns >= 3 {
				sig.caps++
			}
			info := &t.info
			if info.lang != 0 && t.flags&fHashtag == 0 {
				countLanguage(&sig.lang, info.lang)
			}
			p, ok := info.pol, info.hasPol
			if !ok && t.flags&fHashtag != 0 {
				p, ok = l.compoundPolarity(sc.word(t))
			}
			if !ok {
				continue
			}
			if i > 0 {
				if pc := toks[i-1].info.cls; pc&clsIntensifier != 0 && toks[i-1].kind == tWord {
					p *= 1.5
				} else if pc&clsDiminisher != 0 && toks[i-1].kind == tWord {
					p *= 0.6
				}
			}
			if t.flags&fElong != 0 || t.flags&fAllCaps != 0 {
				p *= 1.3
			}
			switch {
			case t.flags&fNeg != 0 && p > 0:
				sig.npos += p
			case t.flags&fNeg != 0:
				sig.nneg -= p
			case t.flags&fAfterBut != 0 && p > 0:
				sig.butPos += p
			case t.flags&fAfterBut != 0:
				sig.butNeg -= p
			case p > 0:
				sig.pos += p
			default:
				sig.neg -= p
			}
		case tEmoPos:
			sig.emoPos++
		case tEmoNeg:
			sig.emoNeg++
		case tPunct:
			if t.h == hashBang {
				sig.excl++
			} else {
				sig.quest++
			}
		}
	}
	if prev >= 0 {
		fs = append(fs, feat{pfx: "e:", a: prev, b: -1, v: 1})
	}
	if start < len(toks) {
		if toks[start].kind == tWord && toks[start].info.cls&clsQuestion != 0 || toks[start].kind == tPunct && toks[start].h == hashQuest {
			sig.questionStart = true
		}
	}
	// Cue groups.
	sc.hits = l.cues.match(toks, sc.hits[:0])
	for _, h := range sc.hits {
		if int(h.label) < len(sig.cue) {
			sig.cue[h.label] = true
		}
	}
	for g := range l.cueNames {
		if sig.cue[g] {
			fs = append(fs, feat{pfx: l.cueNames[g], a: -1, b: -1, v: 1})
		}
	}
	dense := [...]struct {
		name string
		v    float32
	}{
		{"d:pos", sig.pos}, {"d:neg", sig.neg}, {"d:npos", sig.npos}, {"d:nneg", sig.nneg},
		{"d:butpos", sig.butPos}, {"d:butneg", sig.butNeg},
		{"d:emopos", float32(sig.emoPos)}, {"d:emoneg", float32(sig.emoNeg)},
		{"d:excl", float32(sig.excl)}, {"d:quest", float32(sig.quest)}, {"d:caps", float32(sig.caps)},
		{"d:net", sig.pos + sig.butPos*1.5 + sig.nneg*0.5 - sig.neg - sig.butNeg*1.5 - sig.npos*0.7 + 2*float32(sig.emoPos-sig.emoNeg)},
	}
	for _, d := range dense {
		if d.v != 0 {
			fs = append(fs, feat{pfx: d.name, a: -1, b: -1, v: squash(d.v)})
		}
	}
	if sig.questionStart {
		fs = append(fs, feat{pfx: "d:qstart", a: -1, b: -1, v: 1})
	}
	fs = append(fs, feat{pfx: "d:len", a: -1, b: -1, v: float32(math.Log1p(float64(sig.words))) / 3})
	if start > 0 {
		// Addressed to an account: customer care rather than chatter.
		fs = append(fs, feat{pfx: "d:addressed", a: -1, b: -1, v: 1})
		if sig.quest > 0 {
			fs = append(fs, feat{pfx: "d:addressed?", a: -1, b: -1, v: 1})
		}
	}
	return fs
}

// compoundPolarity reads a run-together hashtag ("#neveragain",
// "#worstserviceever", "#lovemynurses") by the polarity of its longest
// known word of four letters or more at its start or end. A hashtag that
// negates a known word ("#nothappy", "#neverhelpful") has the opposite
// polarity, halved when the negated word is negative ("#notbad").
func (l *lexicons) compoundPolarity(w []byte) (float32, bool) {
	if len(w) < 6 || len(w) > 40 {
		return 0, false
	}
	for _, neg := range [...]string{"not", "never", "no"} {
		if len(w) > len(neg)+3 && string(w[:len(neg)]) == neg {
			if p, ok := l.polarity(hashBytes(fnvOffset, w[len(neg):])); ok {
				if p > 0 {
					return -p, true
				}
				return -p / 2, true
			}
		}
	}
	for n := len(w) - 2; n >= 4; n-- {
		if p, ok := l.polarity(hashBytes(fnvOffset, w[:n])); ok {
			return p, true
		}
		if p, ok := l.polarity(hashBytes(fnvOffset, w[len(w)-n:])); ok {
			return p, true
		}
	}
	return 0, false
}

// squash bounds a count or sum to about [-2, 2] keeping its sign.
func squash(x float32) float32 {
	if x < 0 {
		return -squash(-x)
	}
	return float32(math.Log1p(float64(x)))
}
