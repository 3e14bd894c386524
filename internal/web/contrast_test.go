package web

import (
	"math"
	"regexp"
	"strconv"
	"testing"
)

// TestPaletteContrast checks the stylesheet's text colours against the
// backgrounds they are used on: WCAG AA asks 4.5:1 for text and 3:1 for
// the focus ring.
func TestPaletteContrast(t *testing.T) {
	css, err := staticFS.ReadFile("static/app.css")
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{}
	for _, m := range regexp.MustCompile(`--([a-z-]+):\s*(#[0-9a-fA-F]{3,6})`).FindAllStringSubmatch(string(css), -1) {
		vars[m[1]] = m[2]
	}
	col := func(s string) string {
		if v, ok := vars[s]; ok {
			return v
		}
		return s
	}
	for _, p := range []struct {
		fg, bg string
		min    float64
	}{
		{"ink", "bg", 4.5}, {"ink", "card", 4.5}, {"muted", "bg", 4.5}, {"muted", "card", 4.5},
		{"accent", "card", 4.5}, {"accent", "bg", 4.5}, {"accent", "blue-bg", 4.5}, {"accent-ink", "accent", 4.5},
		{"red", "red-bg", 4.5}, {"red", "card", 4.5}, {"amber", "amber-bg", 4.5}, {"green", "green-bg", 4.5}, {"green", "card", 4.5},
		{"#fff", "#14213d", 4.5}, {"#fff", "#2b3b63", 4.5}, {"ink", "#ffd166", 4.5}, {"ink", "#e8ebf0", 4.5},
		{"ink", "red-bg", 4.5}, {"ink", "blue-bg", 4.5}, {"accent", "red-bg", 4.5}, {"ink", "amber-bg", 4.5},
		{"focus", "bg", 3}, {"focus", "card", 3},
	} {
		fg, bg := col(p.fg), col(p.bg)
		r, err := contrast(fg, bg)
		if err != nil {
			t.Fatalf("%s on %s: %v", p.fg, p.bg, err)
		}
		if r < p.min {
			t.Errorf("%s (%s) on %s (%s): contrast %.2f, want at least %.1f", p.fg, fg, p.bg, bg, r, p.min)
		}
	}
}

// contrast is the WCAG 2 contrast ratio of two #rgb or #rrggbb colours.
func contrast(a, b string) (float64, error) {
	la, err := luminance(a)
	if err != nil {
		return 0, err
	}
	lb, err := luminance(b)
	if err != nil {
		return 0, err
	}
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05), nil
}

func luminance(hex string) (float64, error) {
	h := hex[1:]
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	n, err := strconv.ParseUint(h, 16, 32)
	if err != nil || len(h) != 6 {
		return 0, strconv.ErrSyntax
	}
	ch := func(v uint64) float64 {
		c := float64(v) / 255
		if c <= 0.03928 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(n>>16&0xff) + 0.7152*ch(n>>8&0xff) + 0.0722*ch(n&0xff), nil
}
