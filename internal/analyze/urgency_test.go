package analyze

import (
	"slices"
	"strings"
	"testing"

	"earshot/internal/model"
)

func TestCrisisRecall(t *testing.T) {
	lines := readLines(t, "testdata/crisis.txt")
	if len(lines) < 150 {
		t.Fatalf("crisis set has %d posts, want at least 150", len(lines))
	}
	a := New()
	caught := 0
	for _, l := range lines {
		reason, text, ok := strings.Cut(l, "\t")
		if !ok {
			t.Fatalf("bad line %q", l)
		}
		an := a.Analyze(Input{Text: text})
		u := an.Urgency
		if u.Level == model.UrgencyCritical {
			caught++
			if an.Sentiment.Label == model.SentimentPositive || slices.Contains(an.Intents, IntentPraise) {
				t.Errorf("crisis read as %s with intents %v: %s", an.Sentiment.Label, an.Intents, text)
			}
			found := false
			for _, r := range u.Reasons {
				found = found || r == reason
			}
			if !found {
				t.Logf("reasons %v, labelled %s: %s", u.Reasons, reason, text)
			}
		} else {
			t.Logf("missed (%s): %s", u.Level, text)
		}
	}
	// Four rows in five of this file train the crisis model
	// (cmd/traincrisis); the fifth is held out, and misses come from it.
	// The held-out figures are TestHeldOutCrisis's.
	recall := float64(caught) / float64(len(lines))
	t.Logf("crisis recall %.3f (%d of %d)", recall, caught, len(lines))
	if recall < 0.95 {
		t.Errorf("crisis recall %.3f, want >= 0.95", recall)
	}
}

func TestNotCrisis(t *testing.T) {
	a := New()
	for _, text := range readLines(t, "testdata/notcrisis.txt") {
		if u := a.Analyze(Input{Text: text}).Urgency; u.Level == model.UrgencyCritical {
			t.Errorf("critical %v: %s", u.Reasons, text)
		}
	}
}

func TestUrgency(t *testing.T) {
	one, five := 1, 5
	tests := []struct {
		name   string
		in     Input
		level  string
		reason string
	}{
		{"lawyer", Input{Text: "@HealthPlan my lawyer will be in touch about this denial"}, model.UrgencyHigh, "legal_threat"},
		{"regulator", Input{Text: "filing a complaint with the department of insurance about @HealthPlan"}, model.UrgencyHigh, "regulator_or_press"},
		{"press", Input{Text: "I'm talking to a reporter at the local news about how you treated my mother"}, model.UrgencyHigh, "regulator_or_press"},
		{"hardship", Input{Text: "I can't afford my insulin this month and I'm rationing"}, model.UrgencyHigh, "cost_hardship"},
		{"repeated", Input{Text: "called 6 times this week and still no response"}, model.UrgencyHigh, "repeated_contact"},
		{"influencer", Input{Text: "@HealthPlan your claims process is a mess", Followers: 52000}, model.UrgencyHigh, ReasonHighInfluence},
		{"verified", Input{Text: "@HealthPlan terrible service today", Verified: true}, model.UrgencyHigh, ReasonHighInfluence},
		{"one star", Input{Text: "Long wait.", Kind: model.KindReview, Rating: &one}, model.UrgencyHigh, ReasonLowRating},
		{"praise", Input{Text: "Thank you so much to the nurses on 3 North, you were wonderful!"}, model.UrgencyLow, ReasonPraise},
		{"five star praise", Input{Text: "Great care, kind staff.", Kind: model.KindReview, Rating: &five}, model.UrgencyLow, ReasonPraise},
		{"noise", Input{Text: "@HealthPlan https://example.com/x"}, model.UrgencyLow, ReasonNoise},
		{"short complaint", Input{Text: "@HealthPlan terrible"}, model.UrgencyNormal, ReasonNegative},
		{"angry emoji", Input{Text: "😡😡😡 @HealthPlan"}, model.UrgencyNormal, ReasonNegative},
		{"plain question", Input{Text: "@HealthPlan what time does the pharmacy open on Sunday?"}, model.UrgencyNormal, ""},
		{"outbound", Input{Text: "I want to kill myself", Direction: model.DirectionOutbound}, model.UrgencyLow, ReasonOutbound},
		{"negated", Input{Text: "no chest pain today, just a question about my bill"}, model.UrgencyNormal, ""},
		{"kms", Input{Text: "kms"}, model.UrgencyCritical, "self_harm"},
		{"waiting now", Input{Text: "Waited 7 hrs in the ER with chest pains and still nobody has seen me"}, model.UrgencyCritical, "medical_emergency"},
		{"past visit", Input{Text: "Waited 7 hrs in the ER with chest pains. The wait is inexcusable.", Kind: model.KindReview, Rating: &one}, model.UrgencyHigh, ReasonLowRating},
		{"visit then emergency", Input{Text: "Took my son to the ER. He is having a seizure and nobody is helping"}, model.UrgencyCritical, "medical_emergency"},
	}
	a := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := a.Analyze(tt.in).Urgency
			if u.Level != tt.level {
				t.Fatalf("level %s %v, want %s", u.Level, u.Reasons, tt.level)
			}
			if tt.reason == "" {
				return
			}
			for _, r := range u.Reasons {
				if r == tt.reason {
					return
				}
			}
			t.Errorf("reasons %v, want %s among them", u.Reasons, tt.reason)
		})
	}
}
