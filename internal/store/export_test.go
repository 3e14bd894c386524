package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"earshot/internal/model"
)

// SeedOpenCases inserts n open cases: every thousandth has a timer due
// before now, the rest timers up to a week ahead, a tenth none.
func SeedOpenCases(ctx context.Context, s *Store, n int, now time.Time) error {
	if _, err := s.write.ExecContext(ctx, `INSERT INTO authors (platform, key, updated_at) VALUES ('x', 'bench', $1)`, s.ts(now)); err != nil {
		return err
	}
	nowMS := now.UnixMilli()
	q := `INSERT INTO cases (status, priority, prio_rank, platform, author_id, created_at, updated_at, last_activity_at, sort_due, sla_next_at)
		SELECT 'open', 'normal', 1, 'x', (SELECT id FROM authors LIMIT 1), $1, $1, $1, 0,
			CASE WHEN i % 1000 = 0 THEN $3 - (i % 7919) * 1000
			     WHEN i % 10 = 1 THEN NULL
			     ELSE $3 + 1000 + (i * 7919) % 604800000 END
		FROM (` + s.seriesQuery(2) + `) AS s`
	_, err := s.write.ExecContext(ctx, q, s.ts(now), n, nowMS)
	return err
}

// SetRareIntentLimit lets tests take both ways of the intent filter.
func SetRareIntentLimit(s *Store, n int) { s.rareIntent = n }

// SetSearchWindow lets tests page through searches with small windows.
func SetSearchWindow(s *Store, n int) { s.searchWindow = n }

// MigrateTo applies the migrations up to version only, for tests of a
// later migration.
func MigrateTo(ctx context.Context, s *Store, version int64) error {
	p, err := s.migrationProvider()
	if err != nil {
		return err
	}
	_, err = p.UpTo(ctx, version)
	return err
}

// Exec runs a statement on the writer, for tests that set up rows an
// older schema held.
func Exec(ctx context.Context, s *Store, q string, args ...any) error {
	if _, err := s.write.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("%s: %w", q, err)
	}
	return nil
}

// WriterPragma reads a pragma on the SQLite writer connection.
func WriterPragma(ctx context.Context, s *Store, name string) (int64, error) {
	var v int64
	err := s.write.QueryRowContext(ctx, "PRAGMA "+name).Scan(&v)
	return v, err
}

// HeldElsewhere reports whether another transaction holds a lock on row
// id of table ("authors" or "cases"), asking on a connection of its own
// without waiting (PostgreSQL only).
func HeldElsewhere(ctx context.Context, s *Store, table string, id int64) (bool, error) {
	q := map[string]string{
		"authors": `SELECT id FROM authors WHERE id = $1 FOR UPDATE NOWAIT`,
		"cases":   `SELECT id FROM cases WHERE id = $1 FOR UPDATE NOWAIT`,
	}[table]
	var got int64
	err := s.write.QueryRowContext(ctx, q, id).Scan(&got)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "55P03" { // lock_not_available
		return true, nil
	}
	return false, err
}

// Migrate applies every pending schema migration to a store opened with
// SkipMigrate, as Open does.
func Migrate(ctx context.Context, s *Store) error {
	unlock, err := s.lockSetUp()
	if err != nil {
		return err
	}
	defer unlock()
	return s.migrate(ctx)
}

// UpsertAuthor creates or refreshes an author on a platform and returns
// its id.
func (b *Batch) UpsertAuthor(ctx context.Context, platform string, a model.Author, now time.Time) (int64, error) {
	ids, err := b.UpsertAuthors(ctx, []AuthorRow{{Platform: platform, Author: a}}, now)
	if err != nil {
		return 0, err
	}
	return ids[0], nil
}
