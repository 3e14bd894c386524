package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCountTextKeepsWordsInsideSentences(t *testing.T) {
	lower, capital := map[string]int{}, map[string]int{}
	countText("Rain fell. The Rain in Spain can't stop rain. Café open", lower, capital)
	if lower["rain"] != 1 || capital["rain"] != 1 {
		t.Errorf("rain: lower %d capital %d, want 1 and 1 (the sentence-opening one is not counted)", lower["rain"], capital["rain"])
	}
	if lower["cant"] != 1 {
		t.Errorf("cant: %d, want 1 (apostrophes dropped)", lower["cant"])
	}
	if _, ok := capital["spain"]; !ok {
		t.Errorf("spain not counted as capitalised: %v", capital)
	}
	if lower["open"] != 1 || capital["café"] != 0 {
		t.Errorf("a word with other letters must not be counted: %v %v", lower, capital)
	}
}

func TestAddDictionaryKeepsLowerCaseOnlyWords(t *testing.T) {
	dict := filepath.Join(t.TempDir(), "words")
	if err := os.WriteFile(dict, []byte("eel\nbill\nBill\nam\nnaïve\nrose\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	keep := map[string]bool{}
	if err := addDictionary(dict, map[string]bool{"rose": true}, keep); err != nil {
		t.Fatal(err)
	}
	var got []string
	for w := range keep {
		got = append(got, w)
	}
	if strings.Join(got, ",") != "eel" {
		t.Errorf("kept %v, want only eel (bill is also Bill, am is short, naïve not ASCII, rose a name)", got)
	}
}

func TestRunRefusesEvaluationOnlyData(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "airline_dev.jsonl")
	if err := os.WriteFile(in, []byte(`{"text":"fine words"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := run(filepath.Join(dir, "out.txt"), dir, "", 1, []string{in})
	if err == nil || !strings.Contains(err.Error(), "evaluation only") {
		t.Errorf("error %v, want a refusal", err)
	}
}

func FuzzCountText(f *testing.F) {
	for _, s := range []string{"", "a.b", "Don't", "\xff'x", "é", "A'", "'''"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		lower, capital := map[string]int{}, map[string]int{}
		countText(text, lower, capital)
		for w := range lower {
			if len(w) < 2 || strings.ToLower(w) != w {
				t.Fatalf("lower-case word %q", w)
			}
		}
	})
}
