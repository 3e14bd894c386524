package wordvec

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"
)

// The table file, all integers little-endian:
//
//	magic      4 bytes "EWV1"
//	dim        uint32, dimensions a vector
//	count      uint32, number of words
//	wordBytes  uint32, size of the word section
//	words      count times: uint8 length, then the word's UTF-8 bytes
//	scales     count float32s, word i's vector is its bytes times scales[i]
//	vectors    count*dim signed bytes, word after word
//
// The file is exactly that long: Parse refuses anything shorter or longer.
const (
	magic      = "EWV1"
	headerSize = 16
	// MaxDim is the most dimensions a table may have.
	MaxDim = 4096
	// MaxWords is the most words a table may have.
	MaxWords = 1 << 22
	// MaxWordLen is the longest word, in bytes, a table may hold.
	MaxWordLen = 255
	// maxScale keeps every dequantised component (at most 127 times the
	// scale) and a mean of them finite.
	maxScale = math.MaxFloat32 / (128 * MaxWords)
)

// ErrCorrupt is wrapped by every error Parse returns for a malformed file.
var ErrCorrupt = errors.New("corrupt word-vector table")

// corrupt returns an error wrapping ErrCorrupt.
func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, args...))
}

// Parse reads a table written by Write. It checks the header against the
// file's size and every word and scale, so a truncated or damaged file
// fails with an error saying what is wrong rather than a panic later. The
// table keeps data (it must not change afterwards).
func Parse(data []byte) (*Table, error) {
	if len(data) < headerSize {
		return nil, corrupt("%d bytes, shorter than the %d-byte header", len(data), headerSize)
	}
	if string(data[:4]) != magic {
		return nil, corrupt("starts with %q, not %q", data[:4], magic)
	}
	dim := binary.LittleEndian.Uint32(data[4:])
	count := binary.LittleEndian.Uint32(data[8:])
	wordBytes := binary.LittleEndian.Uint32(data[12:])
	if dim == 0 || dim > MaxDim {
		return nil, corrupt("dimension %d outside 1..%d", dim, MaxDim)
	}
	if count > MaxWords {
		return nil, corrupt("%d words, more than %d", count, MaxWords)
	}
	want := uint64(headerSize) + uint64(wordBytes) + 4*uint64(count) + uint64(count)*uint64(dim)
	if uint64(len(data)) != want {
		return nil, corrupt("%d bytes, but the header (dimension %d, %d words, %d bytes of words) needs %d",
			len(data), dim, count, wordBytes, want)
	}
	t := &Table{
		dim:    int(dim),
		words:  make([]string, count),
		scales: make([]float32, count),
	}
	// One string for all words: each word is a slice of it, not an
	// allocation of its own.
	section := string(data[headerSize : headerSize+int(wordBytes)])
	off := 0
	for i := range t.words {
		if off >= len(section) {
			return nil, corrupt("word section ends after %d of %d words", i, count)
		}
		n := int(section[off])
		off++
		if n == 0 || off+n > len(section) {
			return nil, corrupt("word %d: length %d at byte %d of a %d-byte word section", i, n, off-1, len(section))
		}
		w := section[off : off+n]
		off += n
		if !utf8.ValidString(w) {
			return nil, corrupt("word %d is not UTF-8", i)
		}
		if strings.ToLower(w) != w {
			return nil, corrupt("word %d %q is not lower-case", i, w)
		}
		t.words[i] = w
	}
	if off != len(section) {
		return nil, corrupt("%d bytes left over after the last word", len(section)-off)
	}
	ix, dup, first := newWordIndex(t.words)
	if ix == nil {
		return nil, corrupt("word %d %q repeats word %d", dup, t.words[dup], first)
	}
	t.index = ix
	rest := data[headerSize+int(wordBytes):]
	for i := range t.scales {
		s := math.Float32frombits(binary.LittleEndian.Uint32(rest[4*i:]))
		if !(s >= 0 && s <= maxScale) {
			return nil, corrupt("word %d %q: scale %v is not a number in 0..%v", i, t.words[i], s, float32(maxScale))
		}
		t.scales[i] = s
	}
	t.quant = rest[4*int(count):]
	return t, nil
}

// Write quantises vectors and writes them with their words as a table that
// Parse reads: each vector becomes one signed byte a dimension, scaled by
// its largest absolute value over 127. Words must be distinct, non-empty,
// lower-case UTF-8 of at most MaxWordLen bytes, and every vector as long
// as the first.
func Write(w io.Writer, words []string, vectors [][]float32) error {
	if len(words) != len(vectors) {
		return fmt.Errorf("write word vectors: %d words but %d vectors", len(words), len(vectors))
	}
	if len(words) > MaxWords {
		return fmt.Errorf("write word vectors: %d words, more than %d", len(words), MaxWords)
	}
	dim := 0
	if len(vectors) > 0 {
		dim = len(vectors[0])
	}
	if len(vectors) > 0 && (dim == 0 || dim > MaxDim) {
		return fmt.Errorf("write word vectors: dimension %d outside 1..%d", dim, MaxDim)
	}
	if len(vectors) == 0 {
		dim = 1 // an empty table still needs a valid header
	}
	seen := make(map[string]bool, len(words))
	wordBytes := 0
	for i, word := range words {
		switch {
		case word == "" || len(word) > MaxWordLen:
			return fmt.Errorf("write word vectors: word %d is %d bytes, not 1..%d", i, len(word), MaxWordLen)
		case !utf8.ValidString(word):
			return fmt.Errorf("write word vectors: word %d %q is not UTF-8", i, word)
		case strings.ToLower(word) != word:
			return fmt.Errorf("write word vectors: word %d %q is not lower-case", i, word)
		case seen[word]:
			return fmt.Errorf("write word vectors: word %q appears twice", word)
		case len(vectors[i]) != dim:
			return fmt.Errorf("write word vectors: %q has %d dimensions, not %d", word, len(vectors[i]), dim)
		}
		seen[word] = true
		wordBytes += 1 + len(word)
	}
	if uint64(wordBytes) > math.MaxUint32 {
		return fmt.Errorf("write word vectors: %d bytes of words is too many", wordBytes)
	}

	bw := bufio.NewWriter(w)
	var hdr [headerSize]byte
	copy(hdr[:], magic)
	binary.LittleEndian.PutUint32(hdr[4:], uint32(dim))
	binary.LittleEndian.PutUint32(hdr[8:], uint32(len(words)))
	binary.LittleEndian.PutUint32(hdr[12:], uint32(wordBytes))
	bw.Write(hdr[:])
	for _, word := range words {
		bw.WriteByte(byte(len(word)))
		bw.WriteString(word)
	}
	quant := make([]byte, 0, len(vectors)*dim)
	var b4 [4]byte
	for i, v := range vectors {
		scale, err := quantise(v, &quant)
		if err != nil {
			return fmt.Errorf("write word vectors: %q: %w", words[i], err)
		}
		binary.LittleEndian.PutUint32(b4[:], math.Float32bits(scale))
		bw.Write(b4[:])
	}
	bw.Write(quant)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write word vectors: %w", err)
	}
	return nil
}

// quantise appends v as signed bytes to q and returns the scale that
// turns them back into (nearly) v: its largest absolute value over 127.
func quantise(v []float32, q *[]byte) (float32, error) {
	var peak float64
	for _, x := range v {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return 0, fmt.Errorf("component %v is not a finite number", x)
		}
		peak = max(peak, math.Abs(float64(x)))
	}
	if peak == 0 {
		for range v {
			*q = append(*q, 0)
		}
		return 0, nil
	}
	scale := float32(peak / 127)
	for _, x := range v {
		r := math.Round(float64(x) / float64(scale))
		r = max(-127, min(127, r))
		*q = append(*q, byte(int8(r)))
	}
	return scale, nil
}
