package analyze

import (
	"strconv"
	"sync"

	"earshot/internal/wordvec"
)

// Word vectors in the sentiment model.
//
// A model may weight the mean of the word vectors of a text (the words of
// wordvec.Embedded, GloVe) as 100 more features, "v:0" to "v:99", so that
// a word it never saw in training still counts by what it means: "dreadful"
// near "awful", "superb" near "great". Training sees those features as
// they are. Scoring never builds the mean: a linear model over a mean of
// vectors is the mean of each word's own score, so compile projects every
// word of the table through the model's v: weights once (three numbers a
// word) and scoring adds one looked-up score a word. A word inside a
// negation scope ("not great") counts with its vector negated, in
// training and scoring alike.

// vecPrefix starts the names of the word-vector features.
const vecPrefix = "v:"

// vecVocab maps the hash of a word as the tokenizer normalises it to the
// word's index in wordvec.Embedded. Words that the tokenizer cannot
// produce as one word token are left out.
var vecVocab = sync.OnceValue(func() *hashTable[int32] {
	t := wordvec.Embedded()
	m := make(map[uint64]int32, t.Len())
	for i := 0; i < t.Len(); i++ {
		w := t.Word(i)
		if !tokenWord(w) {
			continue
		}
		m[hashString(fnvOffset, w)] = int32(i)
	}
	return tableOf(m)
})

// tokenWord reports whether w is the normalised form of some word token:
// lower-case letters, digits, underscores and inner hyphens, starting with
// a letter, with no letter three times in a row.
func tokenWord(w string) bool {
	if w == "" || w[0] < 'a' || w[0] > 'z' || w[len(w)-1] == '-' {
		return false
	}
	run := 0
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c >= 'a' && c <= 'z':
			if i > 0 && w[i-1] == c {
				run++
			} else {
				run = 1
			}
			if run > 2 {
				return false
			}
		case c >= '0' && c <= '9', c == '_':
			run = 0
		case c == '-' && w[i-1] != '-':
			run = 0
		default:
			return false
		}
	}
	return true
}

// vecNames are the feature names of the vector dimensions.
var vecNames = sync.OnceValue(func() []string {
	names := make([]string, wordvec.Embedded().Dim())
	for k := range names {
		names[k] = vecPrefix + strconv.Itoa(k)
	}
	return names
})

// meanVector writes the mean vector of the word tokens in sc that the
// table knows into dst and returns how many there were.
func meanVector(sc *scratch, dst []float32) int {
	clear(dst)
	t, vocab := wordvec.Embedded(), vecVocab()
	var v [128]float32
	n := 0
	for i := range sc.toks {
		tk := &sc.toks[i]
		if tk.kind != tWord {
			continue
		}
		j, ok := vocab.get(tk.h)
		if !ok {
			continue
		}
		t.Vector(int(j), v[:])
		if tk.flags&fNeg != 0 {
			for k := range dst {
				dst[k] -= v[k]
			}
		} else {
			for k := range dst {
				dst[k] += v[k]
			}
		}
		n++
	}
	if n > 0 {
		inv := 1 / float32(n)
		for k := range dst {
			dst[k] *= inv
		}
	}
	return n
}

// compileVectors returns the table of each known word's score under m's
// v: weights, keyed like vecVocab, or nil when m has none.
func (m *Model) compileVectors() *weightTable {
	names := vecNames()
	ws := make([][3]float32, len(names))
	any := false
	for k, n := range names {
		if w, ok := m.Weights[n]; ok {
			ws[k] = w
			any = true
		}
	}
	if !any {
		return nil
	}
	t := wordvec.Embedded()
	proj := make(map[uint64][3]float32, t.Len())
	v := make([]float32, t.Dim())
	vocab := vecVocab()
	vocab.each(func(h uint64) {
		j, _ := vocab.get(h)
		t.Vector(int(j), v)
		var s [3]float32
		for k, x := range v {
			s[0] += x * ws[k][0]
			s[1] += x * ws[k][1]
			s[2] += x * ws[k][2]
		}
		proj[h] = s
	})
	return newWeightTable(proj)
}

// vectorScore adds to z the mean of the scores of the word tokens in sc
// under vt (compileVectors).
func vectorScore(vt *weightTable, sc *scratch, z *[3]float64) {
	var s [3]float32
	n := 0
	for i := range sc.toks {
		tk := &sc.toks[i]
		if tk.kind != tWord {
			continue
		}
		if w, ok := vt.get(tk.h); ok {
			if tk.flags&fNeg != 0 {
				w = [3]float32{-w[0], -w[1], -w[2]}
			}
			s[0] += w[0]
			s[1] += w[1]
			s[2] += w[2]
			n++
		}
	}
	if n == 0 {
		return
	}
	inv := 1 / float64(n)
	z[0] += float64(s[0]) * inv
	z[1] += float64(s[1]) * inv
	z[2] += float64(s[2]) * inv
}
