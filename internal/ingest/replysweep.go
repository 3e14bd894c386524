package ingest

import (
	"context"
	"errors"
	"time"

	"earshot/internal/store"
)

// ReplyLinkSweep returns a jobs sweep that, at most once every interval, links
// the replies of ours that were stored before the mention they answer
// and that the ingest batch storing it could not see (a PostgreSQL
// transaction of another replica at the same moment; replies stored
// before Earshot linked them). While a pass links limit replies, the
// backlog of an older store, the next tick goes on at once. Linking
// takes the reply only if it still has no case, so replicas sweeping
// together link each reply once.
func (p *Pipeline) ReplyLinkSweep(interval time.Duration, limit int) func(ctx context.Context, now time.Time) error {
	if limit <= 0 {
		limit = 500
	}
	var last time.Time
	more := false
	return func(ctx context.Context, now time.Time) error {
		if !more && !last.IsZero() && now.Sub(last) < interval {
			return nil
		}
		n, err := p.LinkWaitingReplies(ctx, limit)
		if errors.Is(err, store.ErrRace) {
			// Another replica is linking the same replies: go on at
			// the next tick.
			more = true
			return nil
		}
		if err != nil {
			return err
		}
		last, more = now, n >= limit
		return nil
	}
}
