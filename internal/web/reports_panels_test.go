package web

import (
	"slices"
	"testing"
	"time"

	"earshot/internal/report"
)

// TestReportPanelsFromFigures lays out figures the test writes itself
// (groups, deadlines per team, ratings, spikes, a distribution), as a
// summary would give them, and checks each table's cells and links.
func TestReportPanelsFromFigures(t *testing.T) {
	loc := chicago(t)
	from := time.Date(2026, 2, 9, 0, 0, 0, 0, loc)
	to := from.AddDate(0, 0, 1)
	f := reportsForm{Window: "custom", From: "2026-02-09", To: "2026-02-09", GroupBy: report.GroupAgent, Filter: report.Filter{Platform: "x"}}
	hour := func(h int) time.Time { return from.Add(time.Duration(h) * time.Hour) }
	series := map[string]*report.Series{}
	for _, m := range []string{"inbound", "outbound"} {
		series[m] = &report.Series{To: to, Lines: []report.Line{{Key: m, Points: []report.Point{{Start: from, Value: 2}, {Start: hour(12), Value: 1}}}}}
	}
	series["sentiment"] = &report.Series{To: to, Lines: []report.Line{
		{Key: "positive", Points: []report.Point{{Start: from, Value: 1}, {Start: hour(12), Value: 0}}},
		{Key: "neutral", Points: []report.Point{{Start: from, Value: 0}, {Start: hour(12), Value: 0}}},
		{Key: "negative", Points: []report.Point{{Start: from, Value: 1}, {Start: hour(12), Value: 1}}}}}
	sum := &report.Summary{From: from.UTC(), To: to.UTC(),
		Cases: report.Cases{NegativeToPositive: 2, OpenedNegative: 5,
			FirstResponse: report.Durations{Distribution: []report.Bucket{{UpToMinutes: 5, Count: 3}, {UpToMinutes: 15, Count: 1}, {Count: 2}}}},
		Ratings: report.Ratings{Changed: 1, Raised: 1, RaisedAfterReply: 1, ByChange: map[string]int64{"1_to_4": 1}},
		Deadlines: report.Deadlines{ByTeam: map[string]report.DeadlineCounts{
			"claims": {Due: 4, Met: 3, Breached: 1, MetRate: 0.75}, "billing": {Due: 2, Met: 2, MetRate: 1}}},
		Spikes: []report.Spike{{Start: hour(9).UTC(), End: hour(10).UTC(), Kind: "negative", Mentions: 10, Negative: 8, Value: 0.8, Usual: 0.2}},
		Groups: []report.Group{
			{Key: "ana@example.org", Cases: report.Cases{ResponseRate: 0.5, Responded: 1, NeedResponse: 2}},
			{Key: "", Cases: report.Cases{ResponseRate: 0, NeedResponse: 3}},
		},
	}
	panels, err := reportPanels(f, sum, series, report.Hour, loc)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]panel{}
	for _, p := range panels {
		byID[p.ID] = p
	}
	texts := func(id string) [][]string {
		var out [][]string
		for _, r := range byID[id].Rows {
			var row []string
			for _, c := range r {
				row = append(row, c.Text)
			}
			out = append(out, row)
		}
		return out
	}
	check := func(id string, want [][]string) {
		t.Helper()
		if got := texts(id); !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("%s = %v, want %v", id, got, want)
		}
	}
	// Midnight and noon of 9 Feb: 2+2 and 1+1 in all.
	check("volume", [][]string{{"Mon 9 Feb 00:00", "2", "2", "4"}, {"Mon 9 Feb 12:00", "1", "1", "2"}})
	check("sentiment", [][]string{{"Mon 9 Feb 00:00", "1", "0", "1"}, {"Mon 9 Feb 12:00", "0", "0", "1"}})
	check("distribution", [][]string{{"0 min to 5 min", "3"}, {"5 min to 15 min", "1"}, {"more than 15 min", "2"}})
	check("response_rate", [][]string{{"ana@example.org", "50%", "1", "2"}, {"(unassigned)", "0%", "0", "3"}})
	// Teams by name: billing, then claims (3 of 4 met: 75%).
	check("deadlines", [][]string{{"billing", "2", "0", "0", "2", "100%"}, {"claims", "3", "1", "0", "4", "75%"}})
	check("saves", [][]string{{"Negative to positive", "2"}, {"Opened negative", "5"}, {"Ratings raised", "1"}, {"Ratings lowered", "0"},
		{"Raised after our reply", "1"}, {"Rating 1 to 4", "1"}})
	// 09:00 Chicago, 80% negative against 20% usually.
	check("spikes", [][]string{{"Mon 9 Feb 09:00", "negative", "80%", "20%", "10", "8"}})
	if byID["spikes"].SVG != "" || byID["volume"].SVG == "" {
		t.Errorf("spikes are a table alone, volume a chart too")
	}
	// Links keep the report's platform filter and add the window and the group.
	opened := "opened_from=2026-02-09T00%3A00%3A00-06%3A00&opened_to=2026-02-10T00%3A00%3A00-06%3A00"
	for _, tc := range []struct {
		got, want string
	}{
		{string(byID["response_rate"].Rows[0][0].Link), "/?agent=ana%40example.org&" + opened + "&platform=x"},
		{string(byID["response_rate"].Rows[1][0].Link), "/?assignee=unassigned&" + opened + "&platform=x"},
		{string(byID["deadlines"].Rows[1][2].Link), "/?breached=1&" + opened + "&platform=x&team=claims"},
		{string(byID["spikes"].Rows[0][0].Link), "/?mentioned_from=2026-02-09T09%3A00%3A00-06%3A00&mentioned_to=2026-02-09T10%3A00%3A00-06%3A00&platform=x"},
		{string(byID["saves"].Rows[0][1].Link), "/?first_sentiment=negative&" + opened + "&platform=x&sentiment=positive"},
	} {
		if tc.got != tc.want {
			t.Errorf("link %s, want %s", tc.got, tc.want)
		}
	}
}
