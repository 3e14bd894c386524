package store

import "runtime"

// turns lets background work take turns on the cores the SQLite writer
// does not need. Every ingest waits for the one writer; when decoding,
// analysing, indexing and checkpointing run on every core at once, the Go
// scheduler makes the writer wait for a core too. At most GOMAXPROCS-1
// turns run at once (one on a single core), so the writer keeps a core
// to itself.
type turns chan struct{}

func newTurns() turns {
	return make(turns, max(1, runtime.GOMAXPROCS(0)-1))
}

// take waits for a turn and returns the function that ends it. A nil
// turns (PostgreSQL, whose writer is another process) never waits.
func (t turns) take() func() {
	if t == nil {
		return func() {}
	}
	t <- struct{}{}
	return func() { <-t }
}

// BackgroundTurn waits for a turn to do CPU-heavy work beside the writer
// and returns the function that ends it; hold it for a short piece of
// work (a few milliseconds), never while waiting on the writer.
func (s *Store) BackgroundTurn() func() {
	return s.turns.take()
}
