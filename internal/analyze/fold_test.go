package analyze

import (
	"fmt"
	"strings"
	"testing"
	"unicode"

	"earshot/internal/model"
)

// TestFindPHILookalikes checks that numbers, ids and emails written with
// Unicode look-alikes of ASCII digits, hyphens, spaces and letters are
// found as their ASCII forms are, with offsets into the original text
// that cover the whole look-alike span.
func TestFindPHILookalikes(t *testing.T) {
	type span struct {
		typ        string
		start, end int
		text       string // text[start:end], for the reader
	}
	tests := []struct {
		name string
		text string
		want []span
	}{
		{"en dash", "Call 512\u2013555\u20130199", []span{{PHIPhone, 5, 21, "512–555–0199"}}},
		{"em dash", "Call 512\u2014555\u20140199", []span{{PHIPhone, 5, 21, "512—555—0199"}}},
		{"figure dash", "Call 512\u2012555\u20120199", []span{{PHIPhone, 5, 21, "512‒555‒0199"}}},
		{"minus sign", "Call 512\u2212555\u22120199", []span{{PHIPhone, 5, 21, "512−555−0199"}}},
		{"non-breaking hyphen", "Call 512\u2011555\u20110199", []span{{PHIPhone, 5, 21, "512‑555‑0199"}}},
		{"hyphen", "Call 512\u2010555\u20100199", []span{{PHIPhone, 5, 21, "512‐555‐0199"}}},
		{"small hyphen-minus", "Call 512\uFE63555\uFE630199", []span{{PHIPhone, 5, 21, "512﹣555﹣0199"}}},
		{"full-width hyphen-minus", "Call 512\uFF0D555\uFF0D0199", []span{{PHIPhone, 5, 21, "512－555－0199"}}},
		{"full-width digits", "Call ５１２-５５５-０１９９", []span{{PHIPhone, 5, 37, "５１２-５５５-０１９９"}}},
		{"Arabic-Indic digits", "Call ٥١٢-٥٥٥-٠١٩٩", []span{{PHIPhone, 5, 27, "٥١٢-٥٥٥-٠١٩٩"}}},
		{"Extended Arabic-Indic digits", "Call ۵۱۲-۵۵۵-۰۱۹۹", []span{{PHIPhone, 5, 27, "۵۱۲-۵۵۵-۰۱۹۹"}}},
		{"Devanagari digits", "Call ५१२-५५५-०१९९", []span{{PHIPhone, 5, 37, "५१२-५५५-०१९९"}}},
		{"no-break spaces", "call 512\u00a0555\u00a00199", []span{{PHIPhone, 5, 19, "512\u00a0555\u00a00199"}}},
		{"narrow no-break spaces", "call 512\u202f555\u202f0199", []span{{PHIPhone, 5, 21, "512\u202f555\u202f0199"}}},
		{"thin spaces", "call 512\u2009555\u20090199", []span{{PHIPhone, 5, 21, "512\u2009555\u20090199"}}},
		{"brackets and mixed", "call (512)\u00a0555\u20130199", []span{{PHIPhone, 5, 22, "(512)\u00a0555–0199"}}},
		{"after an emoji", "😭 call 512\u2013555\u20130199", []span{{PHIPhone, 10, 26, "512–555–0199"}}},
		{"member id, non-breaking hyphens", "Member id ABC\u2011123\u2011456\u2011789", []span{{PHIMemberID, 10, 31, "ABC‑123‑456‑789"}}},
		{"member id, en dashes", "Member id ABC\u2013123\u2013456\u2013789", []span{{PHIMemberID, 10, 31, "ABC–123–456–789"}}},
		{"member id, full-width", "member ID ＸＪＨ４８２９１３５５７", []span{{PHIMemberID, 10, 46, "ＸＪＨ４８２９１３５５７"}}},
		{"member id, hyphen after letters", "member ID XJH\u2011482913557", []span{{PHIMemberID, 10, 25, "XJH‑482913557"}}},
		{"ssn, non-breaking hyphens", "SSN 460\u201189\u20119847", []span{{PHISSN, 4, 19, "460‑89‑9847"}}},
		{"ssn, en dashes", "SSN 460\u201389\u20139847", []span{{PHISSN, 4, 19, "460–89–9847"}}},
		{"claim, full-width", "claim #８８３４１２０７ was denied", []span{{PHIClaimNumber, 7, 31, "８８３４１２０７"}}},
		{"claim, non-breaking hyphen", "claim no. 8834\u20111207", []span{{PHIClaimNumber, 10, 21, "8834‑1207"}}},
		{"card, no-break spaces", "card 4111\u00a01111\u00a01111\u00a01111", []span{{PHICardNumber, 5, 27, "4111\u00a01111\u00a01111\u00a01111"}}},
		{"card, en dashes", "card 4111\u20131111\u20131111\u20131111", []span{{PHICardNumber, 5, 30, "4111–1111–1111–1111"}}},
		{"date, en dashes", "DOB 04\u201312\u20131986", []span{{PHIDate, 4, 18, "04–12–1986"}}},
		{"date, full-width", "DOB ０４／１２／１９８６", []span{{PHIDate, 4, 34, "０４／１２／１９８６"}}},
		{"date in words, full-width digits", "seen on March ３, ２０２１", []span{{PHIDate, 8, 31, "March ３, ２０２１"}}},
		{"MRN, full-width", "MRN ４４１２０９８３", []span{{PHIMRN, 4, 28, "４４１２０９８３"}}},
		{"group number, full-width", "group number ００４８２１３", []span{{PHIGroupNumber, 13, 34, "００４８２１３"}}},
		{"group number, non-breaking hyphen", "group number 0048\u2011213", []span{{PHIGroupNumber, 13, 23, "0048‑213"}}},
		{"email, full-width", "email ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ", []span{{PHIEmail, 6, 54, "ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ"}}},
		{"email, small at", "email jane\uFE6Bexample.com", []span{{PHIEmail, 6, 24, "jane﹫example.com"}}},
		{"name before a look-alike number", "My name is Dana Whitfield, call 512\u2013555\u20130199",
			[]span{{PHIName, 11, 25, "Dana Whitfield"}, {PHIPhone, 32, 48, "512–555–0199"}}},
		{"link then a no-break space", "http://x.co\u00a0512\u2013555\u20130199", []span{{PHIPhone, 13, 29, "512–555–0199"}}},
		// A span of years reads as a date, as its ASCII form does.
		{"years, en dash", "I was a member 2019\u20132020", []span{{PHIDate, 15, 26, "2019–2020"}}},
		// Dashes between words stay punctuation: a name does not run on
		// into the next word.
		{"em dash between words", "Dr. Smith\u2014great doctor", []span{{PHIName, 4, 9, "Smith"}}},
		{"en dash between words", "Thanks to nurse Maria\u2013amazing", []span{{PHIName, 16, 21, "Maria"}}},
	}
	a := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, got := range [][]string{phiSpans(a.FindPHI(tt.text)), phiSpans(a.Analyze(Input{Text: tt.text}).PHI)} {
				var want []string
				for _, w := range tt.want {
					if tt.text[w.start:w.end] != w.text {
						t.Fatalf("bad test: text[%d:%d] = %q, not %q", w.start, w.end, tt.text[w.start:w.end], w.text)
					}
					want = append(want, fmt.Sprintf("%s[%d:%d]", w.typ, w.start, w.end))
				}
				if strings.Join(got, " ") != strings.Join(want, " ") {
					t.Errorf("%q:\ngot  %v\nwant %v", tt.text, got, want)
				}
			}
		})
	}
}

// phiSpans writes findings as "type[start:end]".
func phiSpans(fs []model.PHIFinding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s[%d:%d]", f.Type, f.Start, f.End))
	}
	return out
}

// TestDigitValue checks digitValue against Unicode's table of decimal
// digits: every one is found (the shortcuts skip no script's digits) and
// known ones have their value.
func TestDigitValue(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		_, ok := digitValue(r)
		if want := unicode.Is(unicode.Nd, r) && r > 0x7F; ok != want {
			t.Fatalf("digitValue(%U) ok = %v, want %v", r, ok, want)
		}
	}
	for _, tt := range []struct {
		r    rune
		want byte
	}{{'٠', 0}, {'٣', 3}, {'۹', 9}, {'३', 3}, {'৭', 7}, {'๕', 5}, {'３', 3}, {0x1D7CE, 0}, {0x1D7D7, 9}, {0x1D7E1, 9}, {0x1D7FF, 9}} {
		if got, ok := digitValue(tt.r); !ok || got != tt.want {
			t.Errorf("digitValue(%U) = %d, %v; want %d", tt.r, got, ok, tt.want)
		}
	}
}

// TestFoldLookalikesOffsets checks the folded text and its map back to
// the original offsets.
func TestFoldLookalikesOffsets(t *testing.T) {
	tests := []struct {
		text    string
		folded  string
		changed bool
	}{
		{"plain ascii 512-555-0199", "plain ascii 512-555-0199", false},
		{"512\u2013555", "512-555", true},
		{"care\u2014terrible", "care\u2014terrible", false},
		{"é ５\u00a0x", "é 5 x", true},
		{"\xff\u2011\xfe1", "\xff-\xfe1", true},
	}
	for _, tt := range tests {
		sc := &scratch{}
		changed := foldLookalikes(sc, tt.text)
		if changed != tt.changed || string(sc.fold) != tt.folded {
			t.Errorf("fold(%q) = %q, %v; want %q, %v", tt.text, sc.fold, changed, tt.folded, tt.changed)
			continue
		}
		if len(sc.foldAt) != len(sc.fold)+1 || int(sc.foldAt[len(sc.fold)]) != len(tt.text) {
			t.Errorf("fold(%q): map %v", tt.text, sc.foldAt)
			continue
		}
		for k := 1; k < len(sc.foldAt); k++ {
			if sc.foldAt[k] <= sc.foldAt[k-1] {
				t.Errorf("fold(%q): map %v not increasing", tt.text, sc.foldAt)
			}
		}
	}
}

// TestTokenizeNotesLookalikes: tokenize notes every text that
// foldLookalikes would change, whatever stands around the look-alike, so
// findPHI never skips a fold it needs. ("\xd9#\u202f" was found by
// FuzzAnalyze.)
func TestTokenizeNotesLookalikes(t *testing.T) {
	contexts := []string{"%c", "1%c2", "a%cb", "a%c1", "(%c)", "ab%ccd", "x %c y", "é%c1", "#a%c1", "#%c1", "\xd9#%c", "@ab%c1",
		"http://x.co/a%c512", "12%c", "&amp;%c1", ":)%c1"}
	sc := &scratch{}
	runes := 0
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		if _, how := lookalike(r); how == lookNone {
			continue
		}
		runes++
		for _, c := range contexts {
			text := fmt.Sprintf(c, r)
			tokenize(sc, text)
			noted := sc.lookalike
			if foldLookalikes(sc, text) && !noted {
				t.Errorf("%q (%U): folds, but tokenize did not note it", text, r)
			}
		}
	}
	if runes < 700 {
		t.Errorf("only %d look-alikes", runes)
	}
}
