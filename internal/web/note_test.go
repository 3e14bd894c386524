package web

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

func TestMentionedHandles(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"@ana please call", []string{"ana"}},
		{"cc @Ana.Diaz, @bob@example.org and @cy.", []string{"ana.diaz", "bob@example.org", "cy"}},
		{"mail ann@example.org", nil}, // an address in the text, not a mention
		{"@ @. @-_", nil},
		{"@josé!", []string{"josé"}},
	} {
		got := slices.Sorted(maps.Keys(mentionedHandles(tc.text)))
		if !slices.Equal(got, tc.want) {
			t.Errorf("mentionedHandles(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

// FuzzMentionedHandles holds the @mention reader of notes and hand-offs
// to: each handle is lower case, not empty, without the . - _ @ it trims
// from its ends, and written in the text after an @.
func FuzzMentionedHandles(f *testing.F) {
	f.Add("cc @Ana.Diaz, @bob@example.org and @cy.")
	f.Add("@@@ @\xff @\u0130stanbul")
	f.Fuzz(func(t *testing.T, text string) {
		lower := strings.ToLower(text)
		for h := range mentionedHandles(text) {
			if h == "" || strings.ToLower(h) != h || strings.Trim(h, ".-_@") != h {
				t.Fatalf("mentionedHandles(%q) has %q", text, h)
			}
			if !strings.Contains(lower, "@"+h) && !strings.Contains(lower, h) {
				t.Fatalf("mentionedHandles(%q) has %q, which the text does not hold", text, h)
			}
		}
	})
}
