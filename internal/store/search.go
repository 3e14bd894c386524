package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// searchIndex is the SQLite store's full-text index of mention text and
// authors. It lives in its own database file, search.db beside
// earshot.db, written by its own connection on its own goroutine, so
// that indexing, a fifth of the cost of storing a mention, runs beside
// the ingest writer instead of inside each of its transactions.
//
// It follows the mentions table by id. The ingest batch hands it the
// mentions it committed; what it was not handed it reads back. search.db
// records the highest mention id it has indexed in the same transaction as the index rows,
// so a crash loses nothing and a new process, or a search.db deleted by
// hand, picks up where the index stopped. On SQLite a mention's id is
// larger than that of every mention committed before it (one writer
// takes the largest id plus one), so the mentions at or below the mark
// are exactly the indexed ones. Several processes on one data directory
// share the work safely: each pass reads the mark inside search.db's
// write lock.
//
// Searches wait, briefly, for the index to reach the newest mention, so
// a mention is found as soon as it is stored.
type searchIndex struct {
	write, read *sql.DB // search.db
	src         *sql.DB // earshot.db, read only, one connection
	logger      *slog.Logger
	turns       turns

	wake chan struct{}
	// quit is closed to stop the indexer between passes. A pass is
	// never cancelled midway: database/sql would then release the
	// pass's connection only after close had returned, and SQLite,
	// closing it late, removes search.db-wal and -shm by name, though
	// by then they may belong to the next store opened on the folder.
	quit chan struct{}
	done chan struct{}

	// indexed counts the mentions this process has indexed.
	indexed atomic.Int64

	mu   sync.Mutex
	upto int64
	// moved is closed, and replaced, each time upto grows.
	moved chan struct{}
	// pending holds mentions this process committed and has not indexed
	// yet, in id order, so that the indexer need not read them back.
	// Mentions it lacks (another process's, or those dropped when it
	// grew past searchMaxPending) are read from earshot.db.
	pending    []searchRow
	maxPending int
}

// searchMaxPending bounds pending; past it the indexer reads from
// earshot.db instead.
const searchMaxPending = 50_000

// searchSchemaVersion is search.db's user_version. An index of another
// version (a changed tokenizer, say) is dropped and rebuilt.
const searchSchemaVersion = 1

// searchPassRows is how many mentions one indexing transaction takes.
const searchPassRows = 4000

// searchTurnRows is how many mentions the indexer adds in one background
// turn (see turns), about a millisecond's work.
const searchTurnRows = 64

// searchSearchWait bounds how long a search waits for the index to
// reach the newest mention before it answers from what is indexed.
const searchSearchWait = 3 * time.Second

func openSearchIndex(ctx context.Context, dir string, turns turns, logger *slog.Logger) (*searchIndex, error) {
	// The new mentions are read on a connection of their own, without a
	// memory map: mapped pages of earshot.db would count against the
	// process's memory for the whole of a long import.
	src, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "earshot.db")+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)&_pragma=cache_size(-4096)&_pragma=mmap_size(0)")
	if err != nil {
		return nil, fmt.Errorf("open search index source: %w", err)
	}
	src.SetMaxOpenConns(1)
	x, err := openSearchFile(ctx, dir, src, turns, logger)
	if err != nil {
		src.Close()
		return nil, err
	}
	return x, nil
}

func openSearchFile(ctx context.Context, dir string, src *sql.DB, turns turns, logger *slog.Logger) (*searchIndex, error) {
	path := filepath.Join(dir, "search.db")
	// Indexing appends a segment a pass and merges segments by reading
	// them in order, so an 8 MiB page cache does as well as 32 MiB (1M
	// import: 74.5 s and 73.6 s) and leaves the import 38 MB smaller.
	write, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"+
		"&_pragma=cache_size(-8192)&_pragma=mmap_size(0)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open search index %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	if err := setUpSearchSchema(ctx, write); err != nil {
		write.Close()
		return nil, err
	}
	read, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)&_pragma=cache_size(-8192)&_pragma=mmap_size(268435456)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open search index %s: %w", path, err)
	}
	read.SetMaxOpenConns(4)
	read.SetMaxIdleConns(4)
	x := &searchIndex{write: write, read: read, src: src, logger: logger, wake: make(chan struct{}, 1),
		quit: make(chan struct{}), done: make(chan struct{}), moved: make(chan struct{}), maxPending: searchMaxPending, turns: turns}
	if err := write.QueryRowContext(ctx, `SELECT upto FROM search_state`).Scan(&x.upto); err != nil {
		return nil, errors.Join(fmt.Errorf("read search index state: %w", err), write.Close(), read.Close())
	}
	go x.run(context.WithoutCancel(ctx))
	return x, nil
}

// setUpSearchSchema creates search.db's tables, rebuilding them when they
// are of another version.
func setUpSearchSchema(ctx context.Context, db *sql.DB) error {
	var version int
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return fmt.Errorf("read search index version: %w", err)
	}
	if version == searchSchemaVersion {
		return nil
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("set up search index: %w", err)
	}
	defer tx.Rollback()
	for _, q := range []string{
		`DROP TABLE IF EXISTS mentions_fts`,
		`DROP TABLE IF EXISTS search_state`,
		// Contentless: the text stays in earshot.db; rowid is mentions.id.
		`CREATE VIRTUAL TABLE mentions_fts USING fts5 (text, author, content = '', columnsize = 0, tokenize = 'unicode61 remove_diacritics 2')`,
		`CREATE TABLE search_state (one INTEGER PRIMARY KEY CHECK (one = 1), upto INTEGER NOT NULL)`,
		`INSERT INTO search_state (one, upto) VALUES (1, 0)`,
		`PRAGMA user_version = ` + strconv.Itoa(searchSchemaVersion),
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("set up search index: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("set up search index: %w", err)
	}
	return nil
}

// notify tells the indexer that mentions were committed; it never blocks.
func (x *searchIndex) notify() {
	select {
	case x.wake <- struct{}{}:
	default:
	}
}

// run indexes until quit is closed. ctx carries values only: passes run
// to their end (see quit).
func (x *searchIndex) run(ctx context.Context) {
	defer close(x.done)
	// Another process on the same data directory commits without
	// telling this one; the tick catches its mentions up.
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	failures := 0
	for {
		err := x.catchUp(ctx)
		switch {
		case x.stopping():
			return
		case err != nil:
			failures++
			if failures == 1 || failures%60 == 0 {
				x.logger.Warn("search index pass failed; retrying", "err", err, "failures", failures)
			}
		default:
			failures = 0
		}
		select {
		case <-x.quit:
			return
		case <-x.wake:
		case <-tick.C:
		}
	}
}

// stopping reports whether close has asked the indexer to stop.
func (x *searchIndex) stopping() bool {
	select {
	case <-x.quit:
		return true
	default:
		return false
	}
}

// catchUp indexes every mention committed above the mark, a pass at a
// time, until it has or close asks it to stop.
func (x *searchIndex) catchUp(ctx context.Context) error {
	for !x.stopping() {
		n, err := x.pass(ctx)
		if err != nil || n < searchPassRows {
			return err
		}
	}
	return nil
}

type searchRow struct {
	id           int64
	text, author string
}

// add hands the indexer mentions just committed.
func (x *searchIndex) add(rows []searchRow) {
	if len(rows) == 0 {
		return
	}
	x.mu.Lock()
	if len(x.pending)+len(rows) > x.maxPending {
		x.pending = nil
	} else {
		ordered := len(x.pending) == 0 || x.pending[len(x.pending)-1].id < rows[0].id
		x.pending = append(x.pending, rows...)
		if !ordered || !slices.IsSortedFunc(rows, bySearchID) {
			slices.SortFunc(x.pending, bySearchID)
		}
	}
	x.mu.Unlock()
	x.notify()
}

func bySearchID(a, b searchRow) int { return cmp.Compare(a.id, b.id) }

// next returns the next mentions to index above upto, up to
// searchPassRows of them, in id order: those read from earshot.db that
// come before the first pending one, then the pending ones whose ids
// follow on from it without a gap.
func (x *searchIndex) next(ctx context.Context, upto int64) ([]searchRow, error) {
	x.mu.Lock()
	i, _ := slices.BinarySearchFunc(x.pending, upto+1, func(r searchRow, id int64) int { return cmp.Compare(r.id, id) })
	x.pending = x.pending[i:] // indexed already, by this process or another
	var first int64
	if len(x.pending) > 0 {
		first = x.pending[0].id
	}
	x.mu.Unlock()
	var rows []searchRow
	if first != upto+1 {
		// Mentions not handed over (or a gap in the ids): read them.
		var err error
		if rows, err = x.newMentions(ctx, upto, first); err != nil {
			return nil, err
		}
		if first == 0 || len(rows) == searchPassRows {
			return rows, nil
		}
	}
	// Everything below first is in rows now. Pending mentions follow
	// while their ids run on without a gap: at a gap, another process's
	// mentions may sit, and the next pass reads them.
	x.mu.Lock()
	n := 0
	if len(x.pending) > 0 && x.pending[0].id == first {
		for n = 1; n < len(x.pending) && len(rows)+n < searchPassRows && x.pending[n].id == x.pending[n-1].id+1; n++ {
		}
	}
	rows = append(rows, x.pending[:n]...)
	x.mu.Unlock()
	return rows, nil
}

// pass indexes up to searchPassRows mentions above the mark in one
// transaction and returns how many it indexed.
func (x *searchIndex) pass(ctx context.Context) (int, error) {
	tx, err := x.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("index mentions: %w", err)
	}
	defer tx.Rollback()
	var upto int64
	if err := tx.QueryRowContext(ctx, `SELECT upto FROM search_state`).Scan(&upto); err != nil {
		return 0, fmt.Errorf("index mentions: read mark: %w", err)
	}
	rows, err := x.next(ctx, upto)
	if err != nil {
		return 0, err
	}
	if len(rows) > 0 {
		// One row a statement: FTS5 writes its pending terms out as a new
		// segment at every statement savepoint, which a multi-row insert
		// opens, so rows inserted one by one go out as one segment a pass
		// and need far less merging later.
		st, err := tx.PrepareContext(ctx, `INSERT INTO mentions_fts (rowid, text, author) VALUES (?, ?, ?)`)
		if err != nil {
			return 0, fmt.Errorf("index mentions: %w", err)
		}
		defer st.Close()
		for chunk := range slices.Chunk(rows, searchTurnRows) {
			done := x.turns.take()
			for _, r := range chunk {
				if _, err = st.ExecContext(ctx, r.id, r.text, r.author); err != nil {
					break
				}
			}
			done()
			if err != nil {
				return 0, fmt.Errorf("index mentions: %w", err)
			}
		}
		upto = rows[len(rows)-1].id
		if _, err := tx.ExecContext(ctx, `UPDATE search_state SET upto = ?`, upto); err != nil {
			return 0, fmt.Errorf("index mentions: move mark: %w", err)
		}
		if err := tx.Commit(); err != nil {
			return 0, fmt.Errorf("index mentions: %w", err)
		}
		x.indexed.Add(int64(len(rows)))
	}
	x.advance(upto)
	return len(rows), nil
}

// newMentions reads the text and author of the mentions above upto and
// below before (0 for no bound), in id order.
func (x *searchIndex) newMentions(ctx context.Context, upto, before int64) ([]searchRow, error) {
	if before == 0 {
		before = math.MaxInt64
	}
	rs, err := x.src.QueryContext(ctx, `SELECT m.id, m.text, m.author_handle || ' ' || a.name
		FROM mentions m JOIN authors a ON a.id = m.author_id WHERE m.id > ? AND m.id < ? ORDER BY m.id LIMIT ?`, upto, before, searchPassRows)
	if err != nil {
		return nil, fmt.Errorf("index mentions: read: %w", err)
	}
	defer rs.Close()
	out := make([]searchRow, 0, 64)
	for rs.Next() {
		var r searchRow
		if err := rs.Scan(&r.id, &r.text, &r.author); err != nil {
			return nil, fmt.Errorf("index mentions: read: %w", err)
		}
		out = append(out, r)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("index mentions: read: %w", err)
	}
	return out, nil
}

// advance records that the index covers the mentions up to id.
func (x *searchIndex) advance(id int64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if id > x.upto {
		x.upto = id
		close(x.moved)
		x.moved = make(chan struct{})
	}
}

// waitFor returns once the index covers the mentions up to id, or with
// ctx's error.
func (x *searchIndex) waitFor(ctx context.Context, id int64) error {
	for {
		x.mu.Lock()
		upto, moved := x.upto, x.moved
		x.mu.Unlock()
		if upto >= id {
			return nil
		}
		x.notify()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-moved:
		}
	}
}

// search returns the ids of the most recent mentions, up to limit, that
// match the full-text query and whose ids are below before (0 for no
// bound), newest first.
func (x *searchIndex) search(ctx context.Context, match string, before int64, limit int) ([]int64, error) {
	if match == "" {
		return nil, nil // no word to look for (see ftsQuery)
	}
	if before <= 0 {
		before = math.MaxInt64
	}
	return x.ids(ctx, `SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ? AND rowid < ? ORDER BY rowid DESC LIMIT ?`, match, before, limit)
}

// between returns the ids of the mentions matching the full-text query
// from lo up to, not including, hi, in order.
func (x *searchIndex) between(ctx context.Context, match string, lo, hi int64) ([]int64, error) {
	if match == "" {
		return nil, nil
	}
	return x.ids(ctx, `SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ? AND rowid >= ? AND rowid < ? ORDER BY rowid`, match, lo, hi)
}

func (x *searchIndex) ids(ctx context.Context, q string, args ...any) ([]int64, error) {
	return queryIDs(ctx, x.read, q, args...)
}

// queryIDs runs q, whose rows are one integer each, and returns them.
func queryIDs(ctx context.Context, db *sql.DB, q string, args ...any) ([]int64, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("search mentions: %w", err)
	}
	var ids []int64
	err = scanRows(rows, func() error {
		var id int64
		err := rows.Scan(&id)
		ids = append(ids, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("search mentions: %w", err)
	}
	return ids, nil
}

// close stops the indexer after its current pass; the next process to
// open the store indexes the rest.
func (x *searchIndex) close() error {
	close(x.quit)
	<-x.done
	return errors.Join(closeDB(x.write, "search index writer"), closeDB(x.read, "search index readers"), closeDB(x.src, "search index source"))
}

// SyncSearch waits until every mention stored so far can be found by
// search. On PostgreSQL, whose index is part of the mentions table, it
// returns at once.
func (s *Store) SyncSearch(ctx context.Context) error {
	if s.search == nil {
		return nil
	}
	var newest int64
	if err := s.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM mentions`).Scan(&newest); err != nil {
		return fmt.Errorf("sync search index: %w", err)
	}
	if err := s.search.waitFor(ctx, newest); err != nil {
		return fmt.Errorf("sync search index: %w", err)
	}
	return nil
}

// syncForSearch waits, up to searchSearchWait, for the index to reach
// the newest mention, so that a search finds a mention as soon as it is
// stored; past that it answers from what is indexed.
func (s *Store) syncForSearch(ctx context.Context) error {
	wait, cancel := context.WithTimeout(ctx, searchSearchWait)
	err := s.SyncSearch(wait)
	cancel()
	if err != nil && ctx.Err() != nil {
		return err
	}
	return nil
}

// scanRows calls scan for each row of rows and closes them.
func scanRows(rows *sql.Rows, scan func() error) error {
	defer rows.Close()
	for rows.Next() {
		if err := scan(); err != nil {
			return err
		}
	}
	return rows.Err()
}
