package analyze

import (
	"math/rand/v2"
	"testing"
)

func TestHashTableMatchesMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	want := map[uint64]int{}
	var tab hashTable[int]
	if _, ok := tab.get(42); ok {
		t.Fatal("empty table found a key")
	}
	for i := 0; i < 5000; i++ {
		k := rng.Uint64()
		if i%500 == 0 {
			k = 0 // the key kept aside
		}
		if i%7 == 0 && len(want) > 0 {
			// Overwrite a key already there.
			for old := range want {
				k = old
				break
			}
		}
		want[k] = i
		tab.put(k, i)
	}
	if tab.len() != len(want) {
		t.Fatalf("len = %d, want %d", tab.len(), len(want))
	}
	for k, v := range want {
		got, ok := tab.get(k)
		if !ok || got != v {
			t.Fatalf("get(%d) = %d, %v; want %d", k, got, ok, v)
		}
	}
	for i := 0; i < 5000; i++ {
		k := rng.Uint64()
		if _, in := want[k]; in {
			continue
		}
		if tab.has(k) {
			t.Fatalf("has(%d) for a key never put", k)
		}
	}
	if 2*tab.n > len(tab.slots) {
		t.Fatalf("table more than half full: %d of %d", tab.n, len(tab.slots))
	}
}

func TestWeightTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	ws := map[uint64][3]float32{}
	for i := 0; i < 3000; i++ {
		ws[rng.Uint64()] = [3]float32{rng.Float32()*4 - 2, rng.Float32()*4 - 2, rng.Float32()*4 - 2}
	}
	// Features sharing a fingerprint (the hash's top half) with another.
	for i := uint64(0); i < 5; i++ {
		ws[0xABCD1234_00000000|i*7919] = [3]float32{float32(i), -float32(i), 0.5}
	}
	ws[0x00000000_00000042] = [3]float32{1, 1, 1} // fingerprint 0 is moved off the empty mark
	tab := newWeightTable(ws)
	if len(tab.exact) != 5 {
		t.Fatalf("%d features kept exactly, want the 5 that share a fingerprint", len(tab.exact))
	}
	for h, want := range ws {
		got, ok := tab.get(h)
		if !ok {
			t.Fatalf("feature %x not found", h)
		}
		for c := range want {
			if d := got[c] - want[c]; d > tab.scale || d < -tab.scale {
				t.Fatalf("feature %x weight %d = %v, want %v within %v", h, c, got[c], want[c], tab.scale)
			}
		}
	}
	misses := 0
	for i := 0; i < 100000; i++ {
		h := rng.Uint64()
		if _, in := ws[h]; in {
			continue
		}
		if _, ok := tab.get(h); ok {
			misses++
		}
	}
	if misses != 0 {
		t.Fatalf("%d features outside the table were found", misses)
	}
	if _, ok := tab.get(0xABCD1234_00000000 | 99); ok {
		t.Fatal("a hash sharing a fingerprint but never stored was found")
	}
}
