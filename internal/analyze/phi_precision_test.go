package analyze

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestPHIPrecisionOnPostLikeText reads testdata/phi_precision.tsv: posts
// written like public tweets, with the findings each must give, no more
// and no fewer (products, places, order numbers and addresses of things
// are not PHI; people, phones, addresses and identifiers are).
func TestPHIPrecisionOnPostLikeText(t *testing.T) {
	b, err := os.ReadFile("testdata/phi_precision.tsv")
	if err != nil {
		t.Fatal(err)
	}
	var must, mustNot int
	a := New()
	for _, l := range strings.Split(string(b), "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		text, want, ok := strings.Cut(l, "\t")
		if !ok {
			t.Fatalf("line without a tab: %q", l)
		}
		if want == "" {
			mustNot++
		} else {
			must++
		}
		var got []string
		for _, f := range a.FindPHI(text) {
			got = append(got, fmt.Sprintf("%s:%s", f.Type, text[f.Start:f.End]))
		}
		if g := strings.Join(got, " | "); g != want {
			t.Errorf("%s\n got  %q\n want %q", text, g, want)
		}
	}
	if must < 15 || mustNot < 30 {
		t.Errorf("%d lines that must find and %d that must not, want at least 15 and 30", must, mustNot)
	}
}
