package report_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/ingest"
	"earshot/internal/model"
	"earshot/internal/org"
	"earshot/internal/report"
	"earshot/internal/store/storetest"
)

// TestSpikesAgainstTheSameLocalHour finds the spikes of three hours of
// Tuesday 10 March 2026 in Chicago (CDT, UTC-5, since 8 March) against
// the same hours of the four Tuesdays before (CST, UTC-6), with the
// default settings (4 weeks, factor 3, at least 20 mentions).
//
//	10:00 CDT (15:00Z): 20 inbound; the past 10:00 CST hours (16:00Z)
//	  hold 6, 4, 5, 5, mean 5: 20 > 3*5, a volume spike, usual 5.
//	  A decoy of 50 at 15:30Z on 3 March is 09:30 CST, another hour: a
//	  week taken as 168 hours would find it and see no spike.
//	11:00 CDT (16:00Z): 22 inbound, 12 negative; the past 11:00 CST hours
//	  hold 10 each with 1 negative: mean 10, 22 < 3*10, no volume spike;
//	  share 12/22 = 0.5455 > 0.2 and > 3 * 4/40 = 0.3, 12 >= 20/2: a
//	  negative spike, usual 0.1.
//	12:00 CDT (17:00Z): 19 inbound, all negative, and 30 of our own
//	  posts: under 20 inbound, none.
func TestSpikesAgainstTheSameLocalHour(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	var ms []*model.Mention
	add := func(n, negative int, at time.Time, dir string) {
		for i := range n {
			label := "neutral"
			if i < negative {
				label = "negative"
			}
			id := fmt.Sprint(len(ms))
			ms = append(ms, &model.Mention{Platform: "x", Channel: "acme", ExternalID: id, Kind: "post", Direction: dir, Text: "x",
				CreatedAt: at, Author: model.Author{ID: id, Handle: "h" + id},
				Analysis: &model.Analysis{Sentiment: model.Sentiment{Label: label}, Urgency: model.Urgency{Level: "normal"}}})
		}
	}
	utc := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, time.UTC) }
	tuesday := func(w int) int { return 10 - 7*w } // 3 March, 24, 17, 10 February as days of March
	for w, n := range []int{6, 4, 5, 5} {
		day := time.Date(2026, 3, tuesday(w+1), 0, 0, 0, 0, time.UTC)
		add(n, 0, day.Add(16*time.Hour+30*time.Minute), model.DirectionInbound) // 10:30 CST
		add(10, 1, day.Add(17*time.Hour+30*time.Minute), model.DirectionInbound)
	}
	add(50, 0, utc(3, 15, 30), model.DirectionInbound) // 09:30 CST
	add(20, 0, utc(10, 15, 20), model.DirectionInbound)
	add(22, 12, utc(10, 16, 10), model.DirectionInbound)
	add(19, 19, utc(10, 17, 40), model.DirectionInbound)
	add(30, 0, utc(10, 17, 45), model.DirectionOutbound)
	if _, err := ingest.New(st, analyze.New(), ingest.Options{}).Store(ctx, ms); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC)
	r := report.New(st, report.Options{Now: func() time.Time { return now }})
	from, to := time.Date(2026, 3, 10, 10, 0, 0, 0, chicago), time.Date(2026, 3, 10, 13, 0, 0, 0, chicago)
	s, err := r.Summary(ctx, report.Query{From: from, To: to, Location: chicago})
	if err != nil {
		t.Fatal(err)
	}
	want := []report.Spike{
		{Start: utc(10, 15, 0), End: utc(10, 16, 0), Kind: "volume", Mentions: 20, Negative: 0, Value: 20, Usual: 5},
		{Start: utc(10, 16, 0), End: utc(10, 17, 0), Kind: "negative", Mentions: 22, Negative: 12, Value: 0.5455, Usual: 0.1},
	}
	if fmt.Sprint(s.Spikes) != fmt.Sprint(want) {
		t.Errorf("spikes\n got %+v\nwant %+v", s.Spikes, want)
	}

	// A filter narrows the past weeks as it does the hour: another
	// channel has no mentions, so no spikes.
	other, err := report.SpikesForTest(ctx, r, report.Query{From: from, To: to, Location: chicago, Filter: report.Filter{Channel: "other"}})
	if err != nil || len(other) != 0 {
		t.Errorf("channel other: %+v %v", other, err)
	}
	// Hours not yet over are not judged: at 11:30 CDT only 10:00 is.
	now = time.Date(2026, 3, 10, 16, 30, 0, 0, time.UTC)
	early, err := report.SpikesForTest(ctx, r, report.Query{From: from, To: to, Location: chicago})
	if err != nil || len(early) != 1 || early[0].Kind != "volume" {
		t.Errorf("at 11:30 CDT: %+v %v", early, err)
	}

	// The alert's check, the hour ending at 11:00 CDT, is the same spike.
	sp, err := r.SpikeAt(ctx, utc(10, 16, 0), report.SpikeSettingsOf(nil), chicago)
	if err != nil || sp == nil || *sp != want[0] {
		t.Errorf("SpikeAt 16:00Z = %+v, %v; want %+v", sp, err, want[0])
	}
	if got, wantText := sp.Describe(), "20 mentions in the last 1h0m0s; usually 5"; got != wantText {
		t.Errorf("Describe = %q, want %q", got, wantText)
	}
	// A factor of 5 asks for more than 25 mentions: none.
	if sp, err := r.SpikeAt(ctx, utc(10, 16, 0), report.SpikeSettingsOf(&org.Spike{Factor: 5}), chicago); err != nil || sp != nil {
		t.Errorf("factor 5: %+v %v", sp, err)
	}
}
