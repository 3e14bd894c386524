package guard

import (
	"testing"

	"earshot/internal/analyze"
)

// TestHeldOutSets holds the guard's figures on the held-out sets of
// testdata/heldout: replies written by an engineer who never saw the
// guard's rules, its word lists or its development sets, and that no
// one tuned a rule on before they were measured (see the README there).
// The floors are the figures measured when they were added; a change
// that lowers one is a change for the worse.
func TestHeldOutSets(t *testing.T) {
	contacts := Contacts{Phones: []string{"1-800-555-0123"}, Emails: []string{"help@bluerivercare.example"}, Links: []string{"bluerivercare.example"}}
	plain := New(analyze.New())
	known := New(analyze.New(), WithContacts(func() Contacts { return contacts }))
	for _, tc := range []struct {
		file        string
		g           *Guard
		maxFalse    float64
		minRefused  float64
		atLeastRows int
	}{
		// Replies of companies of every trade, each giving its own
		// contacts, which no guard knows in advance.
		{"testdata/heldout/company.jsonl", plain, 0.01, 0, 400},
		// A hospital's ordinary replies, with its contacts known.
		{"testdata/heldout/hospital.jsonl", known, 0.01, 0, 300},
		{"testdata/heldout/refuse.jsonl", known, 0, 0.925, 350},
		// Round 2's blind sets, never tuned on (testdata/blind2/README.md).
		{"testdata/blind2/pass.jsonl", known, 0.02, 0, 250},
		{"testdata/blind2/refuse.jsonl", known, 0, 0.79, 250},
	} {
		rep := Evaluate(readExamples(t, tc.file), Vetted(tc.g))
		o := rep.Overall
		if o.Rows < tc.atLeastRows {
			t.Fatalf("%s: %d rows, want at least %d", tc.file, o.Rows, tc.atLeastRows)
		}
		if o.Pass > 0 && o.FalseRate > tc.maxFalse {
			t.Errorf("%s: false refusals %d/%d = %.3f, want at most %.3f", tc.file, o.FalseRefusals, o.Pass, o.FalseRate, tc.maxFalse)
		}
		if o.Refuse > 0 && o.RefusalRate < tc.minRefused {
			t.Errorf("%s: refused %d/%d = %.3f, want at least %.3f", tc.file, o.Caught, o.Refuse, o.RefusalRate, tc.minRefused)
		}
		t.Logf("%s: false refusals %d/%d, refused %d/%d", tc.file, o.FalseRefusals, o.Pass, o.Caught, o.Refuse)
	}
}
