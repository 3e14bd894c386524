package wordvec

import (
	"bytes"
	"math"
	"testing"
)

// cosineOf returns the cosine between the table's vectors of a and b,
// failing the test when either word is missing.
func cosineOf(t *testing.T, tab *Table, a, b string) float64 {
	t.Helper()
	va, vb := vectorOf(t, tab, a), vectorOf(t, tab, b)
	return cosine(va, vb)
}

// vectorOf returns word's vector, failing the test when it is missing.
func vectorOf(t *testing.T, tab *Table, word string) []float32 {
	t.Helper()
	i, ok := tab.Index(word)
	if !ok {
		t.Fatalf("Index(%q): not in the table", word)
	}
	v := make([]float32, tab.Dim())
	tab.Vector(i, v)
	return v
}

// cosine returns the cosine of the angle between a and b.
func cosine(a, b []float32) float64 {
	var dot, na, nb float64
	for k := range a {
		dot += float64(a[k]) * float64(b[k])
		na += float64(a[k]) * float64(a[k])
		nb += float64(b[k]) * float64(b[k])
	}
	return dot / math.Sqrt(na*nb)
}

func TestEmbeddedTableShape(t *testing.T) {
	tab := Embedded()
	if tab.Dim() != 100 {
		t.Errorf("Dim() = %d, want 100", tab.Dim())
	}
	if tab.Len() < 40000 {
		t.Errorf("Len() = %d, want the 50,000 most frequent words and more", tab.Len())
	}
	if Embedded() != tab {
		t.Error("Embedded() parsed the table twice")
	}
	// Frequency order: the commonest English word first.
	if got := tab.Word(0); got != "the" {
		t.Errorf("Word(0) = %q, want \"the\"", got)
	}
	for i := range tab.Len() {
		if j, ok := tab.Index(tab.Word(i)); !ok || j != i {
			t.Fatalf("Index(Word(%d) = %q) = %d, %v", i, tab.Word(i), j, ok)
		}
	}
}

func TestEmbeddedVectorsCarryMeaning(t *testing.T) {
	tab := Embedded()
	for _, c := range []struct {
		word, near string
		far        []string
	}{
		{"king", "queen", []string{"banana", "invoice", "keyboard"}},
		{"suicide", "suicidal", []string{"banana", "invoice", "weather", "ticket", "refund"}},
		{"overdose", "overdosed", []string{"banana", "invoice", "weather", "ticket", "refund"}},
		{"pills", "medication", []string{"furniture", "airport", "password"}},
		{"furious", "angry", []string{"delighted", "grateful", "invoice"}},
	} {
		near := cosineOf(t, tab, c.word, c.near)
		for _, f := range c.far {
			if far := cosineOf(t, tab, c.word, f); near <= far {
				t.Errorf("cosine(%s, %s) = %.3f, not above cosine(%s, %s) = %.3f", c.word, c.near, near, c.word, f, far)
			}
		}
	}
}

func TestOverdosedIsAmongOverdosesNearestWords(t *testing.T) {
	tab := Embedded()
	want := cosineOf(t, tab, "overdose", "overdosed")
	v := vectorOf(t, tab, "overdose")
	w := make([]float32, tab.Dim())
	closer := 0
	for i := range tab.Len() {
		tab.Vector(i, w)
		if tab.Word(i) != "overdose" && cosine(v, w) > want {
			closer++
		}
	}
	if closer > 25 {
		t.Errorf("%d of %d words are closer to overdose than overdosed is, want at most 25", closer, tab.Len())
	}
}

func TestIndexFoldsCase(t *testing.T) {
	tab := Embedded()
	want, ok := tab.Index("suicide")
	if !ok {
		t.Fatal("suicide is not in the table")
	}
	for _, w := range []string{"Suicide", "SUICIDE", "sUiCiDe"} {
		if got, ok := tab.Index(w); !ok || got != want {
			t.Errorf("Index(%q) = %d, %v, want %d, true", w, got, ok, want)
		}
	}
	// The source vocabulary is ASCII: accented words are simply unknown.
	for _, w := range []string{"", "qzxqzxqzx", "Qzxqzxqzx", "Médico", string(bytes.Repeat([]byte("A"), 100))} {
		if got, ok := tab.Index(w); ok {
			t.Errorf("Index(%q) = %d, true, want not found", w, got)
		}
	}
}

func TestMeanAveragesKnownWords(t *testing.T) {
	tab := Embedded()
	a, b := vectorOf(t, tab, "nurse"), vectorOf(t, tab, "doctor")
	dst := make([]float32, tab.Dim())
	for i := range dst {
		dst[i] = 42 // Mean must overwrite what was there
	}
	if n := tab.Mean([]string{"Nurse", "qzxqzxqzx", "doctor"}, dst); n != 2 {
		t.Fatalf("Mean knew %d words, want 2", n)
	}
	for k := range dst {
		if want := (a[k] + b[k]) / 2; math.Abs(float64(dst[k]-want)) > 1e-6 {
			t.Fatalf("Mean()[%d] = %v, want %v", k, dst[k], want)
		}
	}
	if n := tab.Mean([]string{"qzxqzxqzx"}, dst); n != 0 {
		t.Fatalf("Mean of unknown words knew %d", n)
	}
	for k, x := range dst {
		if x != 0 {
			t.Fatalf("Mean of no known word: dst[%d] = %v, want 0", k, x)
		}
	}
}

func TestWriteParseRoundTrip(t *testing.T) {
	words := []string{"alpha", "beta", "ñandú", "zero"}
	vectors := [][]float32{
		{0.5, -1.25, 2, 0.001},
		{-3, 3, 0, 1},
		{0.1, 0.2, -0.3, 0.4},
		{0, 0, 0, 0},
	}
	var buf bytes.Buffer
	if err := Write(&buf, words, vectors); err != nil {
		t.Fatal(err)
	}
	if want := headerSize + (1 + 5) + (1 + 4) + (1 + 7) + (1 + 4) + 4*4 + 4*4; buf.Len() != want {
		t.Errorf("wrote %d bytes, want %d", buf.Len(), want)
	}
	tab, err := Parse(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if tab.Dim() != 4 || tab.Len() != len(words) {
		t.Fatalf("Dim, Len = %d, %d, want 4, %d", tab.Dim(), tab.Len(), len(words))
	}
	got := make([]float32, 4)
	for i, w := range words {
		if tab.Word(i) != w {
			t.Errorf("Word(%d) = %q, want %q", i, tab.Word(i), w)
		}
		if j, ok := tab.Index(w); !ok || j != i {
			t.Errorf("Index(%q) = %d, %v, want %d", w, j, ok, i)
		}
		tab.Vector(i, got)
		peak := 0.0
		for _, x := range vectors[i] {
			peak = max(peak, math.Abs(float64(x)))
		}
		for k, x := range vectors[i] {
			// Rounding to the nearest of 255 steps is off by half a step at most.
			if d := math.Abs(float64(got[k] - x)); d > peak/127/2+1e-7 {
				t.Errorf("%s[%d] = %v after the round trip, want %v (±%v)", w, k, got[k], x, peak/254)
			}
		}
	}
	if i, ok := tab.Index("ÑANDÚ"); !ok || i != 2 {
		t.Errorf("Index(ÑANDÚ) = %d, %v, want 2 (ñandú), true", i, ok)
	}
	if tab.Vector(1, got); got[0] != -3 || got[1] != 3 {
		t.Errorf("the largest components are kept exactly: got %v, want -3 and 3 first", got)
	}
}

func TestWriteRefusesWhatParseWouldNotRead(t *testing.T) {
	for _, c := range []struct {
		name    string
		words   []string
		vectors [][]float32
	}{
		{"upper case", []string{"Alpha"}, [][]float32{{1}}},
		{"empty word", []string{""}, [][]float32{{1}}},
		{"repeated word", []string{"a", "a"}, [][]float32{{1}, {2}}},
		{"ragged vectors", []string{"a", "b"}, [][]float32{{1, 2}, {3}}},
		{"not a number", []string{"a"}, [][]float32{{float32(math.NaN())}}},
		{"infinite", []string{"a"}, [][]float32{{float32(math.Inf(1))}}},
		{"counts differ", []string{"a", "b"}, [][]float32{{1}}},
		{"too long", []string{string(bytes.Repeat([]byte("a"), MaxWordLen+1))}, [][]float32{{1}}},
		{"not UTF-8", []string{"\xff"}, [][]float32{{1}}},
	} {
		if err := Write(&bytes.Buffer{}, c.words, c.vectors); err == nil {
			t.Errorf("%s: Write succeeded", c.name)
		}
	}
}

// tinyTable returns a valid two-word, two-dimension table file.
func tinyTable(t testing.TB) []byte {
	var buf bytes.Buffer
	if err := Write(&buf, []string{"ab", "c"}, [][]float32{{1, -1}, {0.5, 2}}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestParseRefusesCorruptFiles(t *testing.T) {
	good := tinyTable(t)
	if _, err := Parse(good); err != nil {
		t.Fatalf("the valid table: %v", err)
	}
	edit := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	for _, c := range []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"header cut", good[:10]},
		{"wrong magic", edit(func(b []byte) []byte { b[0] = 'X'; return b })},
		{"zero dimensions", edit(func(b []byte) []byte { b[4] = 0; return b })},
		{"huge dimensions", edit(func(b []byte) []byte { b[7] = 0xff; return b })},
		{"huge count", edit(func(b []byte) []byte { b[11] = 0xff; return b })},
		{"count too high for the size", edit(func(b []byte) []byte { b[8] = 3; return b })},
		{"truncated", good[:len(good)-1]},
		{"trailing byte", append(bytes.Clone(good), 0)},
		{"zero-length word", edit(func(b []byte) []byte { b[headerSize] = 0; return b })},
		{"word runs past its section", edit(func(b []byte) []byte { b[headerSize] = 9; return b })},
		{"word section left over", edit(func(b []byte) []byte {
			b[12]++
			return append(b[:headerSize+5], append([]byte{'x'}, b[headerSize+5:]...)...)
		})},
		{"upper-case word", edit(func(b []byte) []byte { b[headerSize+1] = 'A'; return b })},
		{"repeated word", edit(func(b []byte) []byte { b[headerSize+1], b[headerSize+2], b[headerSize+3] = 1, 'c', 'c'; return b })},
		{"invalid UTF-8", edit(func(b []byte) []byte { b[headerSize+1] = 0xff; return b })},
		{"negative scale", edit(func(b []byte) []byte { b[headerSize+5+3] |= 0x80; return b })},
		{"scale too large", edit(func(b []byte) []byte { copy(b[headerSize+5:], []byte{0xff, 0xff, 0x7f, 0x7f}); return b })},
		{"scale not a number", edit(func(b []byte) []byte { copy(b[headerSize+5:], []byte{0, 0, 0xc0, 0x7f}); return b })},
	} {
		if _, err := Parse(c.data); err == nil {
			t.Errorf("%s: Parse succeeded", c.name)
		}
	}
}

// FuzzParse holds that Parse never panics, and that a table it accepts
// answers every question about every word and writes back to a file that
// parses to the same words.
func FuzzParse(f *testing.F) {
	f.Add(tinyTable(f))
	f.Add([]byte(magic + "\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Add([]byte("EWV1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := Parse(data)
		if err != nil {
			return
		}
		vectors := make([][]float32, tab.Len())
		words := make([]string, tab.Len())
		for i := range tab.Len() {
			words[i] = tab.Word(i)
			if j, ok := tab.Index(words[i]); !ok || j != i {
				t.Fatalf("Index(Word(%d)) = %d, %v", i, j, ok)
			}
			vectors[i] = make([]float32, tab.Dim())
			tab.Vector(i, vectors[i])
		}
		tab.Mean(words, make([]float32, tab.Dim()))
		if tab.Len() == 0 {
			return
		}
		var buf bytes.Buffer
		if err := Write(&buf, words, vectors); err != nil {
			t.Fatalf("writing back an accepted table: %v", err)
		}
		again, err := Parse(buf.Bytes())
		if err != nil || again.Len() != tab.Len() || again.Dim() != tab.Dim() {
			t.Fatalf("the written-back table parses as %v, %v", again, err)
		}
	})
}
