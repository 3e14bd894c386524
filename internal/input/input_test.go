package input

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	for _, tc := range []struct {
		v    string
		max  int
		want string // the message, "" for none
	}{
		{"late card", 500, ""},
		{"", 500, ""},
		{"José ¿dónde está mi tarjeta? 🙂", 500, ""},
		{"line one\nline two\ttab", 500, ""},
		{strings.Repeat("a", 500), 500, ""},
		{strings.Repeat("a", 10_000), 0, ""},
		{strings.Repeat("a", 501), 500, "q is longer than 500 bytes"},
		{"a\x00b", 500, "q contains a NUL character (U+0000)"},
		{"\x00", 0, "q contains a NUL character (U+0000)"},
		{"a\xffb", 500, "q is not valid UTF-8"},
		{"\xed\xa0\x80", 500, "q is not valid UTF-8"}, // a UTF-16 surrogate
	} {
		err := Text("q", tc.v, tc.max)
		got := ""
		if err != nil {
			got = err.Error()
			var p *Problem
			if !errors.As(err, &p) || p.Field != "q" {
				t.Errorf("Text(%q) = %#v, want a *Problem naming q", tc.v, err)
			}
		}
		if got != tc.want {
			t.Errorf("Text(%.20q, %d) = %q, want %q", tc.v, tc.max, got, tc.want)
		}
	}
}

// FuzzText holds Text to its rule: it accepts exactly the values that
// are valid UTF-8, free of NUL and within the bound.
func FuzzText(f *testing.F) {
	f.Add("late card", 500)
	f.Add("a\x00b", 0)
	f.Add("a\xffb", 3)
	f.Fuzz(func(t *testing.T, v string, max int) {
		max = max % 1000
		if max < 0 {
			max = -max
		}
		want := utf8.ValidString(v) && !strings.ContainsRune(v, 0) && (max == 0 || len(v) <= max)
		err := Text("f", v, max)
		if (err == nil) != want {
			t.Fatalf("Text(%q, %d) = %v, want ok %v", v, max, err, want)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "f ") {
			t.Fatalf("message %q does not name the field", err)
		}
	})
}
