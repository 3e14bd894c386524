package analyze

import "math"

// weightTable holds a sentiment model's weights for scoring, packed so
// that the whole table stays in a core's cache: each feature is a 32-bit
// fingerprint of its hash, probed like hashTable, and three 16-bit
// weights scaled by the table's largest weight. The fingerprint is the
// hash's top half and the slot comes from the whole hash, so a feature
// outside the model matches a stored one only if both agree, about once
// in four billion lookups. Features whose fingerprints collide with each
// other are kept exactly on the side.
type weightTable struct {
	// slots hold each fingerprint next to its weights, so a hit reads
	// one cache line.
	slots []weightSlot
	shift uint8
	scale float32 // weight = int16 * scale
	// exact holds the features that share a fingerprint with another;
	// their slot's fingerprint is fpExact.
	exact map[uint64][3]float32
}

// weightSlot is one slot of a weightTable: a fingerprint (0 marks an
// empty slot) and the scaled weights.
type weightSlot struct {
	fp uint32
	w  [3]int16
}

const fpExact = 1

func fingerprint(h uint64) uint32 {
	fp := uint32(h >> 32)
	if fp <= fpExact {
		fp += 2
	}
	return fp
}

// newWeightTable packs the weights by feature hash.
func newWeightTable(ws map[uint64][3]float32) *weightTable {
	t := &weightTable{}
	var top float32
	for _, w := range ws {
		for _, x := range w {
			top = max(top, float32(math.Abs(float64(x))))
		}
	}
	t.scale = top / math.MaxInt16
	if t.scale == 0 {
		t.scale = 1
	}
	size := 16
	for size < 2*len(ws) {
		size *= 2
	}
	t.slots = make([]weightSlot, size)
	t.shift = 64
	for s := size; s > 1; s >>= 1 {
		t.shift--
	}
	// Features whose fingerprints are shared go to exact.
	byFP := make(map[uint32]int, len(ws))
	for h := range ws {
		byFP[fingerprint(h)]++
	}
	mask := uint64(size - 1)
	for h, w := range ws {
		fp := fingerprint(h)
		if byFP[fp] > 1 {
			if t.exact == nil {
				t.exact = map[uint64][3]float32{}
			}
			t.exact[h] = w
			fp = fpExact
		}
		i := (h * hashMix) >> t.shift
		for t.slots[i].fp != 0 && !(fp == fpExact && t.slots[i].fp == fpExact) {
			i = (i + 1) & mask
		}
		if t.slots[i].fp == fpExact {
			continue // the slot already sends this fingerprint to exact
		}
		t.slots[i].fp = fp
		for c := range w {
			t.slots[i].w[c] = int16(math.Round(float64(w[c] / t.scale)))
		}
	}
	return t
}

// get returns the weights of the feature with hash h.
func (t *weightTable) get(h uint64) ([3]float32, bool) {
	return t.probe(h, fingerprint(h), (h*hashMix)>>t.shift)
}

// weights returns the weights in sl.
func (t *weightTable) weights(sl *weightSlot) [3]float32 {
	return [3]float32{float32(sl.w[0]) * t.scale, float32(sl.w[1]) * t.scale, float32(sl.w[2]) * t.scale}
}

// probe is get from slot i on (Model.probs reads the first slot itself
// and probes on only when it is neither the feature's nor empty).
func (t *weightTable) probe(h uint64, fp uint32, i uint64) ([3]float32, bool) {
	mask := uint64(len(t.slots) - 1)
	for ; ; i = (i + 1) & mask {
		sl := &t.slots[i]
		switch sl.fp {
		case fp:
			return t.weights(sl), true
		case 0:
			return [3]float32{}, false
		case fpExact:
			if w, ok := t.exact[h]; ok {
				return w, true
			}
		}
	}
}
