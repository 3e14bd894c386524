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
	keys  []uint32 // 0 marks an empty slot
	vals  [][3]int16
	shift uint8
	scale float32 // weight = int16 * scale
	// exact holds the features that share a fingerprint with another;
	// their slot's fingerprint is fpExact.
	exact map[uint64][3]float32
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
	t.keys, t.vals = make([]uint32, size), make([][3]int16, size)
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
		for t.keys[i] != 0 && !(fp == fpExact && t.keys[i] == fpExact) {
			i = (i + 1) & mask
		}
		if t.keys[i] == fpExact {
			continue // the slot already sends this fingerprint to exact
		}
		t.keys[i] = fp
		for c := range w {
			t.vals[i][c] = int16(math.Round(float64(w[c] / t.scale)))
		}
	}
	return t
}

// get returns the weights of the feature with hash h.
func (t *weightTable) get(h uint64) ([3]float32, bool) {
	fp := fingerprint(h)
	mask := uint64(len(t.keys) - 1)
	for i := (h * hashMix) >> t.shift; ; i = (i + 1) & mask {
		switch t.keys[i] {
		case fp:
			v := &t.vals[i]
			return [3]float32{float32(v[0]) * t.scale, float32(v[1]) * t.scale, float32(v[2]) * t.scale}, true
		case 0:
			return [3]float32{}, false
		case fpExact:
			if w, ok := t.exact[h]; ok {
				return w, true
			}
		}
	}
}
