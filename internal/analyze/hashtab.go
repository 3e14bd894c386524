package analyze

// hashTable maps a 64-bit word or feature hash to a value. Every table in
// this package is keyed by FNV hashes computed once per token, so unlike a
// Go map it does not hash keys again: a lookup multiplies, shifts and
// probes an array of slots that is never more than half full (each key
// beside its value, so a hit reads one cache line). Most lookups miss
// (most words are in no lexicon) and a miss usually ends at the first
// empty slot. Tables are filled while an Analyzer is built and only read
// afterwards, which makes concurrent lookups safe.
type hashTable[V any] struct {
	slots []hashSlot[V]
	shift uint8 // 64 - log2(len(slots))
	n     int
	// The key 0 cannot live in keys; it is kept aside.
	hasZero bool
	zero    V
}

// hashSlot is one slot of a hashTable; key 0 marks an empty slot.
type hashSlot[V any] struct {
	key uint64
	val V
}

// tableOf returns a table holding the entries of m.
func tableOf[V any](m map[uint64]V) *hashTable[V] {
	t := &hashTable[V]{}
	for k, v := range m {
		t.put(k, v)
	}
	return t
}

// hashMix spreads h over the table's index bits (Fibonacci hashing).
const hashMix = 0x9E3779B97F4A7C15

func (t *hashTable[V]) slot(h uint64) uint64 { return (h * hashMix) >> t.shift }

// get returns the value stored under h.
func (t *hashTable[V]) get(h uint64) (V, bool) {
	if h == 0 {
		return t.zero, t.hasZero
	}
	if t.n == 0 {
		var v V
		return v, false
	}
	mask := uint64(len(t.slots) - 1)
	for i := t.slot(h); ; i = (i + 1) & mask {
		s := &t.slots[i]
		switch s.key {
		case h:
			return s.val, true
		case 0:
			var v V
			return v, false
		}
	}
}

// has reports whether h is stored.
func (t *hashTable[V]) has(h uint64) bool {
	_, ok := t.get(h)
	return ok
}

// put stores v under h, replacing any value there.
func (t *hashTable[V]) put(h uint64, v V) {
	if h == 0 {
		t.zero, t.hasZero = v, true
		return
	}
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	mask := uint64(len(t.slots) - 1)
	for i := t.slot(h); ; i = (i + 1) & mask {
		s := &t.slots[i]
		switch s.key {
		case h:
			s.val = v
			return
		case 0:
			s.key, s.val = h, v
			t.n++
			return
		}
	}
}

// each calls f with every key stored.
func (t *hashTable[V]) each(f func(h uint64)) {
	if t.hasZero {
		f(0)
	}
	for i := range t.slots {
		if k := t.slots[i].key; k != 0 {
			f(k)
		}
	}
}

// len returns the number of keys stored.
func (t *hashTable[V]) len() int {
	if t.hasZero {
		return t.n + 1
	}
	return t.n
}

func (t *hashTable[V]) grow() {
	size := 16
	for size < 4*(t.n+1) {
		size *= 2
	}
	old := t.slots
	t.slots, t.n = make([]hashSlot[V], size), 0
	t.shift = 64
	for s := size; s > 1; s >>= 1 {
		t.shift--
	}
	for i := range old {
		if old[i].key != 0 {
			t.put(old[i].key, old[i].val)
		}
	}
}
