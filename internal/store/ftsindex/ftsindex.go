// Package ftsindex is a SQLite FTS5 full-text index of mention text and
// authors, kept in a database of its own and filled beside the writer of
// the mentions rather than inside its transactions. It knows the mentions
// only as rows handed to it (Add) or read through the Source its owner
// gives it; its owner opens and closes the database handles.
//
// It follows the mentions by id. Its database records the highest mention
// id it has indexed in the same transaction as the index rows, so a crash
// loses nothing and a new process, or a database deleted by hand, picks up
// where the index stopped. The owner must give each mention an id larger
// than that of every mention committed before it (SQLite's one writer
// takes the largest id plus one), so that the mentions at or below the
// mark are exactly the indexed ones. Several processes on one index share
// the work safely: each pass reads the mark inside the index's write lock.
//
// It follows edits the same way, by a second mark: the owner gives each
// edit of a mention's text a sequence number larger than every one
// committed before it, in the same transaction as the edit, and the index
// replaces the text of the edited mentions up to that mark (see Edits).
package ftsindex

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Row is one mention to index: its id, its text and its author's words
// (handle and name).
type Row struct {
	ID           int64
	Text, Author string
}

// Source reads the mentions above after and below before (0 for no
// bound), in id order, at most limit of them.
type Source func(ctx context.Context, after, before int64, limit int) ([]Row, error)

// Options are what an Index needs besides its database.
type Options struct {
	// Write takes the index's writes (one connection); Read serves
	// searches. Both are handles on the index's own SQLite database,
	// opened and closed by the caller (after Stop).
	Write, Read *sql.DB
	// Source reads the mentions the index was not handed.
	Source Source
	// Edits reads the mentions edited since a mark; nil when the
	// mentions are never edited.
	Edits EditSource
	// Turn, when set, waits for a turn to do CPU-heavy work and returns
	// the function that ends it (see store.Store.BackgroundTurn).
	Turn func() (done func())
	// Logger hears of failed passes; nil discards.
	Logger *slog.Logger
	// MaxPending bounds the mentions handed over and not yet indexed;
	// past it the index reads them from Source. 0 means 50,000.
	MaxPending int
}

// Index is the full-text index. Its methods are safe for concurrent use.
type Index struct {
	write, read *sql.DB
	source      Source
	edits       EditSource
	logger      *slog.Logger
	turn        func() func()

	wake chan struct{}
	// quit is closed to stop the indexer between passes. A pass is
	// never cancelled midway: database/sql would then release the
	// pass's connection only after Stop had returned, and SQLite,
	// closing it late, removes the index's -wal and -shm files by name,
	// though by then they may belong to the next index opened on them.
	quit chan struct{}
	done chan struct{}

	// indexed counts the mentions this process has indexed.
	indexed atomic.Int64

	mu   sync.Mutex
	upto int64
	// edited is the sequence number of the last edit indexed.
	edited int64
	// moved is closed, and replaced, each time upto or edited grows.
	moved chan struct{}
	// pending holds mentions handed over and not indexed yet, in id
	// order, so that the indexer need not read them back. Mentions it
	// lacks (another process's, or those dropped when it grew past
	// maxPending) are read from source.
	pending    []Row
	maxPending int
}

// defaultMaxPending is Options.MaxPending when left 0.
const defaultMaxPending = 50_000

// schemaVersion is the index database's user_version. An index of
// another version (a changed tokenizer, say) is dropped and rebuilt.
// Version 2 lets rows be deleted (contentless_delete), which needs the
// column sizes kept (columnsize 1), so that edits replace a mention's words.
const schemaVersion = 2

// passRows is how many mentions one indexing transaction takes.
const passRows = 4000

// turnRows is how many mentions the indexer adds in one turn (see
// Options.Turn), about a millisecond's work.
const turnRows = 64

// Open sets up the index's tables in o.Write's database (rebuilding
// them when they are of another version or missing) and starts the
// indexer, which runs until Stop. ctx carries values only past Open.
func Open(ctx context.Context, o Options) (*Index, error) {
	if err := setUpSchema(ctx, o.Write); err != nil {
		return nil, err
	}
	x := newIndex(o)
	if err := o.Write.QueryRowContext(ctx, `SELECT upto, edited FROM search_state`).Scan(&x.upto, &x.edited); err != nil {
		return nil, fmt.Errorf("read search index state: %w", err)
	}
	go x.run(context.WithoutCancel(ctx))
	return x, nil
}

// newIndex is an Index over o that is not running.
func newIndex(o Options) *Index {
	x := &Index{write: o.Write, read: o.Read, source: o.Source, edits: o.Edits, logger: o.Logger, turn: o.Turn, wake: make(chan struct{}, 1),
		quit: make(chan struct{}), done: make(chan struct{}), moved: make(chan struct{}), maxPending: o.MaxPending}
	if x.logger == nil {
		x.logger = slog.New(slog.DiscardHandler)
	}
	if x.turn == nil {
		x.turn = func() func() { return func() {} }
	}
	if x.maxPending <= 0 {
		x.maxPending = defaultMaxPending
	}
	return x
}

// setUpSchema creates the index's tables, rebuilding them when they are
// of another version.
func setUpSchema(ctx context.Context, db *sql.DB) error {
	var version int
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return fmt.Errorf("read search index version: %w", err)
	}
	if version == schemaVersion {
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
		// Contentless: the text stays with the mentions; rowid is their id.
		// contentless_delete lets an edited mention's row be deleted
		// without its old text (https://sqlite.org/fts5.html#contentless_delete_tables).
		`CREATE VIRTUAL TABLE mentions_fts USING fts5 (text, author, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2')`,
		// upto: the highest mention id indexed; edited: the sequence
		// number of the last edit indexed.
		`CREATE TABLE search_state (one INTEGER PRIMARY KEY CHECK (one = 1), upto INTEGER NOT NULL, edited INTEGER NOT NULL)`,
		`INSERT INTO search_state (one, upto, edited) VALUES (1, 0, 0)`,
		`PRAGMA user_version = ` + strconv.Itoa(schemaVersion),
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

// Notify tells the indexer that mentions were committed; it never
// blocks.
func (x *Index) Notify() {
	select {
	case x.wake <- struct{}{}:
	default:
	}
}

// Indexed returns how many mentions this Index has indexed since Open.
func (x *Index) Indexed() int64 { return x.indexed.Load() }

// run indexes until quit is closed. ctx carries values only: passes run
// to their end (see quit).
func (x *Index) run(ctx context.Context) {
	defer close(x.done)
	// Another process on the same index commits without telling this
	// one; the tick catches its mentions up.
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

// stopping reports whether Stop has asked the indexer to stop.
func (x *Index) stopping() bool {
	select {
	case <-x.quit:
		return true
	default:
		return false
	}
}

// catchUp indexes every mention committed above the mark, a pass at a
// time, then the edits committed since, until it has or Stop asks it to
// stop.
func (x *Index) catchUp(ctx context.Context) error {
	for !x.stopping() {
		n, err := x.pass(ctx)
		if err != nil {
			return err
		}
		if n < passRows {
			break
		}
	}
	for !x.stopping() {
		n, err := x.editPass(ctx)
		if err != nil || n < passRows {
			return err
		}
	}
	return nil
}

// Add hands the indexer mentions just committed.
func (x *Index) Add(rows []Row) {
	if len(rows) == 0 {
		return
	}
	x.mu.Lock()
	if len(x.pending)+len(rows) > x.maxPending {
		x.pending = nil
	} else {
		ordered := len(x.pending) == 0 || x.pending[len(x.pending)-1].ID < rows[0].ID
		x.pending = append(x.pending, rows...)
		if !ordered || !slices.IsSortedFunc(rows, byID) {
			slices.SortFunc(x.pending, byID)
		}
	}
	x.mu.Unlock()
	x.Notify()
}

func byID(a, b Row) int { return cmp.Compare(a.ID, b.ID) }

// next returns the next mentions to index above upto, up to passRows of
// them, in id order: those read from the source that come before the
// first pending one, then the pending ones whose ids follow on from it
// without a gap.
func (x *Index) next(ctx context.Context, upto int64) ([]Row, error) {
	x.mu.Lock()
	i, _ := slices.BinarySearchFunc(x.pending, upto+1, func(r Row, id int64) int { return cmp.Compare(r.ID, id) })
	x.pending = x.pending[i:] // indexed already, by this process or another
	var first int64
	if len(x.pending) > 0 {
		first = x.pending[0].ID
	}
	x.mu.Unlock()
	var rows []Row
	if first != upto+1 {
		// Mentions not handed over (or a gap in the ids): read them.
		var err error
		if rows, err = x.source(ctx, upto, first, passRows); err != nil {
			return nil, fmt.Errorf("index mentions: read: %w", err)
		}
		if first == 0 || len(rows) == passRows {
			return rows, nil
		}
	}
	// Everything below first is in rows now. Pending mentions follow
	// while their ids run on without a gap: at a gap, another process's
	// mentions may sit, and the next pass reads them.
	x.mu.Lock()
	n := 0
	if len(x.pending) > 0 && x.pending[0].ID == first {
		for n = 1; n < len(x.pending) && len(rows)+n < passRows && x.pending[n].ID == x.pending[n-1].ID+1; n++ {
		}
	}
	rows = append(rows, x.pending[:n]...)
	x.mu.Unlock()
	return rows, nil
}

// pass indexes up to passRows mentions above the mark in one transaction
// and returns how many it indexed.
func (x *Index) pass(ctx context.Context) (int, error) {
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
		for chunk := range slices.Chunk(rows, turnRows) {
			done := x.turn()
			for _, r := range chunk {
				if _, err = st.ExecContext(ctx, r.ID, r.Text, r.Author); err != nil {
					break
				}
			}
			done()
			if err != nil {
				return 0, fmt.Errorf("index mentions: %w", err)
			}
		}
		upto = rows[len(rows)-1].ID
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

// advance records that the index covers the mentions up to id.
func (x *Index) advance(id int64) { x.raise(&x.upto, id) }

// raise moves the mark (x.upto or x.edited) up to v, if v is past it,
// and wakes those waiting on the index.
func (x *Index) raise(mark *int64, v int64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if v > *mark {
		*mark = v
		close(x.moved)
		x.moved = make(chan struct{})
	}
}

// WaitFor returns once the index covers the mentions up to id, or with
// ctx's error.
func (x *Index) WaitFor(ctx context.Context, id int64) error {
	return x.wait(ctx, func() bool { return x.upto >= id })
}

// wait returns once reached, called under x.mu, reports true, or with
// ctx's error.
func (x *Index) wait(ctx context.Context, reached func() bool) error {
	for {
		x.mu.Lock()
		done, moved := reached(), x.moved
		x.mu.Unlock()
		if done {
			return nil
		}
		x.Notify()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-moved:
		}
	}
}

// Search returns the ids of the most recent mentions, up to limit, that
// have every word of the free text q and whose ids are below before (0
// for no bound), newest first.
func (x *Index) Search(ctx context.Context, q string, before int64, limit int) ([]int64, error) {
	match := Query(q)
	if match == "" {
		return nil, nil // no word to look for
	}
	if before <= 0 {
		before = math.MaxInt64
	}
	return x.ids(ctx, `SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ? AND rowid < ? ORDER BY rowid DESC LIMIT ?`, match, before, limit)
}

// Between returns the ids of the mentions that have every word of the
// free text q from lo up to, not including, hi, in order.
func (x *Index) Between(ctx context.Context, q string, lo, hi int64) ([]int64, error) {
	match := Query(q)
	if match == "" {
		return nil, nil
	}
	return x.ids(ctx, `SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ? AND rowid >= ? AND rowid < ? ORDER BY rowid`, match, lo, hi)
}

func (x *Index) ids(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := x.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("search mentions: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("search mentions: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search mentions: %w", err)
	}
	return ids, nil
}

// Stop stops the indexer after its current pass; the next process to
// open the index indexes the rest. The caller closes the handles after.
func (x *Index) Stop() {
	select {
	case <-x.quit:
	default:
		close(x.quit)
	}
	<-x.done
}
