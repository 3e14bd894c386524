package ingest

import (
	"context"
	"sync"

	"earshot/internal/model"
)

// maxGroup bounds how many mentions one grouped transaction takes,
// unless the first batch in it asks for another bound.
const maxGroup = 4000

// groupCommit lets concurrent Store calls share write transactions. The
// store has one writer; while it writes one caller's batch, the batches
// that arrive queue up, and the next transaction takes them all. Fewer,
// larger transactions write each changed page once for many mentions.
//
// There is no goroutine of its own: the first caller to find no write
// under way leads, writing groups until the queue is empty, and the
// others wait for their results.
type groupCommit struct {
	mu      sync.Mutex
	queue   []*storeReq
	leading bool
}

type storeReq struct {
	ms      []*model.Mention
	limit   int // bound on the group this batch leads
	results []Result
	err     error
	done    chan struct{}
}

// do stores ms, possibly in one transaction with other callers' batches
// (at most limit mentions when ms comes first), through write, which
// stores a list of mentions in one transaction.
// Once queued, a batch is written even if ctx ends; do then returns
// early with ctx's error.
func (g *groupCommit) do(ctx context.Context, ms []*model.Mention, limit int, write func(context.Context, []*model.Mention) ([]Result, error)) ([]Result, error) {
	req := &storeReq{ms: ms, limit: limit, done: make(chan struct{})}
	g.mu.Lock()
	g.queue = append(g.queue, req)
	lead := !g.leading
	g.leading = true
	g.mu.Unlock()
	if lead {
		g.lead(context.WithoutCancel(ctx), write)
	}
	select {
	case <-req.done:
		return req.results, req.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// lead writes queued groups until the queue is empty.
func (g *groupCommit) lead(ctx context.Context, write func(context.Context, []*model.Mention) ([]Result, error)) {
	for {
		g.mu.Lock()
		if len(g.queue) == 0 {
			g.leading = false
			g.mu.Unlock()
			return
		}
		n, size, limit := 0, 0, g.queue[0].limit
		for n < len(g.queue) && (n == 0 || size+len(g.queue[n].ms) <= limit) {
			size += len(g.queue[n].ms)
			n++
		}
		group := g.queue[:n:n]
		g.queue = g.queue[n:]
		g.mu.Unlock()

		all := group[0].ms
		if len(group) > 1 {
			all = make([]*model.Mention, 0, size)
			for _, r := range group {
				all = append(all, r.ms...)
			}
		}
		results, err := write(ctx, all)
		for _, r := range group {
			if err != nil {
				r.err = err
			} else {
				r.results, results = results[:len(r.ms):len(r.ms)], results[len(r.ms):]
			}
			close(r.done)
		}
	}
}
