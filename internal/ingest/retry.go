package ingest

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"earshot/internal/store"
)

// maxAttempts bounds how often one batch is tried.
const maxAttempts = 8

// retryable reports whether a batch that failed with err may succeed
// when tried again, reading afresh: another writer stored one of its
// mentions or linked one of its replies first (store.ErrRace), or
// PostgreSQL gave its transaction up to break a deadlock with another
// replica's (store.ErrRetry). Either way the transaction was rolled
// back whole, so trying again stores nothing twice, even for a batch
// that group commit made of several callers' mentions.
func retryable(err error) bool {
	return errors.Is(err, store.ErrRace) || errors.Is(err, store.ErrRetry)
}

// retry runs try, which stores one batch in one transaction, until it
// succeeds, fails for good, or has failed maxAttempts times, and returns
// its last error. Between tries it waits a short random while, so that
// batches that collided do not collide again in step.
func (p *Pipeline) retry(ctx context.Context, try func() error) error {
	for attempt := 1; ; attempt++ {
		err := try()
		if err == nil || attempt == maxAttempts || !retryable(err) {
			return err
		}
		p.opts.Metrics.retried()
		p.opts.Logger.Debug("ingest batch tried again", "attempt", attempt, "err", err)
		wait := time.NewTimer(backoff(attempt))
		select {
		case <-wait.C:
		case <-ctx.Done():
			wait.Stop()
			return errors.Join(err, ctx.Err())
		}
	}
}

// backoff is the wait after the attempt-th failed try: half of
// 2^attempt ms (at most 100 ms), plus up to as much again at random.
func backoff(attempt int) time.Duration {
	d := min(time.Millisecond<<attempt, 100*time.Millisecond)
	return d/2 + rand.N(d/2+1)
}
