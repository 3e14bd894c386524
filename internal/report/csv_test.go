package report_test

import (
	"bytes"
	"encoding/csv"
	"testing"

	"earshot/internal/report"
)

// TestCSVColumnsAreStableAndSafe: every row has every column, a key a
// spreadsheet would read as a formula is quoted, and a map key found in
// one group only is a column of every row (0 where absent).
func TestCSVColumnsAreStableAndSafe(t *testing.T) {
	g := func(key string, intents map[string]int64) report.Group {
		return report.Group{Key: key, Mentions: report.Mentions{Total: 1, ByIntent: intents}}
	}
	s := &report.Summary{Groups: []report.Group{g("=HYPERLINK(1)", map[string]int64{"billing": 2}), g("-5", map[string]int64{"claim": 1})}}
	var buf bytes.Buffer
	if err := s.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 {
		t.Fatalf("%d records, want a header and 2 rows", len(recs))
	}
	col := map[string]int{}
	for i, n := range recs[0] {
		col[n] = i
	}
	for _, tc := range []struct {
		row  int
		name string
		want string
	}{
		{1, "key", "'=HYPERLINK(1)"},
		{2, "key", "-5"}, // a number stays a number
		{1, "mentions_by_intent_billing", "2"},
		{1, "mentions_by_intent_claim", "0"},
		{2, "mentions_by_intent_claim", "1"},
		{2, "mentions_by_sentiment_neutral", "0"},
		{2, "cases_by_priority_urgent", "0"},
		{1, "mentions_total", "1"},
	} {
		i, ok := col[tc.name]
		if !ok {
			t.Errorf("no column %s in %v", tc.name, recs[0])
			continue
		}
		if got := recs[tc.row][i]; got != tc.want {
			t.Errorf("row %d %s = %q, want %q", tc.row, tc.name, got, tc.want)
		}
	}
}

// FuzzParseGroupBy holds the group_by reader to: a known dimension, read
// back as itself, or an error naming the value.
func FuzzParseGroupBy(f *testing.F) {
	for _, s := range []string{"", "channel", "intent", "Channel", "team\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		g, err := report.ParseGroupBy(s)
		if err != nil {
			if g != report.GroupNone {
				t.Fatalf("ParseGroupBy(%q) = %q with error", s, g)
			}
			return
		}
		if string(g) != s {
			t.Fatalf("ParseGroupBy(%q) = %q", s, g)
		}
	})
}
