package web

import (
	"context"
	"errors"
	"sync"
	"time"

	"earshot/internal/store"
)

// How the inbox's view counts are cached per process: a count is reused
// while nothing has been published on the live broker since it was taken
// (for up to countQuiet), and whatever happens for countFresh, so that a
// stream of new mentions costs at most one count per view every few
// seconds. The counts of one page share countBudget; those that do not
// finish in it are not shown (and not retried until the cache would
// recount them).
const (
	countFresh  = 3 * time.Second
	countQuiet  = time.Minute
	countBudget = 150 * time.Millisecond
	// countEntries bounds the cache; it is emptied when full.
	countEntries = 10_000
)

type countEntry struct {
	n   int
	at  time.Time
	seq int64
}

// countCache holds recent view counts by filter.
type countCache struct {
	mu      sync.Mutex
	entries map[store.CaseFilter]countEntry
}

func newCountCache() *countCache { return &countCache{entries: map[store.CaseFilter]countEntry{}} }

// errCountSkipped reports a count that ran out of its time budget.
var errCountSkipped = errors.New("count took too long")

// viewCount returns how many cases match f, up to viewCountCap, from the
// cache when it is recent enough. budget is the page's counting deadline
// (derived from ctx); errCountSkipped means it ran out.
func (s *Server) viewCount(ctx, budget context.Context, f store.CaseFilter) (int, error) {
	now := s.cfg.Now()
	var seq int64
	if s.cfg.Broker != nil {
		seq = s.cfg.Broker.Seq()
	}
	c := s.counts
	c.mu.Lock()
	e, ok := c.entries[f]
	c.mu.Unlock()
	if ok {
		age := now.Sub(e.at)
		if age >= 0 && (age < countFresh || (s.cfg.Broker != nil && e.seq == seq && age < countQuiet)) {
			if e.n < 0 {
				return 0, errCountSkipped
			}
			return e.n, nil
		}
	}
	n, err := -1, budget.Err()
	if err == nil {
		n, err = s.cfg.Store.CountCases(budget, f, viewCountCap)
	}
	if err != nil {
		if budget.Err() == nil || ctx.Err() != nil {
			return 0, err
		}
		n, err = -1, errCountSkipped
	}
	c.mu.Lock()
	if len(c.entries) >= countEntries {
		clear(c.entries)
	}
	c.entries[f] = countEntry{n: n, at: now, seq: seq}
	c.mu.Unlock()
	return max(n, 0), err
}
