// Package jobs runs Earshot's durable background work: jobs stored in the
// database, in the same transaction as the change that asks for them or
// by a sweep that finds the change (alerts, replies for the outbox;
// connector polling later), claimed by
// any number of replicas without overlap, retried with exponential
// backoff and dead-lettered after their last attempt. A Runner also runs
// on every tick the periodic sweeps other packages give it (SLA timers,
// spikes, reloads); the one sweep of its own purges old finished jobs.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"earshot/internal/store"
)

// Handler does one job. A nil error completes it; an error is retried
// with backoff until the job's attempts run out, unless it is Permanent
// (dead-lettered at once) or a Defer (tried again later without counting
// an attempt).
type Handler func(ctx context.Context, j store.Job) error

// permanentError marks an error no retry can fix.
type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent marks err as one that retrying cannot fix.
func Permanent(err error) error { return permanentError{err} }

// DeferError asks for the job to run again after After without counting
// the attempt (a rate limit was reached).
type DeferError struct{ After time.Duration }

func (e DeferError) Error() string { return fmt.Sprintf("deferred for %v", e.After) }

// Sweep is periodic work a Runner does on every tick, given the time.
type Sweep func(ctx context.Context, now time.Time) error

// Options configure a Runner. Zero values take defaults.
type Options struct {
	// Worker names this runner in job leases (default host-random).
	Worker string
	// Now is the clock; tests inject one.
	Now func() time.Time
	// Poll is how often Run ticks (default 1s).
	Poll time.Duration
	// Lease is how long a claimed job is this runner's (default 2m);
	// after it, another runner may take the job again.
	Lease time.Duration
	// Batch is how many jobs one tick claims (default 20).
	Batch int
	// Backoff is the wait before attempt n+1 after n failed attempts
	// (default 15s doubling, at most 1h).
	Backoff func(n int) time.Duration
	Logger  *slog.Logger
	// Metrics counts outcomes; nil counts nothing.
	Metrics *Metrics
}

// Runner claims and runs jobs and runs sweeps.
type Runner struct {
	st       *store.Store
	opts     Options
	handlers map[string]Handler
	sweeps   []namedSweep
}

type namedSweep struct {
	name string
	f    Sweep
}

// DefaultBackoff waits 15s after the first failure, doubling up to 1h.
func DefaultBackoff(n int) time.Duration {
	d := 15 * time.Second
	for i := 1; i < n && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// New returns a Runner over st.
func New(st *store.Store, opts Options) *Runner {
	if opts.Worker == "" {
		host, _ := os.Hostname()
		var b [4]byte
		rand.Read(b[:])
		opts.Worker = host + "-" + hex.EncodeToString(b[:])
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Poll <= 0 {
		opts.Poll = time.Second
	}
	if opts.Lease <= 0 {
		opts.Lease = 2 * time.Minute
	}
	if opts.Batch <= 0 {
		opts.Batch = 20
	}
	if opts.Backoff == nil {
		opts.Backoff = DefaultBackoff
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Runner{st: st, opts: opts, handlers: map[string]Handler{}}
}

// Handle sets the handler of a job kind. Call before Run.
func (r *Runner) Handle(kind string, h Handler) { r.handlers[kind] = h }

// Every adds a sweep done on every tick. Call before Run.
func (r *Runner) Every(name string, f Sweep) { r.sweeps = append(r.sweeps, namedSweep{name, f}) }

// Run ticks until ctx ends.
func (r *Runner) Run(ctx context.Context) error {
	t := time.NewTicker(r.opts.Poll)
	defer t.Stop()
	for {
		if _, err := r.Tick(ctx); err != nil && !errors.Is(err, context.Canceled) {
			r.opts.Logger.Error("jobs tick failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Tick runs every sweep, then claims and runs due jobs until none is
// left (at most ten batches). It returns how many jobs it ran.
func (r *Runner) Tick(ctx context.Context) (int, error) {
	var errs []error
	for _, s := range r.sweeps {
		if err := s.f(ctx, r.opts.Now()); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", s.name, err))
		}
	}
	ran := 0
	for range 10 {
		now := r.opts.Now()
		jobs, err := r.st.ClaimJobs(ctx, r.opts.Worker, now, r.opts.Lease, r.opts.Batch)
		if err != nil {
			errs = append(errs, err)
			break
		}
		for _, j := range jobs {
			if err := r.run(ctx, j); err != nil {
				errs = append(errs, err)
			}
			ran++
		}
		if len(jobs) < r.opts.Batch {
			break
		}
	}
	return ran, errors.Join(errs...)
}

// run does one claimed job and records the outcome.
func (r *Runner) run(ctx context.Context, j store.Job) error {
	h, ok := r.handlers[j.Kind]
	var err error
	if !ok {
		err = Permanent(fmt.Errorf("no handler for job kind %q", j.Kind))
	} else {
		err = safeRun(ctx, h, j)
	}
	now := r.opts.Now()
	if err == nil {
		r.opts.Metrics.count(j.Kind, "done")
		return r.st.CompleteJob(ctx, j.ID, r.opts.Worker, now)
	}
	var def DeferError
	if errors.As(err, &def) {
		r.opts.Metrics.count(j.Kind, "deferred")
		return r.st.FailJob(ctx, j.ID, r.opts.Worker, err.Error(), now.Add(def.After), true, now)
	}
	var perm permanentError
	retryAt := now.Add(r.opts.Backoff(j.Attempts))
	if errors.As(err, &perm) || j.Attempts >= j.MaxAttempts {
		retryAt = time.Time{}
		r.opts.Metrics.count(j.Kind, "dead")
		r.opts.Logger.Warn("job dead-lettered", "job", j.ID, "kind", j.Kind, "attempts", j.Attempts, "err", err)
	} else {
		r.opts.Metrics.count(j.Kind, "retry")
		r.opts.Logger.Info("job failed; will retry", "job", j.ID, "kind", j.Kind, "attempt", j.Attempts, "retry_at", retryAt, "err", err)
	}
	return r.st.FailJob(ctx, j.ID, r.opts.Worker, err.Error(), retryAt, false, now)
}

// safeRun turns a handler's panic into an error, so one bad job does not
// stop the runner.
func safeRun(ctx context.Context, h Handler, j store.Job) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("job %d panicked: %v", j.ID, p)
		}
	}()
	return h(ctx, j)
}

// PurgeSweep returns a sweep that, at most once an hour, deletes jobs
// done more than keep ago. keep must outlast any event that could be
// enqueued again under the same dedupe key (alerts carry the time of
// their event in the key).
func PurgeSweep(st *store.Store, keep time.Duration) Sweep {
	var last time.Time
	return func(ctx context.Context, now time.Time) error {
		if now.Sub(last) < time.Hour {
			return nil
		}
		if _, err := st.PurgeJobs(ctx, now.Add(-keep)); err != nil {
			return err
		}
		last = now
		return nil
	}
}
