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
	if 2*tab.n > len(tab.keys) {
		t.Fatalf("table more than half full: %d of %d", tab.n, len(tab.keys))
	}
}
