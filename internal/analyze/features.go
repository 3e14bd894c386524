package analyze

import (
	"math"
	"math/bits"
)

// feat is one model feature: a name prefix, up to two tokens whose
// normalised forms follow it, and a value. The hash of a feature is the FNV
// hash of its name, so names (kept in serialised models) and hashes (used
// when scoring) always agree.
type feat struct {
	pfx  string
	a, b int32 // token indexes, -1 when unused
	v    float32
	h    uint64 // featHash of the feature, set by extract
}

// FNV states after the feature name prefixes extract uses, so a feature's
// hash costs only the bytes of its tokens.
var (
	hashPfxW     = hashString(fnvOffset, "w:")
	hashPfxN     = hashString(fnvOffset, "n:")
	hashPfxH     = hashString(fnvOffset, "h:")
	hashPfxB     = hashString(fnvOffset, "b:")
	hashPfxFirst = hashString(fnvOffset, "b:^ ")
	hashPfxE     = hashString(fnvOffset, "e:")
	hashNum      = hashBytes(fnvOffset, numNorm)
)

// denseNames are the names of the dense features, in extract's order.
var denseNames = [...]string{"d:pos", "d:neg", "d:npos", "d:nneg", "d:butpos", "d:butneg",
	"d:emopos", "d:emoneg", "d:excl", "d:quest", "d:caps", "d:net"}

// Hashes of the features with fixed names.
var (
	denseHashes = func() (hs [len(denseNames)]uint64) {
		for i, n := range denseNames {
			hs[i] = hashString(fnvOffset, n)
		}
		return hs
	}()
	hashQStart     = hashString(fnvOffset, "d:qstart")
	hashLen        = hashString(fnvOffset, "d:len")
	hashAddressed  = hashString(fnvOffset, "d:addressed")
	hashAddressedQ = hashString(fnvOffset, "d:addressed?")
)

// hash3 continues three FNV hashes over b at once: their multiplications
// are independent, so the loop costs about what one hash does.
func hash3(h1, h2, h3 uint64, b []byte) (uint64, uint64, uint64) {
	for _, c := range b {
		x := uint64(c)
		h1 = (h1 ^ x) * fnvPrime
		h2 = (h2 ^ x) * fnvPrime
		h3 = (h3 ^ x) * fnvPrime
	}
	return h1, h2, h3
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
	// prevB is the FNV state of "b:" + the previous token's form + " ",
	// from which the bigram ending at this token continues.
	var prevB uint64
	for i := start; i < len(toks); i++ {
		t := &toks[i]
		if !usable(t) {
			prev = -1
			continue
		}
		pfx, hw := "w:", hashPfxW
		if t.flags&fNeg != 0 {
			pfx, hw = "n:", hashPfxN
		}
		norm := featNorm(sc, t)
		hw, hb, nextB := hash3(hw, prevB, hashPfxB, norm)
		fs = append(fs, feat{pfx: pfx, a: int32(i), b: -1, v: 1, h: hw})
		if t.flags&fHashtag != 0 {
			fs = append(fs, feat{pfx: "h:", a: int32(i), b: -1, v: 1, h: hashBytes(hashPfxH, norm)})
		}
		if first {
			fs = append(fs, feat{pfx: "b:^ ", a: int32(i), b: -1, v: 1, h: hashBytes(hashPfxFirst, norm)})
			first = false
		}
		if prev >= 0 {
			fs = append(fs, feat{pfx: "b:", a: prev, b: int32(i), v: 1, h: hb})
		}
		prev = int32(i)
		prevB = (nextB ^ ' ') * fnvPrime
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
			p, ok := float32(info.pol), info.hasPol
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
		fs = append(fs, feat{pfx: "e:", a: prev, b: -1, v: 1, h: hashBytes(hashPfxE, featNorm(sc, &toks[prev]))})
	}
	if start < len(toks) {
		if toks[start].kind == tWord && toks[start].info.cls&clsQuestion != 0 || toks[start].kind == tPunct && toks[start].h == hashQuest {
			sig.questionStart = true
		}
	}
	// Cue groups.
	sc.hits = l.cues.match(toks, sc.hits[:0])
	var groups uint64 // bit g for sig.cue[g]
	for _, h := range sc.hits {
		if int(h.label) < len(sig.cue) {
			sig.cue[h.label] = true
			groups |= 1 << h.label
		}
	}
	// In group order, as the model was trained.
	for ; groups != 0; groups &= groups - 1 {
		if g := bits.TrailingZeros64(groups); g < len(l.cueNames) {
			fs = append(fs, feat{pfx: l.cueNames[g], a: -1, b: -1, v: 1, h: l.cueHashes[g]})
		}
	}
	dense := [len(denseNames)]float32{
		sig.pos, sig.neg, sig.npos, sig.nneg, sig.butPos, sig.butNeg,
		float32(sig.emoPos), float32(sig.emoNeg), float32(sig.excl), float32(sig.quest), float32(sig.caps),
		sig.pos + sig.butPos*1.5 + sig.nneg*0.5 - sig.neg - sig.butNeg*1.5 - sig.npos*0.7 + 2*float32(sig.emoPos-sig.emoNeg),
	}
	for k, v := range dense {
		if v != 0 {
			fs = append(fs, feat{pfx: denseNames[k], a: -1, b: -1, v: squash(v), h: denseHashes[k]})
		}
	}
	if sig.questionStart {
		fs = append(fs, feat{pfx: "d:qstart", a: -1, b: -1, v: 1, h: hashQStart})
	}
	fs = append(fs, feat{pfx: "d:len", a: -1, b: -1, v: float32(math.Log1p(float64(sig.words))) / 3, h: hashLen})
	if start > 0 {
		// Addressed to an account: customer care rather than chatter.
		fs = append(fs, feat{pfx: "d:addressed", a: -1, b: -1, v: 1, h: hashAddressed})
		if sig.quest > 0 {
			fs = append(fs, feat{pfx: "d:addressed?", a: -1, b: -1, v: 1, h: hashAddressedQ})
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
	// pre[n] is the hash of w[:n].
	var pre [41]uint64
	h := uint64(fnvOffset)
	for n, c := range w {
		pre[n] = h
		h = (h ^ uint64(c)) * fnvPrime
	}
	for n := len(w) - 2; n >= 4; n-- {
		if p, ok := l.polarity(pre[n]); ok {
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
