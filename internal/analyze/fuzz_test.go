package analyze

import (
	"strings"
	"testing"
	"time"

	"earshot/internal/model"
)

func FuzzAnalyze(f *testing.F) {
	for _, s := range benchPosts {
		f.Add(s)
	}
	for _, s := range []string{"", "@", "#", "&amp;", ":)", "\xff\xfe", "1234-5678-9012-3456", "Dr. ", "a@b.c",
		"123 Main St Apt. 4", "(555) 123-4567", "March 3, 2021", "é́́́", strings.Repeat("9", 300), "+(((((", "kms",
		// Look-alikes, folded before PHI detection.
		"Call 512\u2013555\u20130199", "Call ５１２-５５５-０１９９", "Member id ABC\u2011123\u2011456\u2011789", "٥١٢\u00a0٥٥٥\u202f٠١٩٩",
		"ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ", "http://x.co\u00a0512\u2014555", "\u2013\u2014\xff\u20131",
		// Names, places and numbers that are not PHI (phiplaces.go, phinum.go).
		"@JetBlue JetBlue San Juan, PR", "Julia/Julia", "Hip-Hop-", "St. ", "Morenci, M.", "&lt;3333333", "#150219-000114",
		"IP 10.0.0.1", "gate 36 T3", "Rua", "x/", "McD", "Mac", "shouted at", "Joomla I",
		// Round-2 name shapes (phinames.go, phivec.go).
		"T-", "X-Men", "Annn", "P.S. You'", "P.S. You’re", "Kings Of", "Mr. President", "Hamilton's Anita", "Hamilton’s",
		"Snackbox", "Hong Kong", "Floridians", "Abc's'"} {
		f.Add(s)
	}
	a := New()
	f.Fuzz(func(t *testing.T, text string) {
		out := a.Analyze(Input{Text: text})
		checkAnalysis(t, text, out.PHI, out.Intents, out.Urgency.Reasons, out.Sentiment.Score)
		// findPHI folds look-alikes only when tokenize noted some.
		sc := &scratch{}
		bounded := boundText(text)
		tokenize(sc, bounded)
		if noted := sc.lookalike; foldLookalikes(sc, bounded) && !noted {
			t.Fatalf("look-alikes in %q not noted by tokenize", text)
		}
	})
}

func checkAnalysis(t *testing.T, text string, phi []model.PHIFinding, intents, reasons []string, score float64) {
	t.Helper()
	if phi == nil || intents == nil || reasons == nil {
		t.Fatalf("nil slice: phi %v intents %v reasons %v", phi == nil, intents == nil, reasons == nil)
	}
	if score < -1 || score > 1 {
		t.Fatalf("score %v out of [-1, 1]", score)
	}
	if len(phi) == 0 {
		return
	}
	// Rune boundaries as Go decodes the text: an invalid byte is a rune of
	// its own.
	boundary := map[int]bool{len(text): true}
	for i := range text {
		boundary[i] = true
	}
	for _, p := range phi {
		if p.Start < 0 || p.End > len(text) || p.Start >= p.End {
			t.Fatalf("finding %+v outside text of %d bytes", p, len(text))
		}
		if !boundary[p.Start] || !boundary[p.End] {
			t.Fatalf("finding %+v not on rune boundaries in %q", p, text)
		}
	}
}

func TestHostileInputIsBounded(t *testing.T) {
	a := New()
	tests := []struct {
		name string
		text string
	}{
		{"huge words", strings.Repeat("supercalifragilistic ", 200000)},
		{"huge digits", strings.Repeat("1234 5678 ", 300000)},
		{"huge emoji", strings.Repeat("😭", 500000)},
		{"huge punctuation", strings.Repeat("!?.,:;()", 400000)},
		{"invalid utf8", strings.Repeat("\xff\xfe\xfd", 400000)},
		{"capitals", strings.Repeat("Anna Maria ", 300000)},
		{"addresses", strings.Repeat("12 Main St Apt 4, ", 200000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			out := a.Analyze(Input{Text: tt.text})
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v", d)
			}
			checkAnalysis(t, tt.text, out.PHI, out.Intents, out.Urgency.Reasons, out.Sentiment.Score)
			for _, p := range out.PHI {
				if p.End > MaxTextBytes {
					t.Fatalf("finding %+v beyond the analysed prefix", p)
				}
			}
		})
	}
}
