package report

import (
	"context"
	"errors"
	"fmt"
	"time"

	"earshot/internal/route"
	"earshot/internal/store"
)

// Options configure Reports.
type Options struct {
	// Location returns the organisation's time zone as now in force;
	// nil is UTC.
	Location func() *time.Location
	// Router returns the organisation's router as now in force, whose
	// team calendars count business time; nil counts wall-clock time.
	Router func() *route.Router
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

// ErrUnsupported says a query asks for what this build cannot answer.
var ErrUnsupported = errors.New("not supported")

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

// Praise returns the week's praise to share with staff: the mentions
// starred onto the praise wall in [from, to), newest first, at most
// limit.
//
// Interim: the praise wall's newest, whatever the window.
func (r *Reports) Praise(ctx context.Context, from, to time.Time, limit int) ([]store.Praise, error) {
	return r.st.ListPraise(ctx, limit)
}
