package report

import (
	"errors"
	"sync"
	"time"

	"earshot/internal/org"
	"earshot/internal/redact"
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
	// Redact masks the health information in the praise's text; nil
	// builds the default policy when praise is first asked for.
	Redact *redact.Policy
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

// now is the time by the clock of Options.
func (r *Reports) now() time.Time {
	if r.opts.Now != nil {
		return r.opts.Now()
	}
	return time.Now()
}

// ErrUnsupported says a query asks for what this build cannot answer.
var ErrUnsupported = errors.New("not supported")
