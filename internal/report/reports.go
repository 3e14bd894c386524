package report

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"earshot/internal/redact"
	"earshot/internal/store"
)

// Options configure Reports.
type Options struct {
	// Location returns the organisation's time zone as now in force;
	// nil is UTC.
	Location func() *time.Location
	// Redact masks the health information in the praise's text; nil
	// builds the default policy when praise is first asked for.
	Redact *redact.Policy
}

// Reports computes figures from the store. It is safe for concurrent
// use.
type Reports struct {
	st     *store.Store
	opts   Options
	redact func() *redact.Policy
}

// New returns Reports reading st.
func New(st *store.Store, opts Options) *Reports {
	r := &Reports{st: st, opts: opts}
	r.redact = sync.OnceValue(func() *redact.Policy {
		if opts.Redact != nil {
			return opts.Redact
		}
		return redact.New(nil, nil)
	})
	return r
}

// Location is the organisation's time zone now, UTC when none is set.
func (r *Reports) Location() *time.Location {
	if r.opts.Location != nil {
		if loc := r.opts.Location(); loc != nil {
			return loc
		}
	}
	return time.UTC
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

// Metrics are the metrics Series knows, in the order forms offer them.
func Metrics() []string {
	return []string{"mentions", "inbound", "outbound", "sentiment", "negative_share", "cases_opened",
		"responded", "response_rate", "first_response_median", "first_response_p90"}
}

// Series computes one metric over time.
//
// Interim: the figures work implements it.
func (r *Reports) Series(ctx context.Context, q SeriesQuery) (*Series, error) {
	return nil, fmt.Errorf("series %q: %w", q.Metric, ErrUnsupported)
}
