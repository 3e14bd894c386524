package report_test

import (
	"context"
	"fmt"
	"maps"
	"math"
	"testing"

	"earshot/internal/report"
)

// TestReplaySummary checks every figure Summary gives of the replay
// against the truth written by hand: the totals, a shorter window, each
// platform and channel as a filter, and each group of group_by platform
// and group_by channel.
func TestReplaySummary(t *testing.T) {
	d := loadReplay(t)
	pl := play(t, d)
	r := report.New(pl.st, report.Options{})
	ctx := context.Background()
	q := report.Query{From: d.truth.From, To: d.truth.To}
	s, err := r.Summary(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	compareFigures(t, "totals", s.Mentions, s.Cases, s.Ratings, d.truth.Totals)

	for _, w := range d.truth.Windows {
		s, err := r.Summary(ctx, report.Query{From: w.From, To: w.To})
		if err != nil {
			t.Fatal(err)
		}
		compareFigures(t, w.Name, s.Mentions, s.Cases, s.Ratings, w.Figures)
	}

	// A filter narrows every figure to the group's.
	for platform, f := range d.truth.ByPlatform {
		for _, filter := range []report.Filter{{Platform: platform}, {Channel: channelOf(d.truth, platform)}} {
			s, err := r.Summary(ctx, report.Query{From: q.From, To: q.To, Filter: filter})
			if err != nil {
				t.Fatalf("filter %+v: %v", filter, err)
			}
			compareFigures(t, fmt.Sprintf("filter %+v", filter), s.Mentions, s.Cases, s.Ratings,
				f)
		}
	}

	for _, by := range []report.GroupBy{report.GroupPlatform, report.GroupChannel} {
		q.GroupBy = by
		s, err := r.Summary(ctx, q)
		if err != nil {
			t.Fatalf("group_by %s: %v", by, err)
		}
		want := map[string]figuresTruth{}
		for platform, f := range d.truth.ByPlatform {
			key := platform
			if by == report.GroupChannel {
				key = channelOf(d.truth, platform)
			}
			want[key] = f
		}
		got := map[string]bool{}
		for _, g := range s.Groups {
			got[g.Key] = true
			f, ok := want[g.Key]
			if !ok {
				t.Errorf("group_by %s: a group %q the truth does not have", by, g.Key)
				continue
			}
			compareFigures(t, fmt.Sprintf("group_by %s %q", by, g.Key), g.Mentions, g.Cases, g.Ratings, f)
		}
		for key := range want {
			if !got[key] {
				t.Errorf("group_by %s: no group %q", by, key)
			}
		}
	}
}

// channelOf is the channel of platform in the replay (one each).
func channelOf(tf truthFile, platform string) string {
	for ch, p := range tf.Channels {
		if p == platform {
			return ch
		}
	}
	return ""
}

// compareFigures reports each figure that differs from the truth f,
// naming it as the API does.
func compareFigures(t *testing.T, scope string, m report.Mentions, c report.Cases, r report.Ratings, f figuresTruth) {
	t.Helper()
	ints := []struct {
		name      string
		got, want int64
	}{
		{"mentions.total", m.Total, f.Mentions.Total},
		{"mentions.inbound", m.Inbound, f.Mentions.Inbound},
		{"mentions.outbound", m.Outbound, f.Mentions.Outbound},
		{"cases.opened", c.Opened, f.Cases.Opened},
		{"cases.need_response", c.NeedResponse, f.Cases.NeedResponse},
		{"cases.responded", c.Responded, f.Cases.Responded},
		{"cases.resolved", c.Resolved, f.Cases.Resolved},
		{"cases.public", c.Public, f.Cases.Public},
		{"cases.taken_private", c.TakenPrivate, f.Cases.TakenPrivate},
		{"cases.negative_to_positive", c.NegativeToPositive, f.Cases.NegativeToPositive},
		{"cases.opened_negative", c.OpenedNegative, f.Cases.OpenedNegative},
		{"ratings.changed", r.Changed, f.Ratings.Changed},
		{"ratings.raised", r.Raised, f.Ratings.Raised},
		{"ratings.lowered", r.Lowered, f.Ratings.Lowered},
		{"ratings.after_reply", r.AfterReply, f.Ratings.AfterReply},
		{"ratings.raised_after_reply", r.RaisedAfterReply, f.Ratings.RaisedAfterReply},
	}
	for _, x := range ints {
		if x.got != x.want {
			t.Errorf("%s: %s = %d, truth %d", scope, x.name, x.got, x.want)
		}
	}
	for _, x := range []struct {
		name string
		got  float64
		want fraction
	}{
		{"cases.response_rate", c.ResponseRate, f.Cases.ResponseRate},
		{"cases.take_private_rate", c.TakePrivateRate, f.Cases.TakePrivateRate},
	} {
		if math.Abs(x.got-x.want.value()) > 1e-9 {
			t.Errorf("%s: %s = %v, truth %d/%d = %v", scope, x.name, x.got, x.want.n, x.want.d, x.want.value())
		}
	}
	for _, x := range []struct {
		name      string
		got, want map[string]int64
	}{
		{"mentions.by_platform", m.ByPlatform, f.Mentions.ByPlatform},
		{"mentions.by_sentiment", m.BySentiment, f.Mentions.BySentiment},
		{"ratings.by_change", r.ByChange, f.Ratings.ByChange},
	} {
		if !maps.Equal(nonZero(x.got), nonZero(x.want)) {
			t.Errorf("%s: %s = %v, truth %v", scope, x.name, x.got, x.want)
		}
	}
	for _, x := range []struct {
		name string
		got  report.Durations
		want durationsTruth
	}{
		// No team here keeps business hours: business time is
		// wall-clock time.
		{"cases.first_response", c.FirstResponse, f.Cases.FirstResponse},
		{"cases.first_response_business", c.FirstResponseBusiness, f.Cases.FirstResponse},
		{"cases.next_response", c.NextResponse, f.Cases.NextResponse},
		{"cases.resolution", c.Resolution, f.Cases.Resolution},
	} {
		compareDurations(t, scope+": "+x.name, x.got, x.want)
	}
}

func compareDurations(t *testing.T, scope string, got report.Durations, want durationsTruth) {
	t.Helper()
	if got.Count != int64(len(want.Values)) || got.MedianMinutes != want.Median || got.P90Minutes != want.P90 || got.MeanMinutes != want.Mean {
		t.Errorf("%s: count %d median %v p90 %v mean %v, truth %d %v %v %v", scope, got.Count, got.MedianMinutes, got.P90Minutes,
			got.MeanMinutes, len(want.Values), want.Median, want.P90, want.Mean)
	}
	edges := report.BucketEdges()
	dist := make([]int64, len(edges)+1)
	for _, b := range got.Distribution {
		i := len(edges) // UpToMinutes 0: the longer ones
		for j, e := range edges {
			if b.UpToMinutes == e {
				i = j
			}
		}
		dist[i] += b.Count
	}
	for i := range dist {
		if dist[i] != want.Distribution[i] {
			t.Errorf("%s: distribution %v, truth %v (up to %v minutes, then longer)", scope, dist, want.Distribution, edges)
			break
		}
	}
}

// nonZero is m without its zero counts: a map that lists a key at 0 and
// one that leaves it out say the same.
func nonZero(m map[string]int64) map[string]int64 {
	out := map[string]int64{}
	for k, v := range m {
		if v != 0 {
			out[k] = v
		}
	}
	return out
}
