package report

import (
	"context"
	"errors"
	"fmt"
	"time"

	"earshot/internal/org"
	"earshot/internal/store"
)

// Options configure Reports.
type Options struct {
	// Location returns the organisation's time zone as now in force;
	// nil is UTC.
	Location func() *time.Location
	// Now is the clock deadlines and spikes are judged by; nil is
	// time.Now.
	Now func() time.Time
	// Spike returns the organisation file's spike block as now in
	// force; nil (or a nil block) takes the defaults.
	Spike func() *org.Spike
}

// Reports computes figures from the store. It is safe for concurrent
// use.
type Reports struct {
	st   *store.Store
	opts Options
}

// New returns Reports reading st.
func New(st *store.Store, opts Options) *Reports { return &Reports{st: st, opts: opts} }

// Location is the organisation's time zone now, UTC when none is set.
func (r *Reports) Location() *time.Location {
	if r.opts.Location != nil {
		if loc := r.opts.Location(); loc != nil {
			return loc
		}
	}
	return time.UTC
}

// now is the time by the clock of Options.
func (r *Reports) now() time.Time {
	if r.opts.Now != nil {
		return r.opts.Now()
	}
	return time.Now()
}

// ErrUnsupported says a query asks for what this build cannot answer.
var ErrUnsupported = errors.New("not supported")

// Summary computes the figures of q.
//
// Interim: the store's headline summary, without groups, filters,
// previous window, deadlines or spikes. The figures work replaces it.
func (r *Reports) Summary(ctx context.Context, q Query) (*Summary, error) {
	if q.GroupBy != GroupNone || q.Filter != (Filter{}) {
		return nil, fmt.Errorf("group_by and filters: %w", ErrUnsupported)
	}
	s, err := r.st.Summary(ctx, q.From, q.To)
	if err != nil {
		return nil, err
	}
	out := &Summary{From: s.From, To: s.To, Spikes: []Spike{}}
	out.Mentions = Mentions{Total: s.Mentions.Total, Inbound: s.Mentions.Inbound, Outbound: s.Mentions.Outbound,
		ByPlatform: s.Mentions.ByPlatform, BySentiment: s.Mentions.BySentiment, ByIntent: map[string]int64{}, ByTopic: map[string]int64{}}
	c := s.Cases
	out.Cases = Cases{Opened: c.Opened, NeedResponse: c.NeedResponse, Responded: c.Responded, ResponseRate: c.ResponseRate,
		NegativeToPositive: c.NegativeToPositive, SentimentShift: c.SentimentShift, ByPriority: c.ByPriority}
	out.Cases.FirstResponse = Durations{Count: c.Responded, MedianMinutes: c.FirstResponse.MedianMinutes,
		P90Minutes: c.FirstResponse.P90Minutes, MeanMinutes: c.FirstResponse.MeanMinutes}
	out.Ratings = Ratings{Changed: s.Ratings.Changed, Raised: s.Ratings.Raised, Lowered: s.Ratings.Lowered, ByChange: s.Ratings.ByChange}
	if out.Deadlines, _, err = r.deadlines(ctx, q); err != nil {
		return nil, err
	}
	if out.Spikes, err = r.spikes(ctx, q); err != nil {
		return nil, err
	}
	return out, nil
}

// Praise returns the week's praise to share with staff: the mentions
// starred onto the praise wall in [from, to), newest first, at most
// limit.
//
// Interim: the praise wall's newest, whatever the window.
func (r *Reports) Praise(ctx context.Context, from, to time.Time, limit int) ([]store.Praise, error) {
	return r.st.ListPraise(ctx, limit)
}
