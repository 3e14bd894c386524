package report

import (
	"context"
	"fmt"
	"time"

	"earshot/internal/org"
	"earshot/internal/store"
)

// Spike kinds.
const (
	SpikeVolume   = "volume"
	SpikeNegative = "negative"
)

// SpikeSettings say what counts as a spike: a period of Window whose
// inbound mentions number at least MinMentions and more than Factor
// times the mean of the same period (same weekday and clock time in the
// organisation's zone) over the Weeks weeks before.
type SpikeSettings struct {
	Window      time.Duration
	Weeks       int
	Factor      float64
	MinMentions int
}

// Spike settings when the organisation file does not say.
const (
	DefaultSpikeWindow      = time.Hour
	DefaultSpikeWeeks       = 4
	DefaultSpikeFactor      = 3.0
	DefaultSpikeMinMentions = 20
)

// SpikeSettingsOf reads the organisation file's spike block, each
// setting left out (or s nil) taking its default.
func SpikeSettingsOf(s *org.Spike) SpikeSettings {
	out := SpikeSettings{Window: DefaultSpikeWindow, Weeks: DefaultSpikeWeeks, Factor: DefaultSpikeFactor, MinMentions: DefaultSpikeMinMentions}
	if s == nil {
		return out
	}
	if s.Window > 0 {
		out.Window = time.Duration(s.Window)
	}
	if s.Weeks > 0 {
		out.Weeks = s.Weeks
	}
	if s.Factor > 0 {
		out.Factor = s.Factor
	}
	if s.MinMentions > 0 {
		out.MinMentions = s.MinMentions
	}
	return out
}

// spikeCount is the inbound mentions of a period and the negative ones
// among them.
type spikeCount struct{ inbound, negative int64 }

// judgeSpike is the one definition of a spike (README, "Spikes"): cur
// against the same period in each past week. Volume: at least
// MinMentions inbound mentions and more than Factor times their mean
// (taken as at least 1). Negative share: at least MinMentions inbound
// mentions, at least half MinMentions negative, a share above 20% and
// above Factor times the past weeks' share (their negative mentions over
// their inbound ones). Volume is judged first; it returns the spike's
// kind, value and usual value, kind "" when it is none.
func judgeSpike(cur spikeCount, past []spikeCount, s SpikeSettings) (kind string, value, usual float64) {
	if cur.inbound < int64(s.MinMentions) || len(past) == 0 {
		return "", 0, 0
	}
	var sumIn, sumNeg int64
	for _, p := range past {
		sumIn, sumNeg = sumIn+p.inbound, sumNeg+p.negative
	}
	mean := float64(sumIn) / float64(len(past))
	if float64(cur.inbound) > s.Factor*max(mean, 1) {
		return SpikeVolume, float64(cur.inbound), round1(mean)
	}
	share := float64(cur.negative) / float64(cur.inbound)
	usualShare := 0.0
	if sumIn > 0 {
		usualShare = float64(sumNeg) / float64(sumIn)
	}
	if cur.negative >= int64(s.MinMentions/2) && share > 0.2 && share > s.Factor*usualShare {
		return SpikeNegative, fraction(float64(cur.negative), float64(cur.inbound)), fraction(float64(sumNeg), float64(sumIn))
	}
	return "", 0, 0
}

// weeksBack is t moved back w weeks on the calendar of loc: the same
// weekday and clock time, whatever daylight saving did between.
func weeksBack(t time.Time, w int, loc *time.Location) time.Time {
	l := t.In(loc)
	y, m, d := l.Date()
	return time.Date(y, m, d-7*w, l.Hour(), l.Minute(), l.Second(), l.Nanosecond(), loc)
}

// SpikeAt judges the period of s.Window that ends at end (the check the
// spike alert makes), with the past weeks read in loc (nil: UTC). It
// returns the spike, or nil when the period is none.
func (r *Reports) SpikeAt(ctx context.Context, end time.Time, s SpikeSettings, loc *time.Location) (*Spike, error) {
	if loc == nil {
		loc = time.UTC
	}
	count := func(end time.Time) (spikeCount, error) {
		total, neg, err := r.st.MentionCounts(ctx, end.Add(-s.Window), end)
		return spikeCount{int64(total), int64(neg)}, err
	}
	cur, err := count(end)
	if err != nil || cur.inbound < int64(s.MinMentions) {
		return nil, err
	}
	past := make([]spikeCount, s.Weeks)
	for w := range past {
		if past[w], err = count(weeksBack(end, w+1, loc)); err != nil {
			return nil, err
		}
	}
	kind, value, usual := judgeSpike(cur, past, s)
	if kind == "" {
		return nil, nil
	}
	return &Spike{Start: end.Add(-s.Window).UTC(), End: end.UTC(), Kind: kind, Mentions: cur.inbound, Negative: cur.negative, Value: value, Usual: usual}, nil
}

// Describe says what a spike is in a sentence, for an alert.
func (sp Spike) Describe() string {
	window := sp.End.Sub(sp.Start)
	if sp.Kind == SpikeNegative {
		return fmt.Sprintf("%.0f%% of %d mentions negative in the last %v; usually %.0f%%", sp.Value*100, sp.Mentions, window, sp.Usual*100)
	}
	return fmt.Sprintf("%d mentions in the last %v; usually %.0f", sp.Mentions, window, sp.Usual)
}

// spikeSettings are the organisation's spike settings now.
func (r *Reports) spikeSettings() SpikeSettings {
	if r.opts.Spike != nil {
		return SpikeSettingsOf(r.opts.Spike())
	}
	return SpikeSettingsOf(nil)
}

// spikes finds the hours of q's window (whole hours of q.Location, in
// it, ended by now) whose inbound volume or negative share stood well
// above the usual for that hour and weekday, by judgeSpike with the
// organisation's settings, the window fixed at an hour. Filters narrow
// what is counted, now and in the past weeks alike.
func (r *Reports) spikes(ctx context.Context, q Query) ([]Spike, error) {
	s := r.spikeSettings()
	s.Window = time.Hour
	loc := q.Location
	if loc == nil {
		loc = time.UTC
	}
	to := q.To
	if now := r.now(); now.Before(to) {
		to = now
	}
	var hours []time.Time
	for h := intervalStart(q.From, Hour, loc); !h.Add(time.Hour).After(to); h = h.Add(time.Hour) {
		if !h.Before(q.From) {
			hours = append(hours, h)
		}
	}
	out := []Spike{}
	if len(hours) == 0 {
		return out, nil
	}
	first := weeksBack(hours[0], s.Weeks, loc).Add(-time.Hour) // an hour's margin for a clock change
	end := hours[len(hours)-1].Add(time.Hour)
	width := slotWidth(first, end, loc)
	slots, err := r.st.MentionSlots(ctx, first, end, store.SlotFilter(q.Filter), width)
	if err != nil {
		return nil, err
	}
	bySlot := make(map[int64]spikeCount, len(slots))
	for _, sl := range slots {
		bySlot[sl.Start.Unix()] = spikeCount{sl.Inbound, sl.Negative}
	}
	hour := func(start time.Time) spikeCount {
		var c spikeCount
		for t := start; t.Before(start.Add(time.Hour)); t = t.Add(width) {
			v := bySlot[t.Unix()]
			c.inbound, c.negative = c.inbound+v.inbound, c.negative+v.negative
		}
		return c
	}
	past := make([]spikeCount, s.Weeks)
	for _, h := range hours {
		cur := hour(h)
		if cur.inbound < int64(s.MinMentions) {
			continue
		}
		for w := range past {
			past[w] = hour(weeksBack(h, w+1, loc))
		}
		if kind, value, usual := judgeSpike(cur, past, s); kind != "" {
			out = append(out, Spike{Start: h.UTC(), End: h.Add(time.Hour).UTC(), Kind: kind, Mentions: cur.inbound,
				Negative: cur.negative, Value: value, Usual: usual})
		}
	}
	return out, nil
}
