package analyze

import (
	"math"
	"testing"
)

// TestVectorScoreIsTheMeanVectorsScore holds the identity scoring relies
// on: adding each word's projected score (compileVectors) moves the class
// logits exactly as the v: weights applied to the text's mean vector
// (meanVector, what training sees) do, up to the packing of the weights.
func TestVectorScoreIsTheMeanVectorsScore(t *testing.T) {
	m := DefaultModel()
	if m.vectors == nil {
		t.Fatal("the built-in model has no word-vector weights: this test needs a model that has")
	}
	without := *m
	without.vectors = nil
	names := vecNames()
	mean := make([]float32, len(names))
	checked := 0
	for _, text := range []string{
		"The staff were dreadful and the wait was endless",
		"@HealthPlan superb service, thank you so much!",
		"where do I park for the clinic on Elm Street?",
		"glorp zorp", // no word the table knows
		"",
	} {
		sc := &scratch{}
		var sig signals
		tokenize(sc, text)
		fs := stdLexicons().extract(sc, nil, &sig)
		pw, po := m.probs(sc, fs), without.probs(sc, fs)
		n := meanVector(sc, mean)
		for c := 1; c < 3; c++ {
			got := math.Log(pw[c]/pw[0]) - math.Log(po[c]/po[0])
			var want float64
			if n > 0 {
				for k, name := range names {
					w := m.Weights[name]
					want += float64(mean[k]) * float64(w[c]-w[0])
				}
			}
			if math.Abs(got-want) > 1e-3 {
				t.Errorf("%q class %d: vector score moves the logit by %.5f, the mean vector by %.5f", text, c, got, want)
			}
		}
		if n > 0 {
			checked++
		}
	}
	if checked < 3 {
		t.Errorf("only %d texts had known words", checked)
	}
}

func TestTokenWord(t *testing.T) {
	for _, tt := range []struct {
		w  string
		ok bool
	}{
		{"great", true}, {"follow-up", true}, {"covid19", true}, {"soo", true},
		{"sooo", false}, {"", false}, {"-ish", false}, {"ish-", false}, {"a--b", false},
		{"don't", false}, {"9am", false}, {"Great", false}, {"café", false},
	} {
		if got := tokenWord(tt.w); got != tt.ok {
			t.Errorf("tokenWord(%q) = %v, want %v", tt.w, got, tt.ok)
		}
	}
}
