package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"earshot/internal/analyze"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestEvalSentiment(t *testing.T) {
	file := writeFile(t, "labelled.jsonl", `{"text":"@HealthPlan on hold for two hours, no answer","label":"negative"}
{"text":"@HealthPlan thank you, the nurses were wonderful!","label":"positive"}
{"text":"@HealthPlan what time does member services open?","label":"neutral"}
`)
	code, out, errs := runWithInput(t, "", nil, "eval", file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"accuracy  1.000", "macro-F1  1.000", "precision", "recall", "confusion", "negative"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// Flags after the file and JSON output.
	code, out, _ = runWithInput(t, "", nil, "eval", file, "--json")
	if code != 0 || !strings.Contains(out, `"macro_f1":1`) {
		t.Errorf("json: exit %d\n%s", code, out)
	}
}

// TestEvalReviews checks --reviews: a review without stars whose text
// reads neutral is counted as negative or positive, so a file of
// two-class reviews is scored on two classes.
func TestEvalReviews(t *testing.T) {
	file := writeFile(t, "reviews.jsonl", `{"text":"Went in on Tuesday for an x-ray and was out by noon.","label":"positive"}
{"text":"The nurses were wonderful and the room was spotless.","label":"positive"}
{"text":"Waited four hours in the ER and nobody came.","label":"negative"}
`)
	neutralPredicted := func(args ...string) int {
		t.Helper()
		code, out, errs := runWithInput(t, "", nil, append([]string{"eval", "--json"}, args...)...)
		if code != 0 {
			t.Fatalf("eval %v: exit %d: %s", args, code, errs)
		}
		var rep analyze.SentimentReport
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("eval %v: %v\n%s", args, err, out)
		}
		n := 0
		for _, row := range rep.Confusion {
			n += row[1] // column 1 is neutral
		}
		return n
	}
	if n := neutralPredicted(file); n == 0 {
		t.Fatal("no review reads neutral as a post: the test checks nothing")
	}
	if n := neutralPredicted("--reviews", file); n != 0 {
		t.Errorf("--reviews: %d neutral predictions, want none", n)
	}
}

func TestEvalPHI(t *testing.T) {
	file := writeFile(t, "phi.jsonl", `{"text":"Here's my SSN: 460-89-9847","spans":[{"type":"US_SSN","start":15,"end":26}]}
{"text":"email UtaKortig@jourrapide.com now","spans":[{"type":"EMAIL_ADDRESS","start":6,"end":30}]}
`)
	code, out, errs := runWithInput(t, "", nil, "eval", "--phi", file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"ssn", "email", "overall", "1.000"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestEvalRejects(t *testing.T) {
	badLabel := writeFile(t, "bad.jsonl", `{"text":"x","label":"angry"}`+"\n")
	empty := writeFile(t, "empty.jsonl", "\n")
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no file", []string{"eval"}, 2, "one labelled"},
		{"missing file", []string{"eval", filepath.Join(t.TempDir(), "nope.jsonl")}, 1, "no such file"},
		{"bad label", []string{"eval", badLabel}, 1, "line 1"},
		{"empty", []string{"eval", empty}, 1, "no rows"},
		{"empty phi", []string{"eval", "--phi", empty}, 1, "no rows"},
		{"label type", []string{"eval", writeFile(t, "t.jsonl", `{"text":"x","label":7}`+"\n")}, 1, `line 1: field "label" must be a string, not number`},
		{"phi without spans", []string{"eval", "--phi", badLabel}, 1, `no "spans"`},
		{"span backwards", []string{"eval", "--phi", writeFile(t, "s.jsonl", `{"text":"abc","spans":[{"type":"US_SSN","start":2,"end":1}]}`+"\n")}, 1, "not inside the text"},
		{"span past the end", []string{"eval", "--phi", writeFile(t, "e.jsonl", `{"text":"abc","spans":[{"type":"US_SSN","start":1,"end":9}]}`+"\n")}, 1, "not inside the text"},
		{"too long", []string{"eval", writeFile(t, "l.jsonl", `{"text":"ok","label":"neutral"}`+"\n"+`{"text":"`+strings.Repeat("x", maxEvalLine)+`"}`+"\n")}, 1, "line 2: longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runWithInput(t, "", nil, tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errs, tt.code, tt.stderr)
			}
		})
	}
}
