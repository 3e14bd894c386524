package report

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"earshot/internal/store"
)

// MaxPoints bounds the points of one line of a series.
const MaxPoints = 5000

// ErrTooManyPoints says a series would have more than MaxPoints points.
var ErrTooManyPoints = errors.New("too many points")

// Metrics are the metrics Series knows, in the order forms offer them.
func Metrics() []string {
	return []string{"mentions", "inbound", "outbound", "sentiment", "negative_share", "cases_opened",
		"responded", "response_rate", "first_response_median", "first_response_p90"}
}

// ParseInterval reads an interval: hour, day or week.
func ParseInterval(s string) (Interval, error) {
	switch i := Interval(s); i {
	case Hour, Day, Week:
		return i, nil
	}
	return "", fmt.Errorf("interval %q: want hour, day or week", s)
}

// intervalStart is the start of the interval of t in loc.
func intervalStart(t time.Time, iv Interval, loc *time.Location) time.Time {
	t = t.In(loc)
	y, m, d := t.Date()
	switch iv {
	case Hour:
		// Back to the local hour's start in absolute time: building it
		// from the clock would read a repeated hour as its first.
		past := time.Duration(t.Minute())*time.Minute + time.Duration(t.Second())*time.Second + time.Duration(t.Nanosecond())
		return t.Add(-past)
	case Week:
		back := (int(t.Weekday()) + 6) % 7 // days since Monday
		return time.Date(y, m, d-back, 0, 0, 0, 0, loc)
	}
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// nextInterval is the start of the interval after the one starting at t.
func nextInterval(t time.Time, iv Interval, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	switch iv {
	case Hour:
		// Add rather than build from the clock: an hour that repeats when
		// clocks go back is two intervals, not one.
		return t.Add(time.Hour)
	case Week:
		return time.Date(y, m, d+7, 0, 0, 0, 0, loc)
	}
	return time.Date(y, m, d+1, 0, 0, 0, 0, loc)
}

// intervals lists the starts of the intervals that meet [from, to).
func intervals(from, to time.Time, iv Interval, loc *time.Location) ([]time.Time, error) {
	var out []time.Time
	for t := intervalStart(from, iv, loc); t.Before(to); t = nextInterval(t, iv, loc) {
		if len(out) == MaxPoints {
			return nil, fmt.Errorf("%w: more than %d %ss from %s to %s: choose a wider interval or a shorter window",
				ErrTooManyPoints, MaxPoints, iv, from.Format(time.RFC3339), to.Format(time.RFC3339))
		}
		out = append(out, t)
	}
	return out, nil
}

// Series computes one metric over time, a point for every interval that
// meets [q.From, q.To), in q.Location (UTC when nil).
func (r *Reports) Series(ctx context.Context, q SeriesQuery) (*Series, error) {
	if !slices.Contains(Metrics(), q.Metric) {
		return nil, fmt.Errorf("metric %q: want one of %v", q.Metric, Metrics())
	}
	if _, err := ParseInterval(string(q.Interval)); err != nil {
		return nil, err
	}
	loc := q.Location
	if loc == nil {
		loc = time.UTC
	}
	starts, err := intervals(q.From, q.To, q.Interval, loc)
	if err != nil {
		return nil, err
	}
	index := func(t time.Time) int {
		i, _ := slices.BinarySearchFunc(starts, intervalStart(t, q.Interval, loc), func(a, b time.Time) int { return a.Compare(b) })
		return i
	}
	f := store.SlotFilter(q.Filter)
	width := slotWidth(q.From, q.To, loc)
	out := &Series{Metric: q.Metric, Interval: q.Interval, From: q.From.UTC(), To: q.To.UTC()}
	lines := func(keys ...string) [][]float64 {
		vals := make([][]float64, len(keys))
		for k, key := range keys {
			vals[k] = make([]float64, len(starts))
			out.Lines = append(out.Lines, Line{Key: key})
		}
		return vals
	}
	var vals [][]float64
	switch q.Metric {
	case "mentions", "inbound", "outbound", "sentiment", "negative_share":
		slots, err := r.st.MentionSlots(ctx, q.From, q.To, f, width)
		if err != nil {
			return nil, err
		}
		if q.Metric == "sentiment" {
			vals = lines("positive", "neutral", "negative")
		} else {
			vals = lines(q.Metric)
		}
		inbound := make([]float64, len(starts))
		for _, s := range slots {
			i := index(s.Start)
			if i >= len(starts) {
				continue
			}
			inbound[i] += float64(s.Inbound)
			switch q.Metric {
			case "mentions":
				vals[0][i] += float64(s.Inbound + s.Outbound)
			case "inbound":
				vals[0][i] += float64(s.Inbound)
			case "outbound":
				vals[0][i] += float64(s.Outbound)
			case "sentiment":
				vals[0][i] += float64(s.Positive)
				vals[1][i] += float64(s.Neutral)
				vals[2][i] += float64(s.Negative)
			case "negative_share":
				vals[0][i] += float64(s.Negative)
			}
		}
		if q.Metric == "negative_share" {
			for i := range vals[0] {
				vals[0][i] = fraction(vals[0][i], inbound[i])
			}
		}
	default:
		slots, err := r.st.CaseSlots(ctx, q.From, q.To, f, width, q.Metric == "first_response_median" || q.Metric == "first_response_p90")
		if err != nil {
			return nil, err
		}
		vals = lines(q.Metric)
		need := make([]float64, len(starts))
		minutes := make([][]float64, len(starts))
		for _, s := range slots {
			i := index(s.Start)
			if i >= len(starts) {
				continue
			}
			need[i] += float64(s.NeedResponse)
			switch q.Metric {
			case "cases_opened":
				vals[0][i] += float64(s.Opened)
			case "responded", "response_rate":
				vals[0][i] += float64(s.Responded)
			default:
				minutes[i] = append(minutes[i], s.FirstResponseMinutes...)
			}
		}
		for i := range starts {
			switch q.Metric {
			case "response_rate":
				vals[0][i] = fraction(vals[0][i], need[i])
			case "first_response_median", "first_response_p90":
				if len(minutes[i]) == 0 {
					continue
				}
				slices.Sort(minutes[i])
				p := 0.5
				if q.Metric == "first_response_p90" {
					p = 0.9
				}
				vals[0][i] = round1(percentile(minutes[i], p))
			}
		}
	}
	for k := range out.Lines {
		out.Lines[k].Points = make([]Point, len(starts))
		for i, t := range starts {
			out.Lines[k].Points[i] = Point{Start: t, Value: vals[k][i]}
		}
	}
	return out, nil
}

// slotWidth is the widest slot that folds into the intervals of loc
// over [from, to): an hour when every offset loc takes then is a whole
// number of hours (read at each day's start and at to, the way zones
// change their offsets at most a few times a year), else a quarter hour.
func slotWidth(from, to time.Time, loc *time.Location) time.Duration {
	whole := func(t time.Time) bool {
		_, off := t.In(loc).Zone()
		return off%3600 == 0
	}
	for t := from; t.Before(to); t = t.Add(24 * time.Hour) {
		if !whole(t) {
			return store.SlotWidth
		}
	}
	if !whole(to) {
		return store.SlotWidth
	}
	return store.HourSlots
}

// fraction is n / d to four places, 0 when d is 0.
func fraction(n, d float64) float64 {
	if d == 0 {
		return 0
	}
	return math.Round(n/d*10000) / 10000
}

// percentile reads the p-th percentile of sorted values (nearest rank).
func percentile(sorted []float64, p float64) float64 {
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}
