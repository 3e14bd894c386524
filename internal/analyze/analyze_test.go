package analyze

import (
	"strings"
	"testing"

	"earshot/internal/model"
)

func TestSentimentExamples(t *testing.T) {
	tests := []struct{ text, want string }{
		{"@HealthPlan applied three weeks ago, called and emailed, no response", "negative"},
		{"@HealthPlan been on hold for two hours", "negative"},
		{"@HealthPlan you charged me twice for the same premium", "negative"},
		{"@HealthPlan great, another denial letter", "negative"},
		{"@HealthPlan not happy with how this was handled", "negative"},
		{"@HealthPlan thanks for nothing", "negative"},
		{"@HealthPlan what time does member services open?", "neutral"},
		{"@HealthPlan does my plan cover physical therapy?", "neutral"},
		{"@CityHospital the nurses were amazing, thank you!", "positive"},
		{"@HealthPlan problem solved in one call, you rock 🙌", "positive"},
		{"@HealthPlan not bad at all, got it sorted quickly", "positive"},
		{"@HealthPlan me cobraron dos veces la misma factura, es inaceptable", "negative"},
		{"Muchas gracias a las enfermeras, fueron muy amables con mi mamá", "positive"},
		{"¿A qué hora abre la farmacia el domingo?", "neutral"},
	}
	a := New()
	for _, tt := range tests {
		if s := a.Sentiment(tt.text); s.Label != tt.want {
			t.Errorf("%q: %s (%.2f), want %s", tt.text, s.Label, s.Score, tt.want)
		}
	}
}

func TestAnalyzeContract(t *testing.T) {
	a := New()
	out := a.Analyze(Input{})
	if out.Intents == nil || out.PHI == nil || out.Urgency.Reasons == nil || out.Language != LanguageUndetermined {
		t.Fatalf("empty input: %+v", out)
	}
	if out.Sentiment.Label == "" || out.Urgency.Level == "" {
		t.Fatalf("empty labels: %+v", out)
	}
}

func TestNeedsResponse(t *testing.T) {
	one, three, five := 1, 3, 5
	tests := []struct {
		name string
		in   Input
		want bool
	}{
		{"complaint", Input{Text: "@HealthPlan still no card after 5 weeks"}, true},
		{"question", Input{Text: "@HealthPlan how do I add my newborn?"}, true},
		{"request", Input{Text: "@HealthPlan please call me about my bill"}, true},
		{"three stars", Input{Text: "It was fine.", Kind: model.KindReview, Rating: &three}, true},
		{"one star, no text", Input{Kind: model.KindReview, Rating: &one}, true},
		{"praise", Input{Text: "@CityHospital thank you to the night nurses, you were wonderful"}, false},
		{"five stars", Input{Text: "Wonderful staff and care!", Kind: model.KindReview, Rating: &five}, false},
		{"news", Input{Text: "County opens free flu shot clinics this weekend https://example.com"}, false},
		{"spam", Input{Text: "@HealthPlan https://example.com/win"}, false},
		{"outbound", Input{Text: "Please DM us your details", Direction: model.DirectionOutbound}, false},
	}
	a := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := a.Analyze(tt.in)
			if out.NeedsResponse != tt.want {
				t.Errorf("needs_response %v, want %v (%+v)", out.NeedsResponse, tt.want, out)
			}
		})
	}
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		text string
		want string // normalised tokens joined by space; negated words get "!"
	}{
		{"I can't log in!!!", "i cant !log !in !"},
		{"@HealthPlan #Swindled sooo bad :(", "@ swindled soo bad :("},
		{"charged $40 &amp; no refund", "charged $ 40 & no !refund"},
		{"not good but fine", "not !good but fine"},
		{"visit https://x.co/a now 😭", "visit http now 😭"},
		{"Ça coûte 3,50 €", "ça coûte 3,50"},
	}
	for _, tt := range tests {
		sc := &scratch{}
		tokenize(sc, tt.text)
		var got []string
		for i := range sc.toks {
			w := string(sc.word(&sc.toks[i]))
			if sc.toks[i].flags&fNeg != 0 {
				w = "!" + w
			}
			got = append(got, w)
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("%q: %q, want %q", tt.text, g, tt.want)
		}
		for i := range sc.toks {
			tk := sc.toks[i]
			if tk.s < 0 || int(tk.e) > len(tt.text) || tk.s >= tk.e {
				t.Errorf("%q: token %d offsets %d-%d", tt.text, i, tk.s, tk.e)
			}
		}
	}
}

func TestPhrasePatterns(t *testing.T) {
	tests := []struct {
		pattern, text string
		want          bool
	}{
		{"on hold", "I was on hold forever", true},
		{"on hold", "hold on a second", false},
		{"wait+ for * hours", "waited for almost 3 hours", true},
		{"wait+ for * hours", "waited for. hours", false},
		{"nobody|noone answer+", "nobody answered", true},
		{"surprise hospital| bill", "surprise bill", true},
		{"surprise hospital| bill", "surprise hospital bill", true},
		{"cant|cannot breathe", "I can't breathe", true},
	}
	for _, tt := range tests {
		ps := newPhraseSet()
		if err := ps.add(tt.pattern, 1); err != nil {
			t.Fatalf("%q: %v", tt.pattern, err)
		}
		sc := &scratch{}
		tokenize(sc, tt.text)
		got := len(ps.match(sc.toks, nil)) > 0
		if got != tt.want {
			t.Errorf("%q in %q: %v, want %v", tt.pattern, tt.text, got, tt.want)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	a := New()
	want := a.Analyze(Input{Text: benchPosts[3]})
	done := make(chan bool)
	for g := 0; g < 8; g++ {
		go func() {
			ok := true
			for i := 0; i < 200; i++ {
				got := a.Analyze(Input{Text: benchPosts[3]})
				ok = ok && got.Sentiment == want.Sentiment && len(got.PHI) == len(want.PHI)
			}
			done <- ok
		}()
	}
	for g := 0; g < 8; g++ {
		if !<-done {
			t.Error("results differ between goroutines")
		}
	}
}
