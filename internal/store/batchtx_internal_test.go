package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
)

// The ingest batch runs without SQLite's reference checks; these tests
// hold that every other write still has them, and that CheckReferences
// finds what the batch would have been refused.

func foreignKeysOn(t *testing.T, s *Store) bool {
	t.Helper()
	var on int
	// The writer pool has one connection: this is the batch's.
	if err := s.write.QueryRowContext(context.Background(), `PRAGMA foreign_keys`).Scan(&on); err != nil {
		t.Fatalf("read foreign_keys: %v", err)
	}
	return on == 1
}

func TestBatchLeavesReferenceChecksOn(t *testing.T) {
	ctx := context.Background()
	s := openSQLiteStore(t, t.TempDir())
	defer s.Close()
	if !foreignKeysOn(t, s) {
		t.Fatal("foreign keys are off on a new store")
	}
	inside := -1
	if err := s.WriteBatch(ctx, func(b *Batch) error {
		return b.tx.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&inside)
	}); err != nil {
		t.Fatal(err)
	}
	if inside != 0 {
		t.Errorf("foreign_keys inside the batch = %d, want 0", inside)
	}
	if !foreignKeysOn(t, s) {
		t.Error("foreign keys stay off after a committed batch")
	}
	failure := errors.New("refused")
	if err := s.WriteBatch(ctx, func(b *Batch) error { return failure }); !errors.Is(err, failure) {
		t.Fatalf("failed batch returned %v, want %v", err, failure)
	}
	if !foreignKeysOn(t, s) {
		t.Error("foreign keys stay off after a rolled-back batch")
	}
	// A batch that panics leaves no transaction behind either.
	func() {
		defer func() { recover() }()
		s.WriteBatch(ctx, func(b *Batch) error { panic("batch bug") })
	}()
	if !foreignKeysOn(t, s) {
		t.Error("foreign keys stay off after a batch that panicked")
	}
	addMentions(t, s, 0, 2, "after")
	// Other writes keep the check.
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO notes (case_id, author, text, created_at) VALUES (424242, 'x', 'y', '2026-01-01T00:00:00.000000Z')`)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
		t.Errorf("note on a missing case outside the batch: err = %v, want a FOREIGN KEY failure", err)
	}
}

func TestCheckReferencesFindsMissingRows(t *testing.T) {
	ctx := context.Background()
	s := openSQLiteStore(t, t.TempDir())
	defer s.Close()
	addMentions(t, s, 0, 3, "fine")
	if err := s.CheckReferences(ctx); err != nil {
		t.Fatalf("clean store: %v", err)
	}
	if err := s.WriteBatch(ctx, func(b *Batch) error {
		_, err := b.tx.ExecContext(ctx, `INSERT INTO events (case_id, type, actor, data, created_at) VALUES (424242, 'note', '', '{}', '2026-01-01T00:00:00.000000Z')`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	err := s.CheckReferences(ctx)
	if err == nil || !strings.Contains(err.Error(), "events row") || !strings.Contains(err.Error(), "missing cases row") {
		t.Fatalf("CheckReferences = %v, want the event naming a missing case", err)
	}
}
