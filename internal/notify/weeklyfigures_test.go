package notify

import (
	"bytes"
	"image/png"
	"testing"
	"time"

	"earshot/internal/org"
	"earshot/internal/report"
)

func TestWeeklyFiguresAndChanges(t *testing.T) {
	cur := &report.Summary{
		Mentions: report.Mentions{Total: 120, Inbound: 100, BySentiment: map[string]int64{"negative": 25}},
		Cases: report.Cases{Opened: 40, NeedResponse: 32, Responded: 30, ResponseRate: 30.0 / 32,
			FirstResponse:      report.Durations{Count: 30, MedianMinutes: 45, P90Minutes: 200},
			NegativeToPositive: 4, OpenedNegative: 10},
		Ratings:   report.Ratings{Changed: 3, Raised: 2, Lowered: 1},
		Deadlines: report.Deadlines{DeadlineCounts: report.DeadlineCounts{Due: 50, Met: 44, Breached: 6}},
	}
	prev := &report.Summary{
		Mentions: report.Mentions{Total: 120, Inbound: 80, BySentiment: map[string]int64{"negative": 40}},
		Cases: report.Cases{Opened: 45, NeedResponse: 40, Responded: 30, ResponseRate: 0.75,
			FirstResponse: report.Durations{Count: 30, MedianMinutes: 45, P90Minutes: 3000}},
		Deadlines: report.Deadlines{DeadlineCounts: report.DeadlineCounts{Due: 40, Met: 30, Breached: 10}},
	}
	empty := &report.Summary{}
	for _, tc := range []struct {
		name      string
		cur, prev *report.Summary
		want      []figure
	}{
		{"against a busy week", cur, prev, []figure{
			{"Mentions", "120", "same"},
			{"Inbound mentions", "100", "+20"},
			// 25/100 = 25% against 40/80 = 50%.
			{"Negative share of inbound", "25% (25 of 100)", "-25 pts"},
			{"Cases opened", "40", "-5"},
			// 30/32 = 93.75% against 75%: +18.75 points, to a tenth 18.8.
			{"Response rate", "93.8% (30 of 32 answered)", "+18.8 pts"},
			{"First response, median", "45 min", "same"},
			// 200 min is 3.33 h; 200-3000 = -2800 min, 46.67 h (days
			// from 2880 min on).
			{"First response, 90th percentile", "3.3 h", "-46.7 h"},
			{"Saves (negative to positive)", "4 of 10 opened negative", "+4"},
			{"Review ratings changed", "3 (2 raised, 1 lowered)", "+3"},
			{"Deadlines met", "44 of 50 due", "+14"},
			{"Deadlines breached", "6", "-4"},
		}},
		{"against a quiet week", cur, empty, []figure{
			{"Mentions", "120", "+120"},
			{"Inbound mentions", "100", "+100"},
			{"Negative share of inbound", "25% (25 of 100)", ""},
			{"Cases opened", "40", "+40"},
			{"Response rate", "93.8% (30 of 32 answered)", ""},
			{"First response, median", "45 min", ""},
			{"First response, 90th percentile", "3.3 h", ""},
			{"Saves (negative to positive)", "4 of 10 opened negative", "+4"},
			{"Review ratings changed", "3 (2 raised, 1 lowered)", "+3"},
			{"Deadlines met", "44 of 50 due", "+44"},
			{"Deadlines breached", "6", "+6"},
		}},
		{"a quiet week", empty, empty, []figure{
			{"Mentions", "0", "same"},
			{"Inbound mentions", "0", "same"},
			{"Negative share of inbound", "none", ""},
			{"Cases opened", "0", "same"},
			{"Response rate", "none", ""},
			{"First response, median", "none", ""},
			{"First response, 90th percentile", "none", ""},
			{"Saves (negative to positive)", "0", "same"},
			{"Review ratings changed", "0 (0 raised, 0 lowered)", "same"},
			{"Deadlines met", "0", "same"},
			{"Deadlines breached", "0", "same"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := figures(tc.cur, tc.prev)
			if len(got) != len(tc.want) {
				t.Fatalf("%d figures, want %d", len(got), len(tc.want))
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("figure %d = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestWeeklyWeeksFollowTheLocalCalendar(t *testing.T) {
	chi, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	monday := &org.WeeklyReport{To: org.List{"a@example.org"}}
	friday := &org.WeeklyReport{To: org.List{"a@example.org"}, Day: "friday", At: "17:30"}
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		name     string
		w        *org.WeeklyReport
		now      string
		from, to string
	}{
		// Clocks went forward on Sunday 8 March 2026: the week is 167 hours.
		{"send time, across the change of clocks", monday, "2026-03-09T13:00:00Z", "2026-03-02T14:00:00Z", "2026-03-09T13:00:00Z"},
		{"a minute before the send time: the week before", monday, "2026-03-09T12:59:00Z", "2026-02-23T14:00:00Z", "2026-03-02T14:00:00Z"},
		{"midweek", monday, "2026-03-11T20:00:00Z", "2026-03-02T14:00:00Z", "2026-03-09T13:00:00Z"},
		// Friday 17:30 CDT is 22:30 UTC; at 23:00 UTC on Thursday 9 April
		// it is Thursday 18:00 in Chicago: the last send was Friday 3 April.
		{"another day and time", friday, "2026-04-09T23:00:00Z", "2026-03-27T22:30:00Z", "2026-04-03T22:30:00Z"},
		{"another day, at its time", friday, "2026-04-10T22:30:00Z", "2026-04-03T22:30:00Z", "2026-04-10T22:30:00Z"},
	} {
		from, to := LastWeek(tc.w, chi, utc(tc.now))
		if !from.Equal(utc(tc.from)) || !to.Equal(utc(tc.to)) {
			t.Errorf("%s: LastWeek = [%s, %s), want [%s, %s)", tc.name, from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339), tc.from, tc.to)
		}
	}
	from, to := WeekFrom(monday, chi, utc("2026-03-02T06:00:00Z")) // 00:00 CST on Monday 2 March
	if !from.Equal(utc("2026-03-02T14:00:00Z")) || !to.Equal(utc("2026-03-09T13:00:00Z")) {
		t.Errorf("WeekFrom = [%v, %v)", from.UTC(), to.UTC())
	}
	if got := weekName(from, to, chi); got != "2 Mar to 8 Mar 2026" {
		t.Errorf("weekName = %q", got)
	}
	// The key names the week and the set of addresses, in any order or case.
	k1 := weeklyKey(to, chi, []string{"a@example.org", "B@example.org"})
	if k2 := weeklyKey(to, chi, []string{"b@example.org", "a@example.org"}); k1 != k2 {
		t.Errorf("same addresses, keys %s and %s", k1, k2)
	}
	if k3 := weeklyKey(to, chi, []string{"a@example.org"}); k3 == k1 {
		t.Error("other addresses, same key")
	}
	if k4 := weeklyKey(to.AddDate(0, 0, 7), chi, []string{"a@example.org", "b@example.org"}); k4 == k1 {
		t.Error("another week, same key")
	}
}

func TestVolumeChartDrawsStackedBars(t *testing.T) {
	// Two days: 4 negative and 4 positive (the busiest, 8: full
	// height), then 2 neutral (a quarter: 2*178/8 = 44 pixels).
	b, err := volumeChart([]dayVolume{{Negative: 4, Positive: 4}, {Neutral: 2}})
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if s := img.Bounds().Size(); s.X != ChartWidth || s.Y != ChartHeight {
		t.Fatalf("size %v", s)
	}
	// Slots are (560-24)/2 = 268 wide; bars 187, centred: the first from
	// x = 12+40 = 52, the second from 12+268+40 = 320. The plot is 178
	// high above the baseline at y = 188.
	const base, height = 188, 178
	at := func(x, y int) [3]uint32 {
		r, g, b, _ := img.At(x, y).RGBA()
		return [3]uint32{r >> 8, g >> 8, b >> 8}
	}
	rgb := func(c interface{ RGBA() (r, g, b, a uint32) }) [3]uint32 {
		r, g, b, _ := c.RGBA()
		return [3]uint32{r >> 8, g >> 8, b >> 8}
	}
	for _, p := range []struct {
		name string
		x, y int
		want [3]uint32
	}{
		{"first day's foot: negative", 100, base - 1, rgb(chartNegative)},
		{"first day's lower half: negative", 100, base - height/2 + 1, rgb(chartNegative)},
		{"first day's upper half: positive", 100, base - height/2 - 1, rgb(chartPositive)},
		{"first day's top: positive", 100, base - height, rgb(chartPositive)},
		{"above the first day", 100, base - height - 2, rgb(chartBackground)},
		{"second day's foot: neutral", 400, base - 1, rgb(chartNeutral)},
		{"second day's top: neutral", 400, base - 44, rgb(chartNeutral)},
		{"above the second day", 400, base - 46, rgb(chartBackground)},
		{"between the bars", 300, base - 5, rgb(chartBackground)},
		{"baseline", 300, base, rgb(chartAxis)},
	} {
		if got := at(p.x, p.y); got != p.want {
			t.Errorf("%s (%d, %d): %v, want %v", p.name, p.x, p.y, got, p.want)
		}
	}
}
