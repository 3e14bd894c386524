package analyze

import "testing"

func TestWordShapesThatAreNotNames(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func(string) bool
		yes  []string
		no   []string
	}{
		{"oddHyphen", oddHyphen, []string{"T-Day", "X-Men"}, []string{"Smith-Jones", "Bryant-Melton", "Jo", "A"}},
		{"tripled", tripled, []string{"Annnndddd", "Sooo", "Hiii"}, []string{"Anna", "Lee", "Mississippi", "B000"}},
		{"contraction", contraction, []string{"You're", "I'm", "Don't", "We’ll", "They've", "She'd"}, []string{"O'Brien", "D'Angelo", "Sandra's", "Renée"}},
	} {
		for _, w := range c.yes {
			if !c.f(w) {
				t.Errorf("%s(%q) = false, want true", c.name, w)
			}
		}
		for _, w := range c.no {
			if c.f(w) {
				t.Errorf("%s(%q) = true, want false", c.name, w)
			}
		}
	}
}

func TestClosedCompound(t *testing.T) {
	a := New()
	for w, want := range map[string]bool{
		"snackbox":   true,
		"gardenbury": true,
		"tigerbeat":  true,
		"wielgus":    false,
		"quinlan":    false,
		"abc":        false,
	} {
		if got := a.closedCompound([]byte(w)); got != want {
			t.Errorf("closedCompound(%q) = %v, want %v", w, got, want)
		}
	}
}

// TestThingLikeByWordVectors checks the direction from things to people
// in word-vector space on words from neither list it is built from.
func TestThingLikeByWordVectors(t *testing.T) {
	for w, want := range map[string]bool{
		"Hercules":      true,
		"Office":        true,
		"Texans":        true,
		"Burlington":    true,
		"Cronin":        false,
		"Robinson":      false,
		"Bachmann":      false,
		"Renoir's":      false,
		"Qwzxvbnmkjhgf": false, // no vector: not thing-like
	} {
		if got := thingLike(w); got != want {
			t.Errorf("thingLike(%q) = %v, want %v", w, got, want)
		}
	}
	if hasVector("Qwzxvbnmkjhgf") || !hasVector("Robinson's") {
		t.Error("hasVector: want no vector for a made-up word and one for Robinson's")
	}
}

// BenchmarkThingLike measures the word-vector test a lone capitalised
// word or a run without a given name pays before it becomes a finding.
func BenchmarkThingLike(b *testing.B) {
	words := []string{"Hercules", "Cronin", "Qwzxvbnmkjhgf", "Robinson's"}
	thingLike(words[0]) // build the table and the direction first
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		thingLike(words[i%len(words)])
	}
}
