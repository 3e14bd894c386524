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
	} {
		f, err := os.Open(tc.file)
		if err != nil {
			t.Fatal(err)
		}
		var atRisk, found, others, falseCritical int
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			var row struct{ Text, Lang, Kind string }
			if err := json.Unmarshal(sc.Bytes(), &row); err != nil || row.Text == "" || row.Kind == "" {
				t.Fatalf("%s:%d: bad row (%v)", tc.file, n, err)
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
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
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
