package analyze

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFeatureHashes checks that the hashes tokenize stores with each
// token and extract with each feature are the FNV hashes of the tokens'
// normalised forms and of the feature names.
func TestFeatureHashes(t *testing.T) {
	texts := append([]string(nil), benchPosts...)
	texts = append(texts, "", "@a @b", "#NotHappy #worstserviceever", "no no no!!! ??", "123 456 7.5 :) 😡 http://x.y",
		"@HealthPlan #fail . ! ? wait waiting", "¿Dónde está mi reembolso? Gracias", "Call me Višeslav ÑANDÚ, Straße 5 ẞ İstanbul", "#ÉCOLE #CañónDelSol")
	files, err := filepath.Glob(filepath.Join("traindata", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, strings.Split(string(b), "\n")...)
	}
	sc := &scratch{}
	checked := 0
	for _, text := range texts {
		var sig signals
		tokenize(sc, boundText(text))
		for i := range sc.toks {
			tok := &sc.toks[i]
			if want := hashBytes(fnvOffset, sc.word(tok)); tok.h != want {
				t.Fatalf("%q: token %q hash %x, want %x", text, sc.word(tok), tok.h, want)
			}
		}
		fs := stdLexicons().extract(sc, nil, &sig)
		for i := range fs {
			f := &fs[i]
			if want := featHash(sc, f); f.h != want {
				t.Fatalf("%q: feature %q hash %x, want %x", text, featName(sc, f), f.h, want)
			}
			if want := hashString(fnvOffset, featName(sc, f)); f.h != want {
				t.Fatalf("%q: feature %q hash %x, want the name's %x", text, featName(sc, f), f.h, want)
			}
			checked++
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d features checked", checked)
	}
}
