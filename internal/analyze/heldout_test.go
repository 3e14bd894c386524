package analyze

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"

	"earshot/internal/model"
)

// TestHeldOutCrisisSets holds crisis detection's figures on the held-out
// sets of testdata/heldout: posts written by an engineer who never saw
// the model, its gate or its training rows, and that nothing is trained
// on (see the README there). The floors are the figures measured when
// the sets were added; a change that lowers one is a change for the
// worse.
func TestHeldOutCrisisSets(t *testing.T) {
	a := New()
	for _, tc := range []struct {
		file      string
		minRecall float64
		maxFalse  float64
	}{
		// Posts to hospitals and plans: people at risk now, most told
		// indirectly, and posts close to them that are not.
		{"testdata/heldout/crisis_posts.jsonl", 0.78, 0.03},
		// Tweets that all contain "suicidal".
		{"testdata/heldout/suicidal_tweets.jsonl", 0.94, 0.07},
		// Round 2's blind set, never tuned on (../guard/testdata/blind2).
		{"testdata/blind2/crisis_posts.jsonl", 0.65, 0.03},
	} {
		atRisk, found, others, falseCritical := crisisCounts(t, a, tc.file)
		if atRisk < 50 || others < 50 {
			t.Fatalf("%s: %d at risk and %d others, want at least 50 each", tc.file, atRisk, others)
		}
		recall, falseRate := float64(found)/float64(atRisk), float64(falseCritical)/float64(others)
		if recall < tc.minRecall {
			t.Errorf("%s: recall %d/%d = %.3f, want at least %.3f", tc.file, found, atRisk, recall, tc.minRecall)
		}
		if falseRate > tc.maxFalse {
			t.Errorf("%s: false critical %d/%d = %.3f, want at most %.3f", tc.file, falseCritical, others, falseRate, tc.maxFalse)
		}
		t.Logf("%s: recall %d/%d, false critical %d/%d", tc.file, found, atRisk, falseCritical, others)
	}
}

// crisisCounts analyses every row of a crisis set ({"text","lang","kind"},
// kind "none" for a post of no one at risk) with a, and counts the rows
// at risk and those of them marked critical, and the others and those
// of them marked critical.
func crisisCounts(t *testing.T, a *Analyzer, file string) (atRisk, found, others, falseCritical int) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		var row struct{ Text, Lang, Kind string }
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil || row.Text == "" || row.Kind == "" {
			t.Fatalf("%s:%d: bad row (%v)", file, n, err)
		}
		critical := a.Analyze(Input{Text: row.Text}).Urgency.Level == model.UrgencyCritical
		if row.Kind == "none" {
			others++
			if critical {
				falseCritical++
			}
		} else {
			atRisk++
			if critical {
				found++
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return atRisk, found, others, falseCritical
}

// TestCrisisDevSet holds crisis detection's figures on the development
// set of round 4 (testdata/crisisdev/indirect_en.jsonl: indirect English
// self-harm told to hospitals and plans, and look-alikes in the same
// words that are not crisis), which no recipe trains on. Measured when
// it was written: recall 110/153 = 0.719, false critical 30/151 = 0.199.
func TestCrisisDevSet(t *testing.T) {
	atRisk, found, others, falseCritical := crisisCounts(t, New(), "testdata/crisisdev/indirect_en.jsonl")
	if atRisk < 150 || others < 150 {
		t.Fatalf("%d at risk and %d others, want at least 150 each", atRisk, others)
	}
	if found < 110 || falseCritical > 30 {
		t.Errorf("recall %d/%d, false critical %d/%d; want at least 110 and at most 30", found, atRisk, falseCritical, others)
	}
	t.Logf("recall %d/%d, false critical %d/%d", found, atRisk, falseCritical, others)
}
