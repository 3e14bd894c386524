package report_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/ingest"
	"earshot/internal/model"
	"earshot/internal/report"
	"earshot/internal/store/storetest"
)

// TestSeriesFoldsIntoTheOrganisationsDays counts mentions per day of
// Chicago: a mention at 04:30 UTC belongs to the day before there.
func TestSeriesFoldsIntoTheOrganisationsDays(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	p := ingest.New(st, analyze.New(), ingest.Options{})
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// 3 May 2026 is a Sunday; Chicago is UTC-5 (CDT).
	ms := []struct {
		when, author, dir string
	}{
		{"2026-05-03T14:00:00Z", "ann", model.DirectionInbound},   // 3 May, 09:00 there
		{"2026-05-04T04:30:00Z", "bob", model.DirectionInbound},   // 3 May, 23:30 there
		{"2026-05-04T05:10:00Z", "cat", model.DirectionInbound},   // 4 May, 00:10 there
		{"2026-05-04T16:00:00Z", "acme", model.DirectionOutbound}, // 4 May
		{"2026-05-05T06:00:00Z", "dan", model.DirectionInbound},   // 5 May, 01:00 there: outside the window
	}
	var in []model.Mention
	for i, m := range ms {
		in = append(in, model.Mention{Platform: "x", ExternalID: fmt.Sprint(i + 1), Kind: "post", Direction: m.dir,
			Text: "Where is my new member card? It has been two weeks.", CreatedAt: at(m.when),
			Author: model.Author{ID: m.author, Handle: m.author}})
	}
	if _, err := p.Ingest(ctx, in); err != nil {
		t.Fatal(err)
	}
	r := report.New(st, report.Options{})
	from, to := time.Date(2026, 5, 3, 0, 0, 0, 0, chicago), time.Date(2026, 5, 5, 0, 0, 0, 0, chicago)
	for _, tc := range []struct {
		metric string
		want   []float64
	}{
		{"inbound", []float64{2, 1}},
		{"outbound", []float64{0, 1}},
		{"mentions", []float64{2, 2}},
	} {
		s, err := r.Series(ctx, report.SeriesQuery{Metric: tc.metric, Interval: report.Day, From: from, To: to, Location: chicago})
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Lines) != 1 || len(s.Lines[0].Points) != 2 {
			t.Fatalf("%s: %+v", tc.metric, s)
		}
		for i, pt := range s.Lines[0].Points {
			if want := from.AddDate(0, 0, i); !pt.Start.Equal(want) || pt.Value != tc.want[i] {
				t.Errorf("%s point %d = %v %v; want %v %v", tc.metric, i, pt.Start, pt.Value, want, tc.want[i])
			}
		}
	}
	s, err := r.Series(ctx, report.SeriesQuery{Metric: "sentiment", Interval: report.Week, From: from, To: to, Location: chicago})
	if err != nil {
		t.Fatal(err)
	}
	// The window's Sunday falls in the week of Monday 27 April, its
	// Monday in the week of 4 May.
	if len(s.Lines) != 3 || len(s.Lines[0].Points) != 2 || !s.Lines[0].Points[1].Start.Equal(time.Date(2026, 5, 4, 0, 0, 0, 0, chicago)) {
		t.Fatalf("weeks: %+v", s)
	}
	var sum float64
	for _, l := range s.Lines {
		for _, pt := range l.Points {
			sum += pt.Value
		}
	}
	if sum != 3 {
		t.Errorf("sentiment lines add up to %v inbound mentions; want 3", sum)
	}
	for _, bad := range []report.SeriesQuery{
		{Metric: "nonsense", Interval: report.Day, From: from, To: to},
		{Metric: "inbound", Interval: "month", From: from, To: to},
		{Metric: "inbound", Interval: report.Hour, From: from, To: from.AddDate(1, 0, 0)},
	} {
		if _, err := r.Series(ctx, bad); err == nil {
			t.Errorf("Series(%+v) took it", bad)
		}
	}
}

// TestSeriesOfCasesInAHalfHourZone counts cases and first responses per
// day of India (UTC+5:30), where an hour of UTC straddles midnight: the
// series fold quarter hours there. Each case is one member's mention,
// answered by our reply to it:
//
//	a  18:20Z 3 May (23:50 IST 3 May)  answered 12.5 min later
//	b  18:40Z 3 May (00:10 IST 4 May)  answered 3 min later
//	c  10:00Z 4 May (15:30 IST 4 May)  answered 60 min later
//	d  12:00Z 4 May (17:30 IST 4 May)  not answered
//
// 3 May: opened 1, responded 1, rate 1, median and p90 12.5.
// 4 May: opened 3, responded 2, rate 2/3 = 0.6667; times 3 and 60:
// median (nearest rank, the 1st of 2) 3, p90 (the 2nd) 60.
func TestSeriesOfCasesInAHalfHourZone(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	ist := time.FixedZone("IST", 5*3600+1800)
	p := ingest.New(st, analyze.New(), ingest.Options{})
	day3 := time.Date(2026, 5, 3, 0, 0, 0, 0, time.UTC)
	var in []model.Mention
	for _, m := range []struct {
		who    string
		at     time.Duration
		answer time.Duration
	}{
		{"a", 18*time.Hour + 20*time.Minute, 12*time.Minute + 30*time.Second},
		{"b", 18*time.Hour + 40*time.Minute, 3 * time.Minute},
		{"c", 34 * time.Hour, time.Hour},
		{"d", 36 * time.Hour, 0},
	} {
		in = append(in, model.Mention{Platform: "x", ExternalID: m.who, Kind: "post", Direction: model.DirectionInbound,
			Text: "Where is my new member card? It has been two weeks.", CreatedAt: day3.Add(m.at),
			Author: model.Author{ID: m.who, Handle: m.who}})
		if m.answer > 0 {
			in = append(in, model.Mention{Platform: "x", ExternalID: "re-" + m.who, Kind: "post", Direction: model.DirectionOutbound,
				Text: "Sorry! Please DM us.", CreatedAt: day3.Add(m.at + m.answer), InReplyTo: m.who,
				Author: model.Author{ID: "acme", Handle: "acme"}})
		}
	}
	if _, err := p.Ingest(ctx, in); err != nil {
		t.Fatal(err)
	}
	r := report.New(st, report.Options{})
	from, to := time.Date(2026, 5, 3, 0, 0, 0, 0, ist), time.Date(2026, 5, 5, 0, 0, 0, 0, ist)
	for _, tc := range []struct {
		metric string
		want   []float64
	}{
		{"inbound", []float64{1, 3}},
		{"outbound", []float64{0, 3}}, // a's answer, 18:32:30Z, is 00:02:30 IST 4 May
		{"cases_opened", []float64{1, 3}},
		{"responded", []float64{1, 2}},
		{"response_rate", []float64{1, 0.6667}},
		{"first_response_median", []float64{12.5, 3}},
		{"first_response_p90", []float64{12.5, 60}},
	} {
		s, err := r.Series(ctx, report.SeriesQuery{Metric: tc.metric, Interval: report.Day, From: from, To: to, Location: ist})
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Lines) != 1 || len(s.Lines[0].Points) != 2 {
			t.Fatalf("%s: %+v", tc.metric, s)
		}
		for i, pt := range s.Lines[0].Points {
			if want := from.AddDate(0, 0, i); !pt.Start.Equal(want) || pt.Value != tc.want[i] {
				t.Errorf("%s point %d = %v %v; want %v %v", tc.metric, i, pt.Start, pt.Value, want, tc.want[i])
			}
		}
	}
}
