package web

import (
	"strings"
	"testing"

	"earshot/internal/model"
)

func TestSegments(t *testing.T) {
	text := "my id is XJH123456789 ok"
	phi := []model.PHIFinding{{Type: "member_id", Start: 9, End: 21}}
	got := segments(text, phi, false)
	if len(got) != 3 || got[1].Text != "XJH123456789" || !got[1].PHI || got[0].Text != "my id is " || got[2].Text != " ok" {
		t.Fatalf("segments = %+v", got)
	}
	masked := segments(text, phi, true)
	for _, s := range masked {
		if strings.Contains(s.Text, "XJH") {
			t.Fatalf("masked segments leak PHI: %+v", masked)
		}
	}
	if !masked[1].Masked {
		t.Fatalf("not masked: %+v", masked)
	}
	// Overlapping, unsorted and out-of-range findings.
	got = segments("abcdefghij", []model.PHIFinding{{Start: 6, End: 50}, {Start: 2, End: 4}, {Start: 3, End: 7}, {Start: -5, End: -1}}, false)
	if len(got) != 2 || got[0].Text != "ab" || got[1].Text != "cdefghij" || !got[1].PHI {
		t.Fatalf("merged = %+v", got)
	}
}

func FuzzSegments(f *testing.F) {
	f.Add("héllo wörld", 1, 4, 3, 9, true)
	f.Add("abc", -1, 100, 0, 0, false)
	f.Fuzz(func(t *testing.T, text string, a, b, c, d int, mask bool) {
		phi := []model.PHIFinding{{Start: a, End: b}, {Start: c, End: d}}
		var plain strings.Builder
		for _, s := range segments(text, phi, mask) {
			if mask && s.PHI && s.Text != "" {
				t.Fatalf("masked segment has text %q", s.Text)
			}
			plain.WriteString(s.Text)
		}
		if !mask && plain.String() != text {
			t.Fatalf("segments of %q join to %q", text, plain.String())
		}
	})
}
