package store

import (
	"context"
	"database/sql"
	"fmt"
)

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
	if err := s.search.WaitFor(ctx, newest); err != nil {
		return fmt.Errorf("sync search index: %w", err)
	}
	return nil
}

// syncForSearch waits, up to searchWait, for the index to reach the
// newest mention, so that a search finds a mention as soon as it is
// stored; past that it answers from what is indexed.
func (s *Store) syncForSearch(ctx context.Context) error {
	wait, cancel := context.WithTimeout(ctx, searchWait)
	err := s.SyncSearch(wait)
	cancel()
	if err != nil && ctx.Err() != nil {
		return err
	}
	return nil
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
