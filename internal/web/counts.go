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
// seconds. A count that takes longer than countBudget is not shown.
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
// cache when it is recent enough.
func (s *Server) viewCount(ctx context.Context, f store.CaseFilter) (int, error) {
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
			return e.n, nil
		}
	}
	cctx, cancel := context.WithTimeout(ctx, countBudget)
	defer cancel()
	n, err := s.cfg.Store.CountCases(cctx, f, viewCountCap)
	if err != nil {
		if cctx.Err() != nil && ctx.Err() == nil {
			return 0, errCountSkipped
		}
		return 0, err
	}
	c.mu.Lock()
	if len(c.entries) >= countEntries {
		clear(c.entries)
	}
	c.entries[f] = countEntry{n: n, at: now, seq: seq}
	c.mu.Unlock()
	return n, nil
}
