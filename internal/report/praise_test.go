package report_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/ingest"
	"earshot/internal/model"
	"earshot/internal/report"
	"earshot/internal/store/storetest"
)

// praiseMention is a mention for the praise tests, analysed as said.
func praiseMention(id, direction, label string, score float64, text string, at time.Time) *model.Mention {
	return &model.Mention{Platform: "x", ExternalID: id, Kind: "post", Direction: direction, Text: text,
		URL: "https://x.com/h" + id + "/status/" + id, CreatedAt: at, Author: model.Author{ID: "a" + id, Handle: "h" + id},
		Analysis: &model.Analysis{Sentiment: model.Sentiment{Label: label, Score: score}, Urgency: model.Urgency{Level: "normal"}}}
}

// TestPraiseStarredThenMostPositive stores mentions in and around a
// week, stars some, and reads the week's praise: the mentions starred in
// the week (newest star first), then the most positive inbound mentions
// of the week not on the wall, their health information masked.
func TestPraiseStarredThenMostPositive(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	p := ingest.New(st, analyze.New(), ingest.Options{})
	from := time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC)
	to := from.Add(7 * 24 * time.Hour)
	day := func(d float64) time.Time { return from.Add(time.Duration(d * float64(24*time.Hour))) }
	ms := []*model.Mention{
		praiseMention("1", "inbound", "positive", 0.90, "The Dallas team was so kind to me", day(1)),   // starred in the week
		praiseMention("2", "inbound", "positive", 0.80, "Great service on the phone today", day(2)),    // starred before the week
		praiseMention("3", "inbound", "positive", 0.95, "Best nurses anywhere, thank you all", day(3)), // suggested first
		praiseMention("4", "inbound", "positive", 0.50, "Thank you Dr. Patel! My member ID XJH123456789 card came fast.", day(4)),
		praiseMention("5", "outbound", "positive", 0.99, "Thanks for the kind words!", day(4)),       // ours
		praiseMention("6", "inbound", "negative", -0.9, "Still waiting on my card", day(5)),          // not praise
		praiseMention("7", "inbound", "positive", 0.97, "Wonderful visit last month", day(-1)),       // before the week
		praiseMention("8", "inbound", "positive", 0.60, "Shout-out to the front desk crew", day(-2)), // made before, starred in the week
		praiseMention("9", "inbound", "positive", 0.99, "Amazing care, thank you", day(7.5)),         // after the week
		praiseMention("10", "inbound", "positive", 0.99, "", day(5)),                                 // stars alone
	}
	five := 5
	ms[9].Kind, ms[9].Platform, ms[9].Rating = "review", "google", &five
	res, err := p.Store(ctx, ms)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if r.Err != nil || r.ID == 0 {
			t.Fatalf("mention %d not stored: %+v", i+1, r)
		}
	}
	id := func(i int) int64 { return res[i-1].ID }
	for _, s := range []struct {
		m  int
		at time.Time
	}{{1, day(2)}, {2, day(-0.5)}, {8, day(1)}} {
		if err := st.StarMention(ctx, id(s.m), "sam@example.org", s.at); err != nil {
			t.Fatal(err)
		}
	}
	r := report.New(st, report.Options{})
	for _, tc := range []struct {
		limit int
		// want: mention numbers in order; starred are 1 and 8 (1's star
		// is the newer), then 3 (0.95) and 4 (0.50); 2 is on the wall
		// (starred before the week), 5 is ours, 6 negative, 7 and 9
		// outside the week, 10 has no words.
		want    []int
		starred int
	}{
		{5, []int{1, 8, 3, 4}, 2},
		{3, []int{1, 8, 3}, 2},
		{1, []int{1}, 1},
		{0, []int{}, 0},
	} {
		got, err := r.Praise(ctx, from, to, tc.limit)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, g := range got {
			ids = append(ids, fmt.Sprint(g.MentionID))
		}
		var want []string
		for _, m := range tc.want {
			want = append(want, fmt.Sprint(id(m)))
		}
		if strings.Join(ids, ",") != strings.Join(want, ",") {
			t.Errorf("limit %d: mentions %v, want %v", tc.limit, ids, want)
			continue
		}
		for i, g := range got {
			if g.Starred != (i < tc.starred) {
				t.Errorf("limit %d: item %d starred=%v", tc.limit, i, g.Starred)
			}
		}
		if tc.limit == 5 {
			m4 := got[3]
			if strings.Contains(m4.Text, "XJH123456789") || strings.Contains(m4.Text, "Patel") || !strings.Contains(m4.Text, "[member id]") {
				t.Errorf("health information not masked: %q", m4.Text)
			}
			if m4.Handle != "h4" || m4.Platform != "x" || m4.URL != "https://x.com/h4/status/4" || m4.Score != 0.5 || !m4.CreatedAt.Equal(day(4)) {
				t.Errorf("suggested item: %+v", m4.Praise)
			}
			if got[0].StarredBy != "sam@example.org" || !got[0].StarredAt.Equal(day(2)) {
				t.Errorf("starred item: %+v", got[0].Praise)
			}
		}
	}
}
