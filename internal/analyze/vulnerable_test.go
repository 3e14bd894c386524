package analyze

import (
	"slices"
	"testing"

	"earshot/internal/model"
)

// vulnerableCue reports whether the [vulnerable] group of cues_high.txt
// matches text.
func vulnerableCue(a *Analyzer, text string) bool {
	sc := a.pool.Get().(*scratch)
	defer a.pool.Put(sc)
	tokenize(sc, text)
	for _, h := range a.lex.urgent.match(sc.toks, nil) {
		if a.lex.urgentNames[h.label] == "vulnerable" {
			return true
		}
	}
	return false
}

func TestVulnerableMeansAPerson(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		// People at risk.
		{"I am a disabled veteran and you cancelled my ride to the VA twice", true},
		{"my disabled son missed his appointment because nobody called back", true},
		{"she has terminal cancer and your plan keeps denying her pain meds", true},
		{"my husband is terminally ill and we are still waiting on the claim", true},
		{"I'm a wheelchair user and the entrance ramp has been blocked for weeks", true},
		{"my elderly mother is alone at home and no nurse has come", true},
		{"my 88 year old father waited six hours in the ER hallway", true},
		{"I'm pregnant and was told to wait three weeks for a scan", true},
		{"im disabled and cannot get up the stairs to your office", true},
		{"my daughter has special needs and the aide never showed up", true},
		{"mi madre está en silla de ruedas y nadie la ayudó", true},
		// Accounts, cards, features, terminals and gates.
		{"my account was disabled for no reason and nobody will tell me why", false},
		{"why is my card disabled?? I paid the bill yesterday", false},
		{"you disabled the chat feature in the app, terrible update", false},
		{"stuck at terminal 4 for three hours, no one at the desk", false},
		{"the terminal B gate agents were rude and the flight left without us", false},
		{"gate 22 changed twice and the disabled boarding pass scanner beeped at everyone", false},
		{"the payment terminal at the front desk is broken again", false},
	}
	a := New()
	for _, tt := range tests {
		if got := vulnerableCue(a, tt.text); got != tt.want {
			t.Errorf("vulnerable = %v, want %v: %s", got, tt.want, tt.text)
		}
	}
}

// TestVulnerableRaisesANegativePost checks the rule around the cue: a
// negative post about a person at risk is high, with the reason.
func TestVulnerableRaisesANegativePost(t *testing.T) {
	a := New()
	text := "my disabled son has waited four hours in your ER and nobody has even looked at him. unacceptable"
	an := a.Analyze(Input{Text: text})
	if an.Sentiment.Label != model.SentimentNegative {
		t.Fatalf("sentiment %s, want negative: the rule raises only negative posts", an.Sentiment.Label)
	}
	if an.Urgency.Level != model.UrgencyHigh || !slices.Contains(an.Urgency.Reasons, "vulnerable") {
		t.Errorf("urgency %s %v, want high with vulnerable", an.Urgency.Level, an.Urgency.Reasons)
	}
}
