package cli

import (
	"bytes"
	"testing"
)

// sameAsEncodingJSON checks the fast path against encoding/json on raw:
// when scanAnalyzeRow takes a row, encoding/json must take it too and
// make the same of it.
func sameAsEncodingJSON(t *testing.T, raw []byte) (fast bool) {
	t.Helper()
	raw = bytes.TrimSpace(raw) // as the stream hands rows over
	var got, want analyzeRow
	if !scanAnalyzeRow(raw, &got) {
		return false
	}
	if err := decodeRow(raw, &want); err != nil {
		t.Fatalf("fast path took %q, encoding/json refuses it: %v", raw, err)
	}
	if g, w := usedOf(&got), usedOf(&want); g != w {
		t.Fatalf("%q:\nfast path     %+v\nencoding/json %+v", raw, g, w)
	}
	return true
}

// usedRow is what the analysis uses of a row, comparable.
type usedRow struct {
	hasText, hasRating, hasAnalysis bool
	text, kind, direction           string
	rating                          int
	followers                       int64
	verified                        bool
}

// usedOf returns what the analysis uses of row.
func usedOf(row *analyzeRow) usedRow {
	u := usedRow{kind: row.Kind, direction: row.Direction, followers: row.Author.Followers,
		verified: row.Author.Verified, hasAnalysis: row.Analysis != nil}
	if row.Text != nil {
		u.hasText, u.text = true, *row.Text
	}
	if row.Rating != nil {
		u.hasRating, u.rating = true, *row.Rating
	}
	return u
}

func TestScanAnalyzeRowTakesCommonRows(t *testing.T) {
	for _, line := range bytes.Split(generatedMentions(t, 300), []byte("\n")) {
		if len(line) > 0 && !sameAsEncodingJSON(t, line) {
			t.Fatalf("a generated mention went to encoding/json: %s", line)
		}
	}
	for _, raw := range []string{
		`{"text":"plain"}`,
		`{"text":"escapes \"quoted\" \u00e9 \ud83d\ude00 \n tab\t"}`,
		"{\"text\":\"invalid UTF-8 \xff\"}",
		` { "text" : null , "rating" : 4 , "kind":"review","kind":null } `,
		`{"text":"a","text":"b","author":{"followers":12,"verified":true,"other":[1,{"x":-0.5e3}]},"author":{"posts":3}}`,
		`{"rating":-0,"extra":{"nested":[[],{},"s",true,false,null]}}`,
	} {
		if !sameAsEncodingJSON(t, []byte(raw)) {
			t.Errorf("went to encoding/json: %s", raw)
		}
	}
}

func TestScanAnalyzeRowLeavesTheRestToEncodingJSON(t *testing.T) {
	for _, raw := range []string{
		`{"Text":"case differs"}`,
		`{"te\u0078t":"escaped key"}`,
		"{\"\u212aind\":\"kelvin sign folds to k\"}",
		`{"text":"x","analysis":{"old":1}}`,
		`{"text":5}`,
		`{"rating":4.0}`,
		`{"rating":99999999999999999999}`,
		`{"author":{"verified":1}}`,
		`{"author":{"handle":5}}`,
		`{"author":{"Followers":5}}`,
		`{"author":[]}`,
		`{"text":"a"} trailing`,
		`{"text":"a",}`,
		`{"text":"bad escape \x"}`,
		"{\"text\":\"control \x01\"}",
		`{"n":01}`,
		`{"n":1.}`,
		`{"n":[1,]}`,
		`["text"]`,
		`{"text":"a"`,
	} {
		var row analyzeRow
		if scanAnalyzeRow([]byte(raw), &row) {
			t.Errorf("fast path took %s", raw)
		}
	}
}

// FuzzScanAnalyzeRow holds the fast path to encoding/json: whatever it
// takes, encoding/json takes and decodes the same.
func FuzzScanAnalyzeRow(f *testing.F) {
	for _, line := range bytes.Split(generatedMentions(f, 20), []byte("\n")) {
		f.Add(line)
	}
	for _, s := range []string{`{"text":"a\u00e9","rating":null,"author":null}`, `{"x":[{"y":[1e5,-2.5E-3]}]}`, `{"text":"\ud800"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		sameAsEncodingJSON(t, raw)
	})
}
