package analyze

import "earshot/internal/model"

// starsOf returns the star rating of in, 1 to 5, or 0 when it has none
// (or one out of range).
func starsOf(in Input) int {
	if in.Rating == nil || *in.Rating < 1 || *in.Rating > 5 {
		return 0
	}
	return *in.Rating
}

// ratingOnly reports a rated review whose text carries nothing to read a
// mood from: no words and no emoji with a mood, such as an empty Google
// review with one star.
func ratingOnly(stars int, sig *signals) bool {
	return stars > 0 && sig.words == 0 && sig.emoPos == 0 && sig.emoNeg == 0
}

// starLabel is the sentiment a star rating stands for: 1-2 negative, 3
// neutral, 4-5 positive.
func starLabel(stars int) string {
	switch {
	case stars <= 2:
		return model.SentimentNegative
	case stars == 3:
		return model.SentimentNeutral
	}
	return model.SentimentPositive
}

// rateSentiment returns the sentiment of a review given its stars (0 for
// none) and s, the sentiment of its text. A review with a rating only
// takes the rating's: 1 star -1, 2 stars -0.5, 3 stars 0, 4 stars 0.5, 5
// stars 1. A text that reads neutral is tipped by a rating of 1-2 or 4-5
// stars, at half that score ("Went in on Tuesday." with one star is a
// complaint); a text that reads negative or positive keeps its reading,
// whatever the stars, as people praise staff in a one-star review and
// rate with a slip of the thumb.
func rateSentiment(stars int, sig *signals, s model.Sentiment) model.Sentiment {
	if stars == 0 {
		return s
	}
	score := float64(stars-3) / 2
	if ratingOnly(stars, sig) {
		return model.Sentiment{Label: starLabel(stars), Score: score}
	}
	if s.Label == model.SentimentNeutral && stars != 3 {
		return model.Sentiment{Label: starLabel(stars), Score: score / 2}
	}
	return s
}

// textSentiment is the sentiment of in's text: sentimentOf its class
// probabilities p, or for a review without stars reviewSentiment (the
// stars of a rated review weigh in rateSentiment).
func textSentiment(in Input, sig *signals, p [3]float64) model.Sentiment {
	if in.Kind == model.KindReview && starsOf(in) == 0 {
		return reviewSentiment(sig, p)
	}
	return sentimentOf(p)
}

// reviewSentiment is the sentiment of a review's text with class
// probabilities p. A review is an opinion: the reviewer came to judge, so
// a text with words or emoji is read as the more likely of negative and
// positive, never neutral, even when its words alone would read as a
// neutral statement ("Went in on Tuesday for an x-ray and was out by
// noon.").
func reviewSentiment(sig *signals, p [3]float64) model.Sentiment {
	s := sentimentOf(p)
	if s.Label != model.SentimentNeutral || sig.words == 0 && sig.emoPos == 0 && sig.emoNeg == 0 {
		return s
	}
	if p[0] > p[2] {
		s.Label = model.SentimentNegative
	} else {
		s.Label = model.SentimentPositive
	}
	return s
}
