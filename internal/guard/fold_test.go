package guard

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"earshot/internal/analyze"
	"earshot/internal/model"
)

// obfuscated is one line of testdata/obfuscated.jsonl: a reply with
// health information the guard blocks (Plain), the same reply with the
// information written so that a reader still reads it but the bytes
// differ (Text), and where in Text it is.
type obfuscated struct {
	Class      string `json:"class"`
	Plain      string `json:"plain"`
	Text       string `json:"text"`
	Start, End int
}

func readObfuscated(t *testing.T) []obfuscated {
	t.Helper()
	f, err := os.Open("testdata/obfuscated.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []obfuscated
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var o obfuscated
		if err := json.Unmarshal(sc.Bytes(), &o); err != nil {
			t.Fatalf("line %d: %v", len(out)+1, err)
		}
		out = append(out, o)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCheckObfuscated: every public reply whose plain form the guard
// blocks is blocked however its health information is disguised
// (invisible characters, bidirectional controls, look-alike digits and
// letters, combining marks, spelled-out digits, HTML character
// references), and what blocks it marks the disguised part of the text
// as sent.
func TestCheckObfuscated(t *testing.T) {
	g := New(analyze.New())
	set := readObfuscated(t)
	if len(set) < 175 {
		t.Fatalf("the adversarial set has %d replies, want at least 175", len(set))
	}
	passed := map[string]int{}
	for _, o := range set {
		if r := g.Check(o.Plain, model.VisibilityPublic); !r.Blocked {
			t.Fatalf("%s: plain form %q not blocked: fix the test set", o.Class, o.Plain)
		}
		r := g.Check(o.Text, model.VisibilityPublic)
		if !r.Blocked {
			passed[o.Class]++
			t.Errorf("%s: %q went through", o.Class, o.Text)
			continue
		}
		marked := false
		for _, f := range r.PHI {
			marked = marked || f.Start < o.End && o.Start < f.End
		}
		for _, h := range r.Hidden {
			marked = marked || h.Start < o.End && o.Start < h.End
		}
		if !marked {
			t.Errorf("%s: %q blocked for %+v, none in [%d, %d)", o.Class, o.Text, r, o.Start, o.End)
		}
	}
	if len(passed) > 0 {
		t.Errorf("went through, by class: %v", passed)
	}
}

// TestCheckOrdinaryReplies: ordinary public replies, with emoji,
// accented names, Spanish, curly quotes and dashes, are not blocked and
// keep their warnings as they were.
func TestCheckOrdinaryReplies(t *testing.T) {
	g := New(analyze.New())
	for _, tc := range []struct {
		text string
		warn bool
	}{
		{"We're sorry to hear this 😔 Please DM us so we can help. 🙏", false},
		{"Thanks for reaching out! Please DM us. – José, Care Team", false},
		{"José from our care team will send you a DM shortly.", false},
		{"Gracias por escribirnos. ¿Podrías enviarnos un mensaje directo? — Equipo de atención", false},
		{"¡Qué alegría leer esto! Se lo diremos al equipo de enfermería. 💐", false},
		{"Merci beaucoup, François ! Écrivez-nous en privé.", false},
		{"Thank you! We’ll pass your note to the nurses at St. Mary’s. 👩‍⚕️👨‍👩‍👧", false},
		{"Sorry for the trouble… please DM us “URGENT” and we’ll reply fast.", false},
		{"Thanks — we’ll look into the wait times at the Round Rock Clinic.", false},
		{"We’re sorry — that’s not the experience we want for you. Please DM us.", false},
		{"One or two of our team will reach out; we're open 7 days a week, 8–5.", false},
		{"We have one, two or three options for you ✨ – DM us!", false},
		{"Our new café opens next week ☕️ Ñandú exhibit too!", false},
		{"It was a pleasure — 5⭐ means the world to our team. ½ off parking this week™.", false},
		{"Lo sentimos mucho 🙏 Por favor, escríbenos por DM y te ayudamos enseguida.", false},
		{"Hola, lamentamos mucho lo ocurrido. Escríbenos por mensaje privado, por favor.", false},
		{"Buenas tardes, gracias por escribirnos. Te ayudamos por DM. 💙", false},
		{"So sorry about your visit — please DM us.", true},
		{"Lamentamos lo de your “visit”, José 😔", true},
	} {
		r, err := g.Vet(tc.text, model.VisibilityPublic, "")
		if r.Blocked || len(r.Hidden) > 0 || len(r.Warnings) > 0 != tc.warn {
			t.Errorf("%q: %+v, want warnings %v", tc.text, r, tc.warn)
		}
		if (err != nil) != tc.warn {
			t.Errorf("%q: Vet = %v", tc.text, err)
		}
	}
}

// TestFold shows what a reader sees, and that each folded byte maps to
// the original text it came from.
func TestFold(t *testing.T) {
	for _, tc := range []struct {
		text, want string
	}{
		{"plain text, 512-555-0199", "plain text, 512-555-0199"},
		{"5\u200b1\u200c2\u200d-\u2060555\ufeff-0\u00ad199", "512-555-0199"},
		{"①②③ ⁴⁵⁶ ₇₈₉ 𝟎𝟏 ❶➋ ５ ⑴⑵ ⒊", "123 456 789 01 12 5 12 3"},
		{"diаbеtеs (Cyrillic а, е) ΧJΗ", "diabetes (Cyrillic a, e) XJH"},
		{"d\u0301i\u0336a\u0300\u0317betes José", "diabetes Jose"},
		{"&#53;&#x31;&#50 &commat; &amp; &nosuchref; a&b", "512 @ & &nosuchref; a&b"},
		{"call five one two, five five five - zero one nine nine", "call 512 555-0199"},
		{"double five, triple two oh one", "55 22201"},
		{"one of us, two days, Five Stars", "one of us, two days, Five Stars"},
		{"we have 2 one-hour slots", "we have 21-hour slots"},
		{"double trouble and double double five", "double trouble and double 55"},
		{"ＸＪＨ１２３ 𝐝𝐢𝐚𝐛𝐞𝐭𝐞𝐬 ᴅɪᴀʙᴇᴛᴇꜱ ⓓⓘⓐ", "XJH123 diabetes diabetes dia"},
		{"a\u202eb\u202cc", "abc"},
		{"한국어 emoji 👨‍👩‍👧 ok", "한국어 emoji 👨👩👧 ok"},
		{"bad \xff byte", "bad \ufffd byte"},
	} {
		v := Fold(tc.text)
		if v.Text != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.text, v.Text, tc.want)
		}
		checkView(t, tc.text, &v)
	}
}

// TestFoldSpans: a span of the folded text maps to the original
// characters it came from.
func TestFoldSpans(t *testing.T) {
	text := "ID &#88;J\u200bH①②3, call five one two"
	v := Fold(text)
	for _, tc := range []struct{ folded, orig string }{
		{"XJH123", "&#88;J\u200bH①②3"},
		{"512", "five one two"},
		{"12", "one two"},
		{"2", "two"},
		{"H1", "H①"},
	} {
		i := strings.LastIndex(v.Text, tc.folded)
		if i < 0 {
			t.Fatalf("%q not in %q", tc.folded, v.Text)
		}
		s, e, ok := v.Span(i, i+len(tc.folded))
		if !ok || text[s:e] != tc.orig {
			t.Errorf("span of %q = %q (ok %v), want %q", tc.folded, text[s:e], ok, tc.orig)
		}
	}
	if _, _, ok := v.Span(3, 3); ok {
		t.Error("empty span mapped")
	}
	if _, _, ok := v.Span(0, len(v.Text)+1); ok {
		t.Error("span past the end mapped")
	}
}

// TestFoldHidden: bidirectional controls are reported where they stand,
// whether written as characters or as character references.
func TestFoldHidden(t *testing.T) {
	text := "ID \u202e987654321HJX\u202c, &#x200F;ok \u2066x\u2069"
	v := Fold(text)
	var got []string
	for _, h := range v.Hidden {
		got = append(got, h.Char+"="+text[h.Start:h.End])
	}
	want := []string{"U+202E=\u202e", "U+202C=\u202c", "U+200F=&#x200F;", "U+2066=\u2066", "U+2069=\u2069"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("hidden = %q, want %q", got, want)
	}
}

// checkView holds Fold's promises: every byte of the folded text maps to
// a non-empty span of the original on character boundaries, in order.
func checkView(t *testing.T, text string, v *View) {
	t.Helper()
	if !utf8.ValidString(v.Text) {
		t.Fatalf("Fold(%q) = %q is not UTF-8", text, v.Text)
	}
	if len(v.from) != len(v.Text) || len(v.to) != len(v.Text) {
		t.Fatalf("Fold(%q): %d bytes, %d/%d offsets", text, len(v.Text), len(v.from), len(v.to))
	}
	prev := 0
	for i := range v.Text {
		s, e, ok := v.Span(i, i+1)
		if !ok || s < prev || s >= e || e > len(text) {
			t.Fatalf("Fold(%q): byte %d maps to [%d, %d)", text, i, s, e)
		}
		if utf8.ValidString(text) && !utf8.ValidString(text[s:e]) {
			t.Fatalf("Fold(%q): byte %d maps into a character: [%d, %d)", text, i, s, e)
		}
		prev = s
	}
	for _, h := range v.Hidden {
		if h.Start < 0 || h.End > len(text) || h.Start >= h.End {
			t.Fatalf("Fold(%q): hidden %+v out of range", text, h)
		}
	}
}

func FuzzFold(f *testing.F) {
	for _, o := range []string{"", "5\u200b1\u200b2", "&#53;&#x", "&", "five one two, double", "\u202e987\u202c",
		"a\u0301\u0336", "ＸＪＨ①", "\xff\xfe", "double double five", "&amp;&#0;&#x110000;", "한국 👨‍👩‍👧"} {
		f.Add(o)
	}
	g := New(analyze.New())
	f.Fuzz(func(t *testing.T, s string) {
		v := Fold(s)
		checkView(t, s, &v)
		r := g.Check(s, model.VisibilityPublic)
		for _, p := range r.PHI {
			if p.Start < 0 || p.End > len(s) || p.Start >= p.End || utf8.ValidString(s) && !utf8.ValidString(s[p.Start:p.End]) {
				t.Fatalf("finding %+v out of place in %q", p, s)
			}
		}
		for _, w := range r.Warnings {
			if s[w.Start:w.End] != w.Phrase {
				t.Fatalf("warning %+v out of place in %q", w, s)
			}
		}
	})
}
