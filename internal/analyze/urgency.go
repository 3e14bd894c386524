package analyze

import (
	"earshot/internal/model"
)

// Urgency reasons besides the group names of data/cues_critical.txt and
// data/cues_high.txt.
const (
	ReasonNegative      = "negative"
	ReasonHighInfluence = "high_influence"
	ReasonLowRating     = "low_rating"
	ReasonPraise        = "praise"
	ReasonNoise         = "noise"
	ReasonOutbound      = "outbound"
)

// HighInfluenceFollowers is the follower count from which an author is
// high-influence.
const HighInfluenceFollowers = 10000

// urgency grades the text: critical for risk to life or safety, high for
// legal, regulator or press threats, hardship, repeated contact, influence
// and low ratings, low for praise (a review of 4-5 stars without words
// too) and noise.
func (a *Analyzer) urgency(st *state, in Input, s model.Sentiment) model.Urgency {
	sc := st.sc
	sc.hits = a.lex.urgent.match(sc.toks, sc.hits[:0])
	var fired [32]bool
	high := false
	for _, h := range sc.hits {
		id := int(h.label)
		switch {
		case a.lex.urgentLevel[id] == model.UrgencyCritical:
			continue // the crisis model reads these (crisis.go)
		case a.lex.urgentNames[id] == "vulnerable":
			// Vulnerability raises only a negative post.
			if s.Label != model.SentimentNegative {
				continue
			}
			high = true
		default:
			high = true
		}
		if id < len(fired) {
			fired[id] = true
		}
	}
	if in.Direction == model.DirectionOutbound {
		return model.Urgency{Level: model.UrgencyLow, Reasons: []string{ReasonOutbound}}
	}
	if kinds := a.crisisKinds(sc, sc.hits); kinds != nil {
		return model.Urgency{Level: model.UrgencyCritical, Reasons: kinds}
	}
	reasons := make([]string, 0, 4)
	for id, ok := range fired {
		if ok && id < len(a.lex.urgentNames) && a.lex.urgentLevel[id] != model.UrgencyCritical {
			reasons = append(reasons, a.lex.urgentNames[id])
		}
	}
	negative := s.Label == model.SentimentNegative
	if negative {
		reasons = append(reasons, ReasonNegative)
	}
	if in.Verified || in.Followers >= HighInfluenceFollowers {
		if negative || high {
			high = true
		}
		reasons = append(reasons, ReasonHighInfluence)
	}
	stars := starsOf(in)
	if stars > 0 && stars <= 2 {
		high = true
		reasons = append(reasons, ReasonLowRating)
	}
	if high {
		return model.Urgency{Level: model.UrgencyHigh, Reasons: reasons}
	}
	if ratingOnly(stars, &st.sig) {
		// A review with stars and no words is praise (4-5 stars) or
		// wants an answer (3 stars; 1-2 are high above), never noise.
		if stars >= 4 {
			return model.Urgency{Level: model.UrgencyLow, Reasons: append(reasons, ReasonPraise)}
		}
		return model.Urgency{Level: model.UrgencyNormal, Reasons: reasons}
	}
	if s.Label == model.SentimentPositive && st.probs[2] >= 0.6 {
		return model.Urgency{Level: model.UrgencyLow, Reasons: append(reasons, ReasonPraise)}
	}
	// A short post is noise only if it is not negative: "@plan terrible"
	// or three angry faces is a complaint, and needs a person.
	if !negative && (st.sig.words < 2 || isNoise(st)) {
		return model.Urgency{Level: model.UrgencyLow, Reasons: append(reasons, ReasonNoise)}
	}
	return model.Urgency{Level: model.UrgencyNormal, Reasons: reasons}
}

// negatedCrisis reports whether a crisis cue is plainly negated or
// reported of the past in a reassuring way ("not suicidal", "no chest
// pain"), which does not make a post critical.
func (a *Analyzer) negatedCrisis(sc *scratch, h phraseHit) bool {
	s := int(h.s)
	for k := s - 1; k >= 0 && k >= s-3; k-- {
		t := &sc.toks[k]
		if t.kind != tWord {
			break
		}
		if t.info.cls&clsCrisisNegator != 0 {
			return true
		}
	}
	// "suicide prevention", "chest pain last year": a topic or the past.
	e := int(h.e)
	for k := e; k < len(sc.toks) && k < e+4; k++ {
		t := &sc.toks[k]
		if t.kind != tWord {
			continue
		}
		switch {
		case t.info.cls&clsCrisisTopic != 0:
			return k == e
		case string(sc.word(t)) == "last":
			if k+1 < len(sc.toks) && sc.toks[k+1].info.cls&clsCrisisPastLast != 0 {
				return true
			}
		case string(sc.word(t)) == "ago":
			if k >= 1 && sc.toks[k-1].info.cls&clsCrisisPastAgo != 0 {
				return true
			}
		}
	}
	return false
}

// reportedVisit reports a medical emergency told as part of a past visit
// ("Waited 7 hrs in the ER with chest pains. The wait is inexcusable."):
// a past waiting or visiting verb earlier in its sentence, and nothing in
// the post saying that it is still going on or asking for help. Such a
// review needs a reply, not an ambulance.
func reportedVisit(sc *scratch, h phraseHit) bool {
	return visitBefore(sc, h) && !saysOngoing(sc)
}

// visitBefore reports a past waiting or visiting verb before the cue h
// in its sentence ("Waited 7 hrs in the ER with chest pains").
func visitBefore(sc *scratch, h phraseHit) bool {
	for k := int(h.s) - 1; k >= 0; k-- {
		t := &sc.toks[k]
		switch t.kind {
		case tPunct:
			switch string(sc.word(t)) {
			case ".", "!", "?", ";", "…":
				return false
			}
		case tWord:
			if t.info.cls&clsVisitVerb != 0 {
				return true
			}
		}
	}
	return false
}

// saysOngoing reports a post saying that something is still going on or
// asking for help now ("still", "right now", 911).
func saysOngoing(sc *scratch) bool {
	for k := range sc.toks {
		t := &sc.toks[k]
		if t.kind == tNum && string(sc.word(t)) == "911" || t.kind == tWord && t.info.cls&clsOngoing != 0 {
			return true
		}
	}
	return false
}

// isNoise reports posts with no words to act on: links, tags and handles
// only.
func isNoise(st *state) bool {
	words := 0
	for i := range st.sc.toks {
		if st.sc.toks[i].kind == tWord && st.sc.toks[i].flags&fHashtag == 0 {
			words++
		}
	}
	return words < 2
}

// needsResponse: complaints, questions, requests and reviews of three
// stars or fewer need a response; praise, news and spam do not.
func (a *Analyzer) needsResponse(st *state, in Input, out model.Analysis) bool {
	if in.Direction == model.DirectionOutbound {
		return false
	}
	if stars := starsOf(in); stars > 0 && stars <= 3 {
		return true
	}
	if out.Urgency.Level == model.UrgencyCritical || out.Urgency.Level == model.UrgencyHigh {
		return true
	}
	for _, i := range out.Intents {
		if i == IntentComplaint || i == IntentQuestion {
			return true
		}
	}
	if st.sig.cue[a.lex.ci.request] && out.Sentiment.Label != model.SentimentPositive {
		return true
	}
	if out.Sentiment.Label == model.SentimentNegative && st.probs[0] >= 0.55 {
		return true
	}
	return false
}
