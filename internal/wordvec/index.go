package wordvec

import (
	"strings"
	"unicode/utf8"
)

// wordIndex finds a word's index with one pass over its bytes that both
// hashes and lower-cases it, so "Overdose" costs what "overdose" costs.
// It is an open-addressing table, never more than half full, of slots
// holding a word's index and the top bits of its hash (most misses and
// almost all collisions end without comparing strings). It is built once
// and only read afterwards, so concurrent lookups are safe.
type wordIndex struct {
	slots []slot
	shift uint8 // 64 - log2(len(slots))
	words []string
}

// slot is one entry of a wordIndex: index+1 of a word (0 for empty) and
// the high 32 bits of the word's hash.
type slot struct {
	tag uint32
	pos uint32
}

// FNV-1a, 64 bits.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
	// hashMix spreads a hash over the slot bits (Fibonacci hashing).
	hashMix = 0x9E3779B97F4A7C15
)

// newWordIndex indexes words, which are lower-case. If a word repeats an
// earlier one it returns nil and the two positions.
func newWordIndex(words []string) (ix *wordIndex, dup, first int) {
	size, shift := 2, uint8(63)
	for size < 2*len(words) {
		size *= 2
		shift--
	}
	ix = &wordIndex{slots: make([]slot, size), shift: shift, words: words}
	mask := uint64(size - 1)
	for i, w := range words {
		h := hashString(w)
		tag := uint32(h >> 32)
		for s := (h * hashMix) >> shift; ; s = (s + 1) & mask {
			sl := ix.slots[s]
			if sl.pos == 0 {
				ix.slots[s] = slot{tag: tag, pos: uint32(i) + 1}
				break
			}
			if sl.tag == tag && words[sl.pos-1] == w {
				return nil, i, int(sl.pos - 1)
			}
		}
	}
	return ix, 0, 0
}

// hashString is FNV-1a over s's bytes.
func hashString(s string) uint64 {
	h := uint64(fnvOffset)
	for k := 0; k < len(s); k++ {
		h = (h ^ uint64(s[k])) * fnvPrime
	}
	return h
}

// lookup returns the index of word, compared ASCII-case-insensitively
// (stored words are lower-case), and whether it is there. A word with a
// byte outside ASCII goes through strings.ToLower first.
func (ix *wordIndex) lookup(word string) (int, bool) {
	h := uint64(fnvOffset)
	for k := 0; k < len(word); k++ {
		c := word[k]
		if c >= utf8.RuneSelf {
			return ix.lookupExact(strings.ToLower(word))
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		h = (h ^ uint64(c)) * fnvPrime
	}
	tag := uint32(h >> 32)
	mask := uint64(len(ix.slots) - 1)
	for s := (h * hashMix) >> ix.shift; ; s = (s + 1) & mask {
		sl := ix.slots[s]
		if sl.pos == 0 {
			return 0, false
		}
		if sl.tag == tag && equalFoldASCII(ix.words[sl.pos-1], word) {
			return int(sl.pos - 1), true
		}
	}
}

// lookupExact returns the index of word as it is.
func (ix *wordIndex) lookupExact(word string) (int, bool) {
	h := hashString(word)
	tag := uint32(h >> 32)
	mask := uint64(len(ix.slots) - 1)
	for s := (h * hashMix) >> ix.shift; ; s = (s + 1) & mask {
		sl := ix.slots[s]
		if sl.pos == 0 {
			return 0, false
		}
		if sl.tag == tag && ix.words[sl.pos-1] == word {
			return int(sl.pos - 1), true
		}
	}
}

// equalFoldASCII reports whether word, with ASCII letters lower-cased, is
// lower (which is lower-case already).
func equalFoldASCII(lower, word string) bool {
	if len(lower) != len(word) {
		return false
	}
	for k := 0; k < len(word); k++ {
		c := word[k]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[k] {
			return false
		}
	}
	return true
}
