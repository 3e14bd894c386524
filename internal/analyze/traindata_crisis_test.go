package analyze

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// crisisRow is one hand-written crisis training row in
// traindata/crisis/*.jsonl.
type crisisRow struct {
	Text string `json:"text"`
	Lang string `json:"lang"`
	Kind string `json:"kind"`
	Note string `json:"note"`
}

// TestCrisisTrainData checks every row of the crisis training files:
// it parses strictly (no unknown fields), its kind and language are
// known, its text is non-empty and under 1,000 bytes, and no text
// appears twice across all files. A file named LANG_positive.jsonl or
// LANG_negative.jsonl, with or without a "more_" in front, holds only
// rows in LANG, crisis kinds or none respectively. Every row of
// suicidal_word.jsonl carries the word it is about: "suicidal", or
// "suicida" in Spanish.
func TestCrisisTrainData(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("traindata", "crisis", "*.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no crisis training files in traindata/crisis")
	}
	// The kinds a row may carry: the crisis kinds of reasons.go and none.
	kinds := map[string]bool{
		CrisisSelfHarm:         true,
		CrisisPoisoning:        true,
		CrisisMedicalEmergency: true,
		CrisisViolence:         true,
		CrisisAbuse:            true,
		"none":                 true,
	}
	seen := map[string]string{}
	for _, path := range files {
		// wantLang and side come from the file's name, such as
		// es_negative.jsonl; both "" when the name says nothing
		// (suicidal_word.jsonl mixes languages and kinds).
		name := strings.TrimPrefix(strings.TrimSuffix(filepath.Base(path), ".jsonl"), "more_")
		wantLang, side, _ := strings.Cut(name, "_")
		if side != "positive" && side != "negative" {
			wantLang, side = "", ""
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lines := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
		for i, line := range lines {
			at := fmt.Sprintf("%s:%d", path, i+1)
			dec := json.NewDecoder(bytes.NewReader(line))
			dec.DisallowUnknownFields()
			var r crisisRow
			if err := dec.Decode(&r); err != nil {
				t.Errorf("%s: %v", at, err)
				continue
			}
			if dec.More() {
				t.Errorf("%s: more than one object on the line", at)
			}
			if !kinds[r.Kind] {
				t.Errorf("%s: unknown kind %q", at, r.Kind)
			}
			if r.Lang != "en" && r.Lang != "es" {
				t.Errorf("%s: unknown lang %q", at, r.Lang)
			}
			if wantLang != "" && r.Lang != wantLang {
				t.Errorf("%s: lang %q in a file of %q rows", at, r.Lang, wantLang)
			}
			if (side == "negative" && r.Kind != "none") || (side == "positive" && r.Kind == "none") {
				t.Errorf("%s: kind %q in %s", at, r.Kind, filepath.Base(path))
			}
			if r.Text == "" || len(r.Text) >= 1000 {
				t.Errorf("%s: text is %d bytes, want 1 to 999", at, len(r.Text))
			}
			if filepath.Base(path) == "suicidal_word.jsonl" && !strings.Contains(strings.ToLower(r.Text), "suicida") {
				t.Errorf("%s: no \"suicidal\" or \"suicida\" in %q", at, r.Text)
			}
			if prev, ok := seen[r.Text]; ok {
				t.Errorf("%s: text also at %s: %q", at, prev, r.Text)
			}
			seen[r.Text] = at
		}
	}
}
