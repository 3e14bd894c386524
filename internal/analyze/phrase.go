package analyze

import (
	"fmt"
	"strings"
)

// A phrase pattern is a space-separated list of slots matched against
// consecutive tokens:
//
//	word        the token, normalised (lower case, no apostrophes)
//	a|b|c       any of the alternatives
//	a|b|        any of them or nothing (optional slot)
//	word+       the word with common inflections (wait+: waits, waited, waiting)
//	*           zero to three words (not crossing . ! ?)
//	#           any number (not first)
//
// The first slot must be a plain, non-optional slot.
type phrasePattern struct {
	slots []phraseSlot
	label uint16
}

type phraseSlot struct {
	alts []uint64
	// mask has bit h%256 set for each alternative's hash h: most tokens
	// that match none of the alternatives are turned away without
	// reading the list.
	mask     [4]uint64
	optional bool
	gap      bool
	num      bool // "#": any number
}

// phraseHit is one match: label and token range [s, e).
type phraseHit struct {
	label uint16
	s, e  int32
}

// phraseSet matches many patterns with one map lookup per token.
type phraseSet struct {
	first    hashTable[[]int32]
	numFirst []int32 // patterns starting with "#"
	patterns []phrasePattern
	// startBit, when set, is the word class (wordInfo.cls) marking every
	// word that starts a pattern: match skips word tokens without it.
	// The set must not change once it is set.
	startBit uint16
}

func newPhraseSet() *phraseSet {
	return &phraseSet{}
}

// add compiles pattern with label. It panics on a malformed pattern: the
// patterns are tables in this package or a validated taxonomy.
func (ps *phraseSet) add(pattern string, label uint16) error {
	fields := strings.Fields(strings.ToLower(pattern))
	if len(fields) == 0 {
		return fmt.Errorf("analyze: empty phrase")
	}
	var p phrasePattern
	p.label = label
	for _, f := range fields {
		if f == "*" {
			p.slots = append(p.slots, phraseSlot{gap: true})
			continue
		}
		if f == "#" {
			p.slots = append(p.slots, phraseSlot{num: true})
			continue
		}
		var sl phraseSlot
		for _, alt := range strings.Split(f, "|") {
			if alt == "" {
				sl.optional = true
				continue
			}
			for _, form := range inflections(alt) {
				h := hashString(fnvOffset, normPhraseWord(form))
				sl.alts = append(sl.alts, h)
				sl.mask[h>>6&3] |= 1 << (h & 63)
			}
		}
		if len(sl.alts) == 0 {
			return fmt.Errorf("analyze: phrase %q: empty slot", pattern)
		}
		p.slots = append(p.slots, sl)
	}
	if p.slots[0].gap || p.slots[0].optional || p.slots[0].num && len(p.slots) == 1 {
		return fmt.Errorf("analyze: phrase %q must start with a word", pattern)
	}
	idx := int32(len(ps.patterns))
	ps.patterns = append(ps.patterns, p)
	if p.slots[0].num {
		ps.numFirst = append(ps.numFirst, idx)
		return nil
	}
	for _, h := range p.slots[0].alts {
		prev, _ := ps.first.get(h)
		ps.first.put(h, append(prev, idx))
	}
	return nil
}

func (ps *phraseSet) mustAdd(pattern string, label uint16) {
	if err := ps.add(pattern, label); err != nil {
		panic(err)
	}
}

func normPhraseWord(w string) string {
	if strings.ContainsAny(w, "'’") {
		w = strings.NewReplacer("'", "", "’", "").Replace(w)
	}
	return w
}

// inflections expands "word+" into common English forms.
func inflections(w string) []string {
	if !strings.HasSuffix(w, "+") || len(w) < 3 {
		return []string{w}
	}
	b := w[:len(w)-1]
	out := []string{b, b + "s", b + "es", b + "ed", b + "d", b + "ing", b + "er", b + "ers", b + "e", b + "al", b + "ment", b + "ation"}
	last := b[len(b)-1]
	switch {
	case last == 'e':
		out = append(out, b[:len(b)-1]+"ing")
	case last == 'y':
		out = append(out, b[:len(b)-1]+"ied", b[:len(b)-1]+"ies")
	case !strings.ContainsRune("aeiouwxy", rune(last)):
		out = append(out, b+string(last)+"ed", b+string(last)+"ing")
	}
	return out
}

// match appends every hit in toks to hits and returns it.
func (ps *phraseSet) match(toks []token, hits []phraseHit) []phraseHit {
	for i := range toks {
		if ps.startBit != 0 && toks[i].kind == tWord && toks[i].info.cls&ps.startBit == 0 {
			continue
		}
		cands, ok := ps.first.get(toks[i].h)
		if toks[i].kind == tNum && len(ps.numFirst) > 0 {
			cands, ok = ps.numFirst, true
		}
		if !ok {
			continue
		}
		for _, pi := range cands {
			p := &ps.patterns[pi]
			if e := matchSlots(p.slots, toks, i); e >= 0 {
				hits = append(hits, phraseHit{label: p.label, s: int32(i), e: int32(e)})
			}
		}
	}
	return hits
}

// matchSlots matches slots from token j and returns the end token index or
// -1.
func matchSlots(slots []phraseSlot, toks []token, j int) int {
	if len(slots) == 0 {
		return j
	}
	sl := &slots[0]
	if sl.gap {
		for k := 0; k <= 3; k++ {
			if e := matchSlots(slots[1:], toks, j+k); e >= 0 {
				return e
			}
			if j+k >= len(toks) || toks[j+k].kind == tPunct && isStop(toks[j+k]) {
				break
			}
		}
		return -1
	}
	if sl.num {
		if j < len(toks) && toks[j].kind == tNum {
			return matchSlots(slots[1:], toks, j+1)
		}
		return -1
	}
	if j < len(toks) {
		if h := toks[j].h; sl.mask[h>>6&3]&(1<<(h&63)) != 0 {
			for _, a := range sl.alts {
				if a == h {
					if e := matchSlots(slots[1:], toks, j+1); e >= 0 {
						return e
					}
					break
				}
			}
		}
	}
	if sl.optional {
		return matchSlots(slots[1:], toks, j)
	}
	return -1
}

// isStop reports whether a punctuation token ends a sentence. Only the
// normalised first byte is needed and punctuation tokens carry their
// character in the low bits of the hash input; compare hashes.
func isStop(t token) bool {
	return t.h == hashDot || t.h == hashBang || t.h == hashQuest
}

var (
	hashDot   = hashString(fnvOffset, ".")
	hashBang  = hashString(fnvOffset, "!")
	hashQuest = hashString(fnvOffset, "?")
)
