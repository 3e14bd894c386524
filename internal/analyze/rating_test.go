package analyze

import (
	"slices"
	"testing"

	"earshot/internal/model"
)

// TestRatedReview checks how a review's stars weigh with its text:
// without words the stars decide the sentiment, a neutral text is tipped
// by 1-2 or 4-5 stars, a text with a mood keeps it; a review of 4-5
// stars without words is praise, never noise.
func TestRatedReview(t *testing.T) {
	keep := 9.0 // score: the text's own, as Sentiment reads it
	tests := []struct {
		name    string
		text    string
		stars   int // 0: no rating
		label   string
		score   float64
		level   string
		reasons []string
		respond bool
	}{
		{"one star, no text", "", 1, model.SentimentNegative, -1, model.UrgencyHigh, []string{ReasonNegative, ReasonLowRating}, true},
		{"two stars, no text", "", 2, model.SentimentNegative, -0.5, model.UrgencyHigh, []string{ReasonNegative, ReasonLowRating}, true},
		{"three stars, no text", "", 3, model.SentimentNeutral, 0, model.UrgencyNormal, []string{}, true},
		{"four stars, no text", "", 4, model.SentimentPositive, 0.5, model.UrgencyLow, []string{ReasonPraise}, false},
		{"five stars, no text", "", 5, model.SentimentPositive, 1, model.UrgencyLow, []string{ReasonPraise}, false},
		{"five stars, blank text", " \n ", 5, model.SentimentPositive, 1, model.UrgencyLow, []string{ReasonPraise}, false},
		{"five stars, a handle only", "@CityHospital", 5, model.SentimentPositive, 1, model.UrgencyLow, []string{ReasonPraise}, false},
		// "!!!" alone reads positive; it has no words, so one star decides.
		{"one star, punctuation only", "!!!", 1, model.SentimentNegative, -1, model.UrgencyHigh, []string{ReasonNegative, ReasonLowRating}, true},
		// A text that reads neutral is tipped, at half the score.
		{"one star, neutral text", "Went in on Tuesday.", 1, model.SentimentNegative, -0.5, model.UrgencyHigh, []string{ReasonNegative, ReasonLowRating}, true},
		{"two stars, neutral text", "Went in on Tuesday.", 2, model.SentimentNegative, -0.25, model.UrgencyHigh, []string{ReasonNegative, ReasonLowRating}, true},
		{"four stars, neutral text", "Visited for a checkup.", 4, model.SentimentPositive, 0.25, model.UrgencyNormal, []string{}, false},
		{"five stars, neutral text", "Visited for a checkup.", 5, model.SentimentPositive, 0.5, model.UrgencyNormal, []string{}, false},
		{"three stars, neutral text", "Went in on Tuesday.", 3, model.SentimentNeutral, keep, model.UrgencyNormal, []string{}, true},
		// A text with a mood keeps it, whatever the stars.
		{"one star, kind text", "The nurses were wonderful", 1, model.SentimentPositive, keep, model.UrgencyHigh, []string{ReasonLowRating}, true},
		{"five stars, sad emoji", "😐", 5, model.SentimentNegative, keep, model.UrgencyNormal, []string{ReasonNegative}, true},
		// No rating, or one out of range: the text alone.
		{"no rating, no text", "", 0, model.SentimentNeutral, keep, model.UrgencyLow, []string{ReasonNoise}, false},
	}
	a := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := Input{Text: tt.text, Kind: model.KindReview}
			if tt.stars > 0 {
				in.Rating = &tt.stars
			}
			out := a.Analyze(in)
			score := tt.score
			if score == keep {
				score = a.Sentiment(tt.text).Score
			}
			if out.Sentiment.Label != tt.label || out.Sentiment.Score != score {
				t.Errorf("sentiment %+v, want %s %v", out.Sentiment, tt.label, score)
			}
			if out.Urgency.Level != tt.level || !slices.Equal(out.Urgency.Reasons, tt.reasons) {
				t.Errorf("urgency %+v, want %s %v", out.Urgency, tt.level, tt.reasons)
			}
			if out.NeedsResponse != tt.respond {
				t.Errorf("needs_response %v, want %v", out.NeedsResponse, tt.respond)
			}
		})
	}
	// Ratings out of range are ignored.
	//
	// A review without stars is an opinion: its text is never read as
	// neutral, unless it has no words.
	for _, stars := range []int{0, -1, 6} {
		got := a.Analyze(Input{Kind: model.KindReview, Rating: &stars})
		if want := a.Analyze(Input{Kind: model.KindReview}); got.Sentiment != want.Sentiment || got.Urgency.Level != want.Urgency.Level {
			t.Errorf("%d stars: %+v, want %+v", stars, got, want)
		}
	}
}

// TestReviewWithoutStars checks that a review without stars is read as
// the more likely of negative and positive when its text alone reads
// neutral, and that other posts and texts without words are left alone.
func TestReviewWithoutStars(t *testing.T) {
	a := New()
	neutral := 0
	for _, text := range []string{
		"Went in on Tuesday for an x-ray and was out by noon.",
		"Parking is in the garage on Elm Street.",
		"The nurses were wonderful",
		"Waited four hours and nobody came",
	} {
		p := a.Sentiment(text)
		if p.Label == model.SentimentNeutral {
			neutral++
		}
		r := a.ReviewSentiment(text)
		got := a.Analyze(Input{Text: text, Kind: model.KindReview}).Sentiment
		if got != r {
			t.Errorf("%q: Analyze as a review %+v, ReviewSentiment %+v", text, got, r)
		}
		if post := a.Analyze(Input{Text: text, Kind: model.KindPost}).Sentiment; post != p {
			t.Errorf("%q: Analyze as a post %+v, Sentiment %+v", text, post, p)
		}
		if r.Label == model.SentimentNeutral {
			t.Errorf("%q: review read as neutral", text)
		}
		if p.Label != model.SentimentNeutral && r != p {
			t.Errorf("%q: review %+v, want the text's own %+v", text, r, p)
		}
		if r.Score != p.Score {
			t.Errorf("%q: review score %v, want the text's %v", text, r.Score, p.Score)
		}
		if p.Label == model.SentimentNeutral && (r.Label == model.SentimentPositive) != (p.Score >= 0) {
			t.Errorf("%q: review %s with score %v", text, r.Label, p.Score)
		}
	}
	if neutral == 0 {
		t.Error("no text reads neutral as a post: the test checks nothing")
	}
	if got := a.ReviewSentiment("").Label; got != model.SentimentNeutral {
		t.Errorf("empty review: %s, want neutral", got)
	}
}
