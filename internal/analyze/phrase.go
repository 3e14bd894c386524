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
	first    hashTable[[]phraseCand] // patterns by the hashes of their first words
	numFirst []phraseCand            // patterns starting with "#"
	patterns []phrasePattern
	// startBit, when set, is the word class (wordInfo.cls) marking every
	// word that starts a pattern: match skips word tokens without it.
	// The set must not change once it is set.
	startBit uint32
	// firstBits has bit h%4096 set for the hash h of each first-slot
	// alternative: a token that is not a word is looked up only when
	// its bit is set.
	firstBits [64]uint64
}

// phraseCand is a pattern listed under its first slot.
type phraseCand struct {
	// next has bit h%64 set for each alternative's hash h of the
	// pattern's second slot, or every bit when that slot is not a plain
	// one (or there is none): a token after the first that leaves its
	// bit clear cannot continue the pattern.
	next  uint64
	pat   int32
	label uint16
}

// anyNext is phraseCand.next for a pattern whose second token is not
// checked before matching.
const anyNext = ^uint64(0)

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
	c := phraseCand{next: anyNext, pat: int32(len(ps.patterns)), label: label}
	if len(p.slots) > 1 {
		if sl := &p.slots[1]; !sl.gap && !sl.optional && !sl.num {
			c.next = 0
			for _, h := range sl.alts {
				c.next |= 1 << (h & 63)
			}
		}
	}
	ps.patterns = append(ps.patterns, p)
	if p.slots[0].num {
		ps.numFirst = append(ps.numFirst, c)
		return nil
	}
	for _, h := range p.slots[0].alts {
		ps.firstBits[h>>6&63] |= 1 << (h & 63)
		prev, _ := ps.first.get(h)
		ps.first.put(h, append(prev, c))
	}
	return nil
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
		t := &toks[i]
		var cands []phraseCand
		switch {
		case t.kind == tNum && len(ps.numFirst) > 0:
			cands = ps.numFirst
		case t.kind == tWord && ps.startBit != 0:
			if t.info.cls&ps.startBit == 0 {
				continue
			}
			cands, _ = ps.first.get(t.h)
		case ps.firstBits[t.h>>6&63]&(1<<(t.h&63)) == 0:
			continue
		default:
			cands, _ = ps.first.get(t.h)
		}
		if len(cands) == 0 {
			continue
		}
		// next is the bit of the next token in phraseCand.next; with no
		// next token, only patterns whose second slot is not plain can
		// match.
		var next uint64
		if i+1 < len(toks) {
			next = 1 << (toks[i+1].h & 63)
		}
		// Token i matches the first slot of every candidate: its hash is
		// one of the slot's alternatives, or the slot is "#" and the
		// token a number.
		for k := range cands {
			c := &cands[k]
			if c.next&next == 0 && c.next != anyNext {
				continue
			}
			if e := matchSlots(ps.patterns[c.pat].slots[1:], toks, i+1); e >= 0 {
				hits = append(hits, phraseHit{label: c.label, s: int32(i), e: int32(e)})
			}
		}
	}
	return hits
}

// matchSlots matches slots from token j and returns the end token index or
// -1. Plain and "#" slots match one token each and are walked in a loop;
// gaps and optional slots, which may need to try more than one way, go to
// matchRest.
func matchSlots(slots []phraseSlot, toks []token, j int) int {
	for k := range slots {
		sl := &slots[k]
		if sl.gap || sl.optional {
			return matchRest(slots[k:], toks, j)
		}
		if j >= len(toks) {
			return -1
		}
		if sl.num {
			if toks[j].kind != tNum {
				return -1
			}
		} else if !sl.has(toks[j].h) {
			return -1
		}
		j++
	}
	return j
}

// has reports whether h is one of the slot's alternatives.
func (sl *phraseSlot) has(h uint64) bool {
	if sl.mask[h>>6&3]&(1<<(h&63)) == 0 {
		return false
	}
	for _, a := range sl.alts {
		if a == h {
			return true
		}
	}
	return false
}

// matchRest is matchSlots for slots starting with a gap or an optional
// slot.
func matchRest(slots []phraseSlot, toks []token, j int) int {
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
	// An optional slot: the token, when it is one of the alternatives,
	// then the rest; failing that, the rest from here.
	if j < len(toks) && sl.has(toks[j].h) {
		if e := matchSlots(slots[1:], toks, j+1); e >= 0 {
			return e
		}
	}
	return matchSlots(slots[1:], toks, j)
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
