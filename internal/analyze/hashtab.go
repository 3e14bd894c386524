package analyze

// hashTable maps a 64-bit word or feature hash to a value. Every table in
// this package is keyed by FNV hashes computed once per token, so unlike a
// Go map it does not hash keys again: a lookup multiplies, shifts and
// probes an array of keys that is never more than half full (values
// live in a parallel array, so a miss reads only keys). Most lookups miss
// (most words are in no lexicon) and a miss usually ends at the first
// empty slot. Tables are filled while an Analyzer is built and only read
// afterwards, which makes concurrent lookups safe.
type hashTable[V any] struct {
	keys  []uint64 // 0 marks an empty slot
	vals  []V
	shift uint8 // 64 - log2(len(keys))
	n     int
	// The key 0 cannot live in keys; it is kept aside.
	hasZero bool
	zero    V
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
	mask := uint64(len(t.keys) - 1)
	for i := t.slot(h); ; i = (i + 1) & mask {
		switch t.keys[i] {
		case h:
			return t.vals[i], true
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
	if 2*(t.n+1) > len(t.keys) {
		t.grow()
	}
	mask := uint64(len(t.keys) - 1)
	for i := t.slot(h); ; i = (i + 1) & mask {
		switch t.keys[i] {
		case h:
			t.vals[i] = v
			return
		case 0:
			t.keys[i], t.vals[i] = h, v
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
	for _, k := range t.keys {
		if k != 0 {
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
	old, oldVals := t.keys, t.vals
	t.keys, t.vals, t.n = make([]uint64, size), make([]V, size), 0
	t.shift = 64
	for s := size; s > 1; s >>= 1 {
		t.shift--
	}
	for i, k := range old {
		if k != 0 {
			t.put(k, oldVals[i])
		}
	}
}
