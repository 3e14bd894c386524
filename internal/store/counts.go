package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Counts are row totals, for tests, health pages and benchmarks.
type Counts struct {
	Mentions int64 `json:"mentions"`
	Cases    int64 `json:"cases"`
	Authors  int64 `json:"authors"`
}

// Count returns row totals.
func (s *Store) Count(ctx context.Context) (Counts, error) {
	var c Counts
	err := s.read.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM mentions), (SELECT COUNT(*) FROM cases), (SELECT COUNT(*) FROM authors)`).
		Scan(&c.Mentions, &c.Cases, &c.Authors)
	if err != nil {
		return c, fmt.Errorf("count rows: %w", err)
	}
	return c, nil
}

// CheckReferences reports rows that name a row that does not exist (a
// mention's case or author, an event's case, ...). PostgreSQL enforces
// every reference as rows are written; SQLite's ingest batch leaves the
// check out for speed (see inBatchTx), so this looks for what it would
// have refused.
func (s *Store) CheckReferences(ctx context.Context) error {
	if s.checksReferencesOnWrite() {
		return nil
	}
	rows, err := s.read.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return fmt.Errorf("check references: %w", err)
	}
	defer rows.Close()
	var bad []string
	n := 0
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fk int64
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return fmt.Errorf("check references: %w", err)
		}
		if n++; len(bad) < 5 {
			bad = append(bad, fmt.Sprintf("%s row %d names a missing %s row", table, rowid.Int64, parent))
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("check references: %w", err)
	}
	if n > 0 {
		return fmt.Errorf("%d rows name missing rows, among them: %s", n, strings.Join(bad, "; "))
	}
	return nil
}
