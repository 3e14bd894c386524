package report_test

import (
	"reflect"
	"testing"
	"time"

	"earshot/internal/model"
	"earshot/internal/report"
)

// The week of the tests: Monday 2 March 2026 to Monday 9 March, UTC.
var (
	weekFrom = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	weekTo   = weekFrom.AddDate(0, 0, 7)
)

// day returns the time on the day'th day of the week (0 is Monday) at
// hh:mm UTC.
func day(d, hh, mm int) time.Time {
	return weekFrom.AddDate(0, 0, d).Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute)
}

// week writes the conversations the figures are computed by hand from,
// and returns their cases by letter. The analyser's reading of each text
// is written beside it (needs a response, sentiment, intents; urgency
// normal unless said).
//
//	P (hal, X) the previous week: asks, never answered.
//	A (gil, X, care, business hours): asks Monday 16:30; our reply goes
//	  out Tuesday 09:30 (17 h wall-clock, 1 h of business hours); asks
//	  again 10:00, answered on X itself 10:45 (a next response of 45
//	  min); thanks us 11:00; pending 11:05 to 13:05, then resolved.
//	B (amy, X): praise that needs no response, which we answer anyway.
//	C (dan, X): a public complaint Monday 10:00, our private reply 10:10,
//	  then his direct message 10:20: taken private.
//	D (bo, Google, reviews team): a 1-star review Wednesday 09:00, our
//	  reply 09:30, and Thursday 10:00 he edits it to 4 stars and kind
//	  words (which ask for nothing, but the review asked when it came:
//	  it stays one that needed a response, and it opened negative).
//	E (eve, X): asks Thursday 14:00 about a claim and a bill; our reply
//	  is written but never goes out.
//	F (fay, X): answers our own post, which needed no response, and we
//	  answer her; then asks Friday 10:00, answered on X 11:00 (1 h).
func week(e *env) map[string]int64 {
	ids := map[string]int64{}
	// P: needs, negative, [id_card complaint question].
	ids["P"] = e.mention(model.Mention{Platform: "x", Channel: "acme-x", ExternalID: "p1", Author: author("hal"),
		CreatedAt: time.Date(2026, 2, 25, 10, 0, 0, 0, time.UTC), Text: "Where is my ID card? please help"})

	// C: needs, negative, [billing complaint]; then the DM: neutral, no intents.
	ids["C"] = e.mention(model.Mention{Platform: "x", Channel: "acme-x", ExternalID: "c1", Author: author("dan"),
		CreatedAt: day(0, 10, 0), Text: "I was billed twice for my visit, this is ridiculous"})
	e.reply(ids["C"], day(0, 10, 10), model.VisibilityPrivate, "Sorry about that, we will look into it.", true)
	e.mention(model.Mention{Platform: "x", Channel: "acme-x", ExternalID: "c2", Kind: model.KindDirectMessage, Author: author("dan"),
		CreatedAt: day(0, 10, 20), Text: "Here is my member number"})

	// B: no response needed, positive, low urgency, [staff praise].
	ids["B"] = e.mention(model.Mention{Platform: "x", Channel: "acme-x", ExternalID: "b1", Author: author("amy"),
		CreatedAt: day(0, 12, 0), Text: "Thank you so much, the nurses were wonderful!"})
	e.mention(model.Mention{Platform: "x", Channel: "acme-x", ExternalID: "b2", Direction: model.DirectionOutbound, Author: author("acme"),
		CreatedAt: day(0, 12, 10), InReplyTo: "b1", Text: "Thank you for the kind words"})

	// A: needs, negative, [id_card complaint]; needs, negative,
	// [id_card complaint question]; no need, positive, low, [praise].
	ids["A"] = e.mention(model.Mention{Platform: "x", Channel: "acme-x", ExternalID: "a1", Author: author("gil"),
		CreatedAt: day(0, 16, 30), Text: "My ID card still has the wrong name on it, please help"})
	e.reply(ids["A"], day(1, 9, 30), model.VisibilityPublic, "We are sorry, a new card is on its way.", true)
	e.mention(model.Mention{Platform: "x", Channel: "acme-x", ExternalID: "a2", Author: author("gil"),
		CreatedAt: day(1, 10, 0), Text: "It still has the wrong name. When will the new card come?"})
	e.mention(model.Mention{Platform: "x", Channel: "acme-x", ExternalID: "a3", Direction: model.DirectionOutbound, Author: author("acme"),
		CreatedAt: day(1, 10, 45), InReplyTo: "a2", Text: "We're sorry to hear that. Please send us a direct message."})
	e.mention(model.Mention{Platform: "x", Channel: "acme-x", ExternalID: "a4", Author: author("gil"),
		CreatedAt: day(1, 11, 0), Text: "Thank you, that helped!"})
	e.status(ids["A"], day(1, 11, 5), model.StatusPending)
	e.status(ids["A"], day(1, 13, 5), model.StatusResolved)

	// D: needs, negative, [billing complaint], 1 star; after the edit:
	// still needs (it asked when it came), positive, [billing praise], 4
	// stars.
	review := model.Mention{Platform: "google", Channel: "acme-google", ExternalID: "d1", Kind: model.KindReview, Author: author("bo"),
		CreatedAt: day(2, 9, 0), Text: "Terrible billing, nobody called me back", Rating: rating(1)}
	ids["D"] = e.mention(review)
	e.reply(ids["D"], day(2, 9, 30), model.VisibilityPublic, "We are sorry, please call our billing office.", true)
	e.now = day(3, 10, 0)
	review.Text, review.Rating = "Billing fixed it, thank you", rating(4)
	e.mention(review)

	// E: needs, negative, [billing claim complaint].
	ids["E"] = e.mention(model.Mention{Platform: "x", Channel: "acme-x", ExternalID: "e1", Author: author("eve"),
		CreatedAt: day(3, 14, 0), Text: "My claim was denied and the bill is wrong, please help"})
	e.reply(ids["E"], day(3, 14, 30), model.VisibilityPublic, "We are looking into your question.", false)

	// F: no need, positive, low, [praise] on our post (our post, no
	// intents that count: it is ours); then needs, neutral, [id_card question].
	ids["F"] = e.mention(model.Mention{Platform: "x", Channel: "acme-x", ExternalID: "f1", Author: author("fay"),
		CreatedAt: day(4, 9, 20), InReplyTo: "post1", ThreadID: "post1", Text: "thanks for the update"})
	e.mention(model.Mention{Platform: "x", Channel: "acme-x", ExternalID: "post1", Direction: model.DirectionOutbound, Author: author("acme"),
		CreatedAt: day(4, 9, 0), ThreadID: "post1", Text: "Open enrollment starts Monday. Questions? Ask us here."})
	e.mention(model.Mention{Platform: "x", Channel: "acme-x", ExternalID: "f2", Direction: model.DirectionOutbound, Author: author("acme"),
		CreatedAt: day(4, 9, 40), InReplyTo: "f1", ThreadID: "post1", Text: "Glad it helps"})
	e.mention(model.Mention{Platform: "x", Channel: "acme-x", ExternalID: "f3", Author: author("fay"),
		CreatedAt: day(4, 10, 0), InReplyTo: "f2", ThreadID: "post1", Text: "How do I get a new ID card?"})
	e.mention(model.Mention{Platform: "x", Channel: "acme-x", ExternalID: "f4", Direction: model.DirectionOutbound, Author: author("acme"),
		CreatedAt: day(4, 11, 0), InReplyTo: "f3", ThreadID: "post1", Text: "We're sorry to hear that. Please send us a direct message."})
	return ids
}

// dist is a distribution over report.BucketEdges (5, 15, 30, 60, 240,
// 1440 minutes, then longer) with these counts.
func dist(counts ...int64) []report.Bucket {
	edges := append(report.BucketEdges(), 0)
	out := make([]report.Bucket, len(edges))
	for i, e := range edges {
		out[i].UpToMinutes = e
		if i < len(counts) {
			out[i].Count = counts[i]
		}
	}
	return out
}

func none() report.Durations { return report.Durations{Distribution: dist()} }

// weekCases are the figures of cases of the whole week, by hand:
//
//	opened: A B C D E F = 6; by priority: B low (praise), D high (a
//	  1-star review is high urgency), the rest normal (F opened low and
//	  rose to normal when she asked).
//	need a response: A C D E F = 5 (B praised; D's review asked when it
//	  came, and an edit does not take that back); answered: A C D F = 4
//	  (E's reply never went out): 0.8.
//	first response, wall-clock: A 17 h = 1020, C 10, D 30, F 60 (from
//	  her question at 10:00, not from her thanks) minutes: sorted 10 30
//	  60 1020; median rank 2 = 30; p90 rank ceil(3.6) = 4 = 1020; mean
//	  1120/4 = 280.
//	first response, business: A 30 min Monday + 30 Tuesday = 60, C 10,
//	  D 30 (Wednesday 09:00 to 09:30, in hours), F 60: sorted 10 30 60
//	  60; median 30, p90 60, mean 160/4 = 40.
//	next response: A 10:00 to 10:45 = 45.
//	resolution: A Monday 16:30 to Tuesday 13:05 = 1235 min, less 120
//	  pending = 1115; resolved 1.
//	public: all 6 began in public; taken private: C (our private reply,
//	  his DM): 1/6.
//	saves: first member mention negative: A C D E = 4 (D's review as it
//	  came, 1 star); latest positive: A D = 2.
//	sentiment shift: A and D negative_to_positive, C negative_to_neutral,
//	  F positive_to_neutral.
func weekCases() report.Cases {
	return report.Cases{
		Opened: 6, NeedResponse: 5, Responded: 4, ResponseRate: 0.8,
		FirstResponse:         report.Durations{Count: 4, MedianMinutes: 30, P90Minutes: 1020, MeanMinutes: 280, Distribution: dist(0, 1, 1, 1, 0, 1, 0)},
		FirstResponseBusiness: report.Durations{Count: 4, MedianMinutes: 30, P90Minutes: 60, MeanMinutes: 40, Distribution: dist(0, 1, 1, 2, 0, 0, 0)},
		NextResponse:          report.Durations{Count: 1, MedianMinutes: 45, P90Minutes: 45, MeanMinutes: 45, Distribution: dist(0, 0, 0, 1, 0, 0, 0)},
		Resolution:            report.Durations{Count: 1, MedianMinutes: 1115, P90Minutes: 1115, MeanMinutes: 1115, Distribution: dist(0, 0, 0, 0, 0, 1, 0)},
		Resolved:              1,
		Public:                6, TakenPrivate: 1, TakePrivateRate: 1.0 / 6,
		NegativeToPositive: 2, OpenedNegative: 4,
		SentimentShift: map[string]int64{"negative_to_positive": 2, "negative_to_neutral": 1, "positive_to_neutral": 1},
		ByPriority:     map[string]int64{"normal": 4, "high": 1, "low": 1},
	}
}

// weekMentions are the mentions of the week, by hand: A a1 a2 a4 in, a3
// out; B b1 in, b2 out; C c1 c2 in; D d1 in (the edit is the same
// mention); E e1 in; F f1 f3 in, post1 f2 f4 out: 15, 10 in, 5 out; one
// on Google. Inbound sentiment: negative a1 a2 c1 e1, positive a4 b1 d1
// f1, neutral c2 f3. Intents (inbound): id_card a1 a2 f3; complaint a1
// a2 c1 e1; question a2 f3; praise a4 b1 d1 f1; staff b1; billing c1 d1
// e1; claim e1. Topics: the billing-issue tag is on C, D and E, whose
// inbound mentions are c1 c2 d1 e1.
func weekMentions() report.Mentions {
	return report.Mentions{Total: 15, Inbound: 10, Outbound: 5,
		ByPlatform:  map[string]int64{"x": 14, "google": 1},
		BySentiment: map[string]int64{"negative": 4, "positive": 4, "neutral": 2},
		ByIntent:    map[string]int64{"id_card": 3, "complaint": 4, "question": 2, "praise": 4, "staff": 1, "billing": 3, "claim": 1},
		ByTopic:     map[string]int64{"billing-issue": 4},
	}
}

// weekRatings: D's review went from 1 to 4 stars Thursday, after our
// reply of Wednesday.
func weekRatings() report.Ratings {
	return report.Ratings{Changed: 1, Raised: 1, ByChange: map[string]int64{"1_to_4": 1}, AfterReply: 1, RaisedAfterReply: 1}
}

func TestSummaryOfAWeek(t *testing.T) {
	e := newEnv(t)
	week(e)
	s := e.summary(report.Query{From: weekFrom, To: weekTo})
	check(t, "mentions", s.Mentions, weekMentions())
	check(t, "cases", s.Cases, weekCases())
	check(t, "ratings", s.Ratings, weekRatings())
	if s.Groups != nil {
		t.Errorf("groups without group_by: %+v", s.Groups)
	}
	// The previous week holds P alone: asked, never answered.
	prev := s.Previous
	if prev == nil {
		t.Fatal("no previous window")
	}
	if !prev.From.Equal(weekFrom.AddDate(0, 0, -7)) || !prev.To.Equal(weekFrom) {
		t.Errorf("previous window %v to %v", prev.From, prev.To)
	}
	check(t, "previous mentions", prev.Mentions, report.Mentions{Total: 1, Inbound: 1,
		ByPlatform: map[string]int64{"x": 1}, BySentiment: map[string]int64{"negative": 1},
		ByIntent: map[string]int64{"id_card": 1, "complaint": 1, "question": 1}, ByTopic: map[string]int64{}})
	check(t, "previous cases", prev.Cases, report.Cases{Opened: 1, NeedResponse: 1, OpenedNegative: 1, Public: 1,
		FirstResponse: none(), FirstResponseBusiness: none(), NextResponse: none(), Resolution: none(),
		SentimentShift: map[string]int64{}, ByPriority: map[string]int64{"normal": 1}})
}

func check[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}
