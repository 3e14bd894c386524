package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"earshot/internal/model"
)

// The search index is SQLite's alone (PostgreSQL indexes the mentions
// table itself), so these tests open a SQLite store whatever engine the
// rest of the suite runs on.

func openSQLiteStore(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open(context.Background(), Config{DataDir: dir})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	return s
}

// addMentions stores n mentions, each in its own case, whose text
// carries word.
func addMentions(t *testing.T, s *Store, from, n int, word string) {
	t.Helper()
	ctx := context.Background()
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	err := s.WriteBatch(ctx, func(b *Batch) error {
		for i := from; i < from+n; i++ {
			ext := strconv.Itoa(i)
			a := model.Author{ID: "a" + ext, Handle: "member" + ext, Name: "Pat Doe"}
			aid, err := b.UpsertAuthor(ctx, "x", a, at)
			if err != nil {
				return err
			}
			c := &model.Case{Status: model.StatusNew, Priority: model.PriorityNormal, Platform: "x", AuthorID: aid,
				CreatedAt: at, UpdatedAt: at, LastActivityAt: at, MentionCount: 1}
			if err := b.InsertCase(ctx, c); err != nil {
				return err
			}
			m := &model.Mention{Platform: "x", ExternalID: ext, Kind: "post", Direction: "inbound",
				Text: "my claim was " + word + " " + ext, CreatedAt: at, ReceivedAt: at, Author: a}
			if err := b.InsertMention(ctx, m, aid, c.ID, []byte(`{}`)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("store mentions: %v", err)
	}
}

func searchCount(t *testing.T, s *Store, q string) int {
	t.Helper()
	n, err := s.CountCases(context.Background(), CaseFilter{Q: q}, 1_000_000)
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	return n
}

func indexedRows(t *testing.T, s *Store) (rows int, upto int64) {
	t.Helper()
	ctx := context.Background()
	if err := s.search.read.QueryRowContext(ctx, `SELECT count(*) FROM mentions_fts WHERE mentions_fts MATCH 'claim'`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if err := s.search.read.QueryRowContext(ctx, `SELECT upto FROM search_state`).Scan(&upto); err != nil {
		t.Fatal(err)
	}
	return rows, upto
}

// TestSearchFindsWhatWasJustStored checks read-your-writes: a search
// right after a commit finds the new mentions, by text and by author.
func TestSearchFindsWhatWasJustStored(t *testing.T) {
	s := openSQLiteStore(t, t.TempDir())
	defer s.Close()
	for round := range 5 {
		addMentions(t, s, round*10, 10, "denied")
		if got, want := searchCount(t, s, "denied"), (round+1)*10; got != want {
			t.Fatalf("round %d: search found %d cases, want %d", round, got, want)
		}
	}
	if got := searchCount(t, s, "member7"); got != 1 {
		t.Errorf("search by author handle found %d cases, want 1", got)
	}
	if got := searchCount(t, s, "approved"); got != 0 {
		t.Errorf("search for an absent word found %d cases", got)
	}
}

// TestSearchIndexResumesAndRebuilds checks that the index survives a
// restart without indexing anything twice, and that a deleted search.db
// is rebuilt from the mentions.
func TestSearchIndexResumesAndRebuilds(t *testing.T) {
	dir := t.TempDir()
	s := openSQLiteStore(t, dir)
	addMentions(t, s, 0, 300, "denied")
	if err := s.SyncSearch(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openSQLiteStore(t, dir)
	addMentions(t, s, 300, 200, "pending")
	if got := searchCount(t, s, "denied") + searchCount(t, s, "pending"); got != 500 {
		t.Errorf("after restart search found %d cases, want 500", got)
	}
	if rows, upto := indexedRows(t, s); rows != 500 || upto != 500 {
		t.Errorf("index holds %d rows up to mention %d, want 500 up to 500", rows, upto)
	}
	if n := s.search.Indexed(); n != 200 {
		t.Errorf("after restart %d mentions were indexed, want only the 200 new ones", n)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	for _, f := range []string{"search.db", "search.db-wal", "search.db-shm"} {
		if err := os.Remove(filepath.Join(dir, f)); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	s = openSQLiteStore(t, dir)
	defer s.Close()
	if got := searchCount(t, s, "denied"); got != 300 {
		t.Errorf("rebuilt index found %d cases for denied, want 300", got)
	}
	if rows, _ := indexedRows(t, s); rows != 500 {
		t.Errorf("rebuilt index holds %d rows, want 500", rows)
	}
	if n := s.search.Indexed(); n != 500 {
		t.Errorf("rebuild indexed %d mentions, want 500", n)
	}
}

// TestCloseLeavesNoConnectionOpen closes stores while the indexer is in
// the middle of its passes. Every connection must have closed by the time
// Close returns: SQLite, closing one later, would remove search.db-wal by
// name, and by then the name may be the log of the store opened next on
// the folder (a search then failed with "disk I/O error").
func TestCloseLeavesNoConnectionOpen(t *testing.T) {
	const n = 8000
	for round := range 8 {
		dir := t.TempDir()
		s := openSQLiteStore(t, dir)
		addMentions(t, s, 0, n, "denied")
		// Land the close at different points of the indexer's passes.
		time.Sleep(time.Duration(round) * 5 * time.Millisecond)
		pools := map[string]*sql.DB{"writer": s.write, "readers": s.read, "checkpointer": s.ckpt.db,
			"search writer": s.search.write, "search readers": s.search.read, "search source": s.search.src}
		if err := s.Close(); err != nil {
			t.Fatalf("round %d: close: %v", round, err)
		}
		for name, db := range pools {
			if open := db.Stats().OpenConnections; open != 0 {
				t.Errorf("round %d: %s still has %d connections open after Close", round, name, open)
			}
		}
		for _, f := range []string{"search.db", "search.db-wal", "search.db-shm"} {
			if err := os.Remove(filepath.Join(dir, f)); err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
		}
		s = openSQLiteStore(t, dir)
		if got := searchCount(t, s, "denied"); got != SearchWindow {
			t.Errorf("round %d: search of the rebuilt index found %d cases, want %d", round, got, SearchWindow)
		}
		if err := s.SyncSearch(context.Background()); err != nil {
			t.Fatal(err)
		}
		if rows, _ := indexedRows(t, s); rows != n {
			t.Errorf("round %d: rebuilt index holds %d rows, want %d", round, rows, n)
		}
		if err := s.Close(); err != nil {
			t.Fatalf("round %d: close: %v", round, err)
		}
	}
}

// TestSearchIndexSharedByTwoProcesses opens the same data directory twice,
// as serve and import do, writes through both and checks that each
// mention is indexed once.
func TestSearchIndexSharedByTwoProcesses(t *testing.T) {
	dir := t.TempDir()
	a := openSQLiteStore(t, dir)
	defer a.Close()
	b := openSQLiteStore(t, dir)
	defer b.Close()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 10 {
			addMentions(t, b, 10_000+i*50, 50, "billing")
		}
	}()
	for i := range 10 {
		addMentions(t, a, i*50, 50, "billing")
	}
	<-done
	// a hears of b's commits only from its tick; its search waits for it.
	if got := searchCount(t, a, "billing"); got != 1000 {
		t.Errorf("search found %d cases, want 1000", got)
	}
	if err := b.SyncSearch(context.Background()); err != nil {
		t.Fatal(err)
	}
	if rows, _ := indexedRows(t, a); rows != 1000 {
		t.Errorf("index holds %d rows, want 1000", rows)
	}
	if n := a.search.Indexed() + b.search.Indexed(); n != 1000 {
		t.Errorf("the two processes indexed %d mentions between them, want 1000 (each once)", n)
	}
}
