package ftsindex

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	_ "modernc.org/sqlite" // SQLite driver "sqlite"
)

// source is a SQLite file of mentions that the index under test follows,
// as the store's earshot.db is.
type source struct {
	db   *sql.DB
	next int64
}

func newSource(t *testing.T, dir string) *source {
	t.Helper()
	db := openDB(t, filepath.Join(dir, "mentions.db"), 1)
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS mentions (id INTEGER PRIMARY KEY, text TEXT NOT NULL, author TEXT NOT NULL, edit INTEGER UNIQUE)`); err != nil {
		t.Fatal(err)
	}
	src := &source{db: db}
	if err := db.QueryRow(`SELECT COALESCE(MAX(id), 0) FROM mentions`).Scan(&src.next); err != nil {
		t.Fatal(err)
	}
	return src
}

// add stores n mentions whose text carries word and returns them.
func (s *source) add(t *testing.T, n int, word string) []Row {
	t.Helper()
	rows := make([]Row, n)
	for i := range rows {
		s.next++
		rows[i] = Row{ID: s.next, Text: "my claim was " + word + " " + strconv.FormatInt(s.next, 10), Author: "member Pat Doe"}
		if _, err := s.db.Exec(`INSERT INTO mentions (id, text, author) VALUES (?, ?, ?)`, rows[i].ID, rows[i].Text, rows[i].Author); err != nil {
			t.Fatal(err)
		}
	}
	return rows
}

// read is the Source of the index: the mentions between after and before.
func (s *source) read(ctx context.Context, after, before int64, limit int) ([]Row, error) {
	if before == 0 {
		before = 1 << 62
	}
	rs, err := s.db.QueryContext(ctx, `SELECT id, text, author FROM mentions WHERE id > ? AND id < ? ORDER BY id LIMIT ?`, after, before, limit)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var out []Row
	for rs.Next() {
		var r Row
		if err := rs.Scan(&r.ID, &r.Text, &r.Author); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rs.Err()
}

func openDB(t testing.TB, path string, conns int) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(conns)
	t.Cleanup(func() { db.Close() })
	return db
}

// openIndex opens the index in dir over src, stopped when t ends.
func openIndex(t *testing.T, dir string, src *source, maxPending int) *Index {
	t.Helper()
	path := filepath.Join(dir, "search.db")
	x, err := Open(context.Background(), Options{Write: openDB(t, path, 1), Read: openDB(t, path, 4), Source: src.read, Edits: src.edits, MaxPending: maxPending})
	if err != nil {
		t.Fatalf("open index: %v", err)
	}
	t.Cleanup(x.Stop)
	return x
}

// found waits for the index to reach upto and returns the ids it finds
// for q, newest first.
func found(t *testing.T, x *Index, upto int64, q string) []int64 {
	t.Helper()
	ctx := context.Background()
	if err := x.WaitFor(ctx, upto); err != nil {
		t.Fatal(err)
	}
	ids, err := x.Search(ctx, q, 0, 1_000_000)
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	return ids
}

func TestIndexFindsWhatItWasHandedAndWhatItRead(t *testing.T) {
	dir := t.TempDir()
	src := newSource(t, dir)
	x := openIndex(t, dir, src, 0)
	src.add(t, 20, "denied") // not handed: read from the source
	x.Add(src.add(t, 30, "pending"))
	if got := found(t, x, src.next, "denied"); len(got) != 20 || got[0] != 20 || got[19] != 1 {
		t.Errorf("search for denied found %v, want 20 to 1", got)
	}
	if got := found(t, x, src.next, "PENDING claim"); len(got) != 30 || got[0] != 50 {
		t.Errorf("search for pending found %v, want 50 to 21", got)
	}
	if got := found(t, x, src.next, "approved"); len(got) != 0 {
		t.Errorf("search for an absent word found %v", got)
	}
	if got := found(t, x, src.next, "!!"); got != nil {
		t.Errorf("search with no word found %v, want nothing", got)
	}
	ctx := context.Background()
	if got, err := x.Search(ctx, "claim", 11, 3); err != nil || !slices.Equal(got, []int64{10, 9, 8}) {
		t.Errorf("three matches below 11: %v, %v; want [10 9 8]", got, err)
	}
	if got, err := x.Between(ctx, "denied", 15, 25); err != nil || !slices.Equal(got, []int64{15, 16, 17, 18, 19, 20}) {
		t.Errorf("matches of denied from 15 below 25: %v, %v; want 15 to 20", got, err)
	}
	if n := x.Indexed(); n != 50 {
		t.Errorf("indexed %d mentions, want 50 (each once)", n)
	}
}

// TestIndexResumesWhereItStopped reopens an index: it indexes only the
// mentions stored since, and one of another version is rebuilt whole.
func TestIndexResumesWhereItStopped(t *testing.T) {
	dir := t.TempDir()
	src := newSource(t, dir)
	x := openIndex(t, dir, src, 0)
	x.Add(src.add(t, 300, "denied"))
	found(t, x, src.next, "denied")
	x.Stop()

	x = openIndex(t, dir, src, 0)
	src.add(t, 200, "pending")
	if got := len(found(t, x, src.next, "claim")); got != 500 {
		t.Errorf("after restart search found %d mentions, want 500", got)
	}
	if n := x.Indexed(); n != 200 {
		t.Errorf("after restart %d mentions were indexed, want only the 200 new ones", n)
	}
	x.Stop()

	db := openDB(t, filepath.Join(dir, "search.db"), 1)
	if _, err := db.Exec(`PRAGMA user_version = 99`); err != nil {
		t.Fatal(err)
	}
	x = openIndex(t, dir, src, 0)
	if got := len(found(t, x, src.next, "claim")); got != 500 {
		t.Errorf("rebuilt index found %d mentions, want 500", got)
	}
	if n := x.Indexed(); n != 500 {
		t.Errorf("rebuild indexed %d mentions, want 500", n)
	}
}

// TestIndexReadsWhatItWasNotHanded fills the indexer's queue past its
// bound, so that it drops what it was handed and reads the mentions back
// from the source instead.
func TestIndexReadsWhatItWasNotHanded(t *testing.T) {
	dir := t.TempDir()
	src := newSource(t, dir)
	x := openIndex(t, dir, src, 100)
	x.Add(src.add(t, 50, "denied"))
	x.Add(src.add(t, 300, "denied"))
	x.Add(src.add(t, 50, "denied"))
	if got := len(found(t, x, src.next, "denied")); got != 400 {
		t.Errorf("search found %d mentions, want 400", got)
	}
	if n := x.Indexed(); n != 400 {
		t.Errorf("%d mentions indexed, want 400 (each once)", n)
	}
}

// TestIndexReadsAnotherProcessesMentionsBetweenItsOwn hands the indexer
// mentions 1-10 and 21-30 as if another process had stored 11-20 in
// between: it must index 1-10, then read 11-20 before it takes 21-30.
func TestIndexReadsAnotherProcessesMentionsBetweenItsOwn(t *testing.T) {
	src := newSource(t, t.TempDir())
	var own []Row
	for _, r := range src.add(t, 30, "denied") {
		if r.ID <= 10 || r.ID > 20 {
			own = append(own, Row{ID: r.ID, Text: "t"})
		}
	}
	// A bare indexer, not running, to drive by hand.
	x := newIndex(Options{Source: src.read})
	x.pending = own
	ctx := context.Background()
	upto := int64(0)
	var got []int64
	for range 5 {
		rows, err := x.next(ctx, upto)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) == 0 {
			break
		}
		for _, r := range rows {
			got = append(got, r.ID)
		}
		upto = rows[len(rows)-1].ID
	}
	if len(got) != 30 {
		t.Fatalf("indexed ids %v, want 1 to 30 each once", got)
	}
	for i, id := range got {
		if id != int64(i+1) {
			t.Fatalf("indexed ids %v, want 1 to 30 in order", got)
		}
	}
}

// TestIndexRetriesAFailedRead keeps indexing after its source fails: the
// mentions are indexed once the source answers again.
func TestIndexRetriesAFailedRead(t *testing.T) {
	dir := t.TempDir()
	src := newSource(t, dir)
	fail := make(chan bool, 1)
	fail <- true
	path := filepath.Join(dir, "search.db")
	x, err := Open(context.Background(), Options{Write: openDB(t, path, 1), Read: openDB(t, path, 4),
		Source: func(ctx context.Context, after, before int64, limit int) ([]Row, error) {
			select {
			case <-fail:
				return nil, errors.New("source unavailable")
			default:
				return src.read(ctx, after, before, limit)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Stop()
	src.add(t, 10, "denied")
	x.Notify()
	if got := len(found(t, x, src.next, "denied")); got != 10 {
		t.Errorf("search found %d mentions after a failed read, want 10", got)
	}
}
