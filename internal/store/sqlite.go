package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"earshot/internal/store/ftsindex"
)

// The SQLite store's machinery: its connections, the checkpointer that
// keeps the write-ahead log off the writer's path (checkpoint.go), and
// the full-text index of mention text and authors (package ftsindex) in
// search.db beside earshot.db.

func openSQLite(dir string) (*Store, error) {
	if dir == "" {
		dir = "earshot-data"
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	path := filepath.Join(dir, "earshot.db")
	// A 64 MiB page cache keeps a whole ingest batch's dirty pages in
	// memory until commit; without it SQLite spills to the WAL mid-batch.
	// The checkpointer (see checkpoint.go) copies the log into the
	// database file on its own connection. The writer reads through that
	// cache and the kernel's, not a memory map: mapped pages would count
	// against the process's memory for the whole of a long import.
	base := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
		"&_pragma=cache_size(-65536)&_pragma=temp_store(memory)&_pragma=wal_autocheckpoint(" + strconv.Itoa(walBackstopPages) + ")" +
		"&_pragma=journal_size_limit(" + strconv.Itoa(walSizeLimit) + ")&_pragma=mmap_size(0)&_txlock=immediate"
	write, err := sql.Open("sqlite", base)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	read, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=query_only(1)&_pragma=cache_size(-16384)&_pragma=mmap_size(268435456)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	n := max(4, runtime.GOMAXPROCS(0)*2)
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	return &Store{engine: SQLite, dir: dir, write: write, read: read, rareIntent: -1}, nil
}

// startSQLiteBackground starts the checkpointer and the full-text index.
func (s *Store) startSQLiteBackground(ctx context.Context) error {
	dsn := "file:" + filepath.Join(s.dir, "earshot.db") + "?_pragma=busy_timeout(10000)&_pragma=cache_size(-2048)&_pragma=mmap_size(0)"
	s.turns = newTurns()
	c, err := startCheckpointer(dsn, 50*time.Millisecond, s.turns)
	if err != nil {
		return err
	}
	s.ckpt = c
	x, err := openSearch(ctx, s.dir, s.turns, s.logger)
	if err != nil {
		return err
	}
	s.search = x
	return nil
}

// sqliteSearch is the SQLite store's full-text index with the handles
// it runs on. The index is derived: it follows the mentions table (see
// ftsindex), a deleted or damaged search.db is rebuilt from earshot.db,
// and searches wait, briefly, for it to reach the newest mention, so a
// mention is found as soon as it is stored.
type sqliteSearch struct {
	*ftsindex.Index
	write, read *sql.DB // search.db
	src         *sql.DB // earshot.db, read only, one connection
}

// searchWait bounds how long a search waits for the index to reach the
// newest mention before it answers from what is indexed.
const searchWait = 3 * time.Second

// openSearch opens search.db in dir and starts indexing the mentions of
// earshot.db in dir into it.
func openSearch(ctx context.Context, dir string, turns turns, logger *slog.Logger) (*sqliteSearch, error) {
	// The new mentions are read on a connection of their own, without a
	// memory map: mapped pages of earshot.db would count against the
	// process's memory for the whole of a long import.
	src, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "earshot.db")+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)&_pragma=cache_size(-4096)&_pragma=mmap_size(0)")
	if err != nil {
		return nil, fmt.Errorf("open search index source: %w", err)
	}
	src.SetMaxOpenConns(1)
	path := filepath.Join(dir, "search.db")
	// Indexing appends a segment a pass and merges segments by reading
	// them in order, so an 8 MiB page cache does as well as 32 MiB (1M
	// import: 74.5 s and 73.6 s) and leaves the import 38 MB smaller.
	write, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"+
		"&_pragma=cache_size(-8192)&_pragma=mmap_size(0)&_txlock=immediate")
	if err != nil {
		src.Close()
		return nil, fmt.Errorf("open search index %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	read, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)&_pragma=cache_size(-8192)&_pragma=mmap_size(268435456)")
	if err != nil {
		return nil, errors.Join(fmt.Errorf("open search index %s: %w", path, err), write.Close(), src.Close())
	}
	read.SetMaxOpenConns(4)
	read.SetMaxIdleConns(4)
	x := &sqliteSearch{write: write, read: read, src: src}
	x.Index, err = ftsindex.Open(ctx, ftsindex.Options{Write: write, Read: read, Source: mentionSource(src), Edits: editSource(src),
		Turn: turns.take, Logger: logger})
	if err != nil {
		return nil, errors.Join(err, x.closeDBs())
	}
	return x, nil
}

// mentionSource reads the text and author of mentions from src for the
// full-text index.
func mentionSource(src *sql.DB) ftsindex.Source {
	return func(ctx context.Context, after, before int64, limit int) ([]ftsindex.Row, error) {
		if before == 0 {
			before = math.MaxInt64
		}
		rs, err := src.QueryContext(ctx, `SELECT m.id, m.text, m.author_handle || ' ' || a.name
			FROM mentions m JOIN authors a ON a.id = m.author_id WHERE m.id > ? AND m.id < ? ORDER BY m.id LIMIT ?`, after, before, limit)
		if err != nil {
			return nil, err
		}
		defer rs.Close()
		out := make([]ftsindex.Row, 0, 64)
		for rs.Next() {
			var r ftsindex.Row
			if err := rs.Scan(&r.ID, &r.Text, &r.Author); err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		return out, rs.Err()
	}
}

// editSource reads the edited mentions, by edit number (search_edit,
// see EditMention), from src for the full-text index.
func editSource(src *sql.DB) ftsindex.EditSource {
	return func(ctx context.Context, after int64, limit int) ([]ftsindex.Edit, error) {
		rs, err := src.QueryContext(ctx, `SELECT m.search_edit, m.id, m.text, m.author_handle || ' ' || a.name
			FROM mentions m JOIN authors a ON a.id = m.author_id WHERE m.search_edit > ? ORDER BY m.search_edit LIMIT ?`, after, limit)
		if err != nil {
			return nil, err
		}
		defer rs.Close()
		var out []ftsindex.Edit
		for rs.Next() {
			var e ftsindex.Edit
			if err := rs.Scan(&e.Seq, &e.ID, &e.Text, &e.Author); err != nil {
				return nil, err
			}
			out = append(out, e)
		}
		return out, rs.Err()
	}
}

// close stops the indexer after its current pass and closes its
// handles; the next process to open the store indexes the rest.
func (x *sqliteSearch) close() error {
	x.Stop()
	return x.closeDBs()
}

func (x *sqliteSearch) closeDBs() error {
	return errors.Join(closeDB(x.write, "search index writer"), closeDB(x.read, "search index readers"), closeDB(x.src, "search index source"))
}
