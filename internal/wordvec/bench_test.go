package wordvec

import "testing"

// benchWords are tokens as the analyser meets them: mostly lower-case
// hits, some capitalised, some unknown.
var benchWords = []string{"i", "have", "the", "pills", "lined", "up", "tonight", "Nobody", "would", "notice", "xqzv", "ER"}

func BenchmarkIndex(b *testing.B) {
	tab := Embedded()
	for _, c := range []struct{ name, word string }{
		{"hit", "overdose"},
		{"hit_capitalised", "Overdose"},
		{"miss", "qzxqzxqzx"},
		{"miss_capitalised", "Qzxqzxqzx"},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				tab.Index(c.word)
			}
		})
	}
	b.Run("mixed_sentence_per_word", func(b *testing.B) {
		for b.Loop() {
			for _, w := range benchWords {
				tab.Index(w)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(benchWords)), "ns/word")
	})
}

func BenchmarkMean(b *testing.B) {
	tab := Embedded()
	dst := make([]float32, tab.Dim())
	for b.Loop() {
		tab.Mean(benchWords, dst)
	}
}

func BenchmarkParseEmbedded(b *testing.B) {
	for b.Loop() {
		if _, err := Parse(embedded); err != nil {
			b.Fatal(err)
		}
	}
}
