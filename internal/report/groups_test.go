package report_test

import (
	"testing"

	"earshot/internal/report"
)

// TestSummaryGroupsAndFilters splits and narrows the week of week():
// every figure of each group is computed by hand in the comments.
func TestSummaryGroupsAndFilters(t *testing.T) {
	e := newEnv(t)
	week(e)
	all := report.Query{From: weekFrom, To: weekTo}

	// By team: care holds A B C E F (every X case), reviews holds D.
	// care's mentions are the 14 on X (9 in: a1 a2 a4 b1 c1 c2 e1 f1 f3;
	// 5 out); its cases are the week's less D: need A C E F = 4,
	// answered A C F = 3 (0.75); first response 10 60 1020 (median 60,
	// p90 1020, mean 1090/3 = 363.3), business 10 60 60 (median 60, p90
	// 60, mean 43.3); opened negative A C E = 3, saved A = 1. reviews:
	// d1 alone, answered in 30 minutes (in hours), opened negative (1
	// star as it came) and ended positive (4 stars): a save; and the
	// rating change.
	byTeam := all
	byTeam.GroupBy = report.GroupTeam
	s := e.summary(byTeam)
	check(t, "whole week under team", s.Cases, weekCases())
	if len(s.Groups) != 2 || s.Groups[0].Key != "care" || s.Groups[1].Key != "reviews" {
		t.Fatalf("groups by team: %+v", keys(s.Groups))
	}
	care, reviews := s.Groups[0], s.Groups[1]
	careCases := report.Cases{
		Opened: 5, NeedResponse: 4, Responded: 3, ResponseRate: 0.75,
		FirstResponse:         report.Durations{Count: 3, MedianMinutes: 60, P90Minutes: 1020, MeanMinutes: 363.3, Distribution: dist(0, 1, 0, 1, 0, 1, 0)},
		FirstResponseBusiness: report.Durations{Count: 3, MedianMinutes: 60, P90Minutes: 60, MeanMinutes: 43.3, Distribution: dist(0, 1, 0, 2, 0, 0, 0)},
		NextResponse:          report.Durations{Count: 1, MedianMinutes: 45, P90Minutes: 45, MeanMinutes: 45, Distribution: dist(0, 0, 0, 1, 0, 0, 0)},
		Resolution:            report.Durations{Count: 1, MedianMinutes: 1115, P90Minutes: 1115, MeanMinutes: 1115, Distribution: dist(0, 0, 0, 0, 0, 1, 0)},
		Resolved:              1,
		Public:                5, TakenPrivate: 1, TakePrivateRate: 1.0 / 5,
		NegativeToPositive: 1, OpenedNegative: 3,
		SentimentShift: map[string]int64{"negative_to_positive": 1, "negative_to_neutral": 1, "positive_to_neutral": 1},
		ByPriority:     map[string]int64{"normal": 4, "low": 1},
	}
	check(t, "care cases", care.Cases, careCases)
	check(t, "care mentions", care.Mentions, report.Mentions{Total: 14, Inbound: 9, Outbound: 5,
		ByPlatform:  map[string]int64{"x": 14},
		BySentiment: map[string]int64{"negative": 4, "positive": 3, "neutral": 2},
		ByIntent:    map[string]int64{"id_card": 3, "complaint": 4, "question": 2, "praise": 3, "staff": 1, "billing": 2, "claim": 1},
		ByTopic:     map[string]int64{"billing-issue": 3}})
	check(t, "care ratings", care.Ratings, report.Ratings{ByChange: map[string]int64{}})
	check(t, "reviews mentions", reviews.Mentions, report.Mentions{Total: 1, Inbound: 1,
		ByPlatform: map[string]int64{"google": 1}, BySentiment: map[string]int64{"positive": 1},
		ByIntent: map[string]int64{"billing": 1, "praise": 1}, ByTopic: map[string]int64{"billing-issue": 1}})
	thirty := report.Durations{Count: 1, MedianMinutes: 30, P90Minutes: 30, MeanMinutes: 30, Distribution: dist(0, 0, 1, 0, 0, 0, 0)}
	check(t, "reviews cases", reviews.Cases, report.Cases{Opened: 1, NeedResponse: 1, Responded: 1, ResponseRate: 1,
		FirstResponse: thirty, FirstResponseBusiness: thirty, NextResponse: none(), Resolution: none(), Public: 1,
		NegativeToPositive: 1, OpenedNegative: 1,
		SentimentShift: map[string]int64{"negative_to_positive": 1}, ByPriority: map[string]int64{"high": 1}})
	check(t, "reviews ratings", reviews.Ratings, weekRatings())

	// By intent, a case is in the group of each of its intents. claim:
	// E alone (asked, reply never sent; e1 its one mention). id_card: A
	// and F, both answered: first responses 1020 and 60 (median rank 1 =
	// 60, p90 rank 2 = 1020, mean 540), business 60 and 60; their
	// mentions a1-a4 and post1 f1-f4: 9, 5 in (a1 a2 a4 f1 f3), 4 out.
	byIntent := all
	byIntent.GroupBy = report.GroupIntent
	s = e.summary(byIntent)
	check(t, "whole week under intent", s.Cases, weekCases())
	check(t, "whole week mentions under intent", s.Mentions, weekMentions())
	groups := map[string]report.Group{}
	for _, g := range s.Groups {
		groups[g.Key] = g
	}
	claim := groups["claim"]
	check(t, "claim cases", claim.Cases, report.Cases{Opened: 1, NeedResponse: 1, Public: 1, OpenedNegative: 1,
		FirstResponse: none(), FirstResponseBusiness: none(), NextResponse: none(), Resolution: none(),
		SentimentShift: map[string]int64{}, ByPriority: map[string]int64{"normal": 1}})
	if claim.Mentions.Total != 1 || claim.Mentions.Inbound != 1 {
		t.Errorf("claim mentions %+v, want e1 alone", claim.Mentions)
	}
	idCard := groups["id_card"]
	check(t, "id_card first response", idCard.Cases.FirstResponse,
		report.Durations{Count: 2, MedianMinutes: 60, P90Minutes: 1020, MeanMinutes: 540, Distribution: dist(0, 0, 0, 1, 0, 1, 0)})
	if c := idCard.Cases; c.Opened != 2 || c.NeedResponse != 2 || c.Responded != 2 || c.ResponseRate != 1 {
		t.Errorf("id_card cases %+v, want A and F, both answered", c)
	}
	if m := idCard.Mentions; m.Total != 9 || m.Inbound != 5 || m.Outbound != 4 {
		t.Errorf("id_card mentions %+v, want 9: 5 in, 4 out", m)
	}

	// Filters narrow every figure. platform google: D alone (d1, its
	// review's change). channel acme-x: the week less D.
	google := all
	google.Filter.Platform = "google"
	s = e.summary(google)
	check(t, "google mentions", s.Mentions, reviews.Mentions)
	check(t, "google cases", s.Cases, reviews.Cases)
	check(t, "google ratings", s.Ratings, weekRatings())
	onX := all
	onX.Filter.Channel = "acme-x"
	s = e.summary(onX)
	check(t, "acme-x cases", s.Cases, careCases)
	check(t, "acme-x mentions", s.Mentions, care.Mentions)
	// team care and intent billing: C and E (billing cases on X); C was
	// answered in 10 minutes, E never; c1 c2 e1 are their mentions.
	careBilling := all
	careBilling.Filter.Team, careBilling.Filter.Intent = "care", "billing"
	s = e.summary(careBilling)
	if c := s.Cases; c.Opened != 2 || c.NeedResponse != 2 || c.Responded != 1 || c.ResponseRate != 0.5 || c.FirstResponse.MedianMinutes != 10 {
		t.Errorf("care billing cases %+v, want C and E, C answered in 10 min", c)
	}
	if m := s.Mentions; m.Total != 3 || m.Inbound != 3 {
		t.Errorf("care billing mentions %+v, want c1 c2 e1", m)
	}
	// agent: nobody is assigned, so one group, "".
	byAgent := all
	byAgent.GroupBy = report.GroupAgent
	s = e.summary(byAgent)
	if len(s.Groups) != 1 || s.Groups[0].Key != "" || s.Groups[0].Cases.Opened != 6 || s.Groups[0].Mentions.Total != 15 {
		t.Errorf("groups by agent %+v, want one unassigned group of the whole week", keys(s.Groups))
	}
}

func keys(gs []report.Group) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.Key)
	}
	return out
}
