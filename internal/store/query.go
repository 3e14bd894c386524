package store

import (
	"context"
	"database/sql"
	"fmt"
)

// What the package's statements run on, and the helpers that read their
// rows.

// dbtx is what runs a write transaction's statements: a *sql.Tx, or the
// *sql.Conn of a transaction begun by hand (see inBatchTx).
type dbtx interface {
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// execer is a write pool or a transaction.
type execer interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
}

// querier is what reference checks read through: the read pool or a
// write transaction.
type querier interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
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

// scanAll reads every row into a slice, closing rows.
func scanAll[T any](rows *sql.Rows, what string, scan func(*sql.Rows, *T) error) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := scan(rows, &v); err != nil {
			return nil, fmt.Errorf("read %s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	return out, nil
}

// put runs the write q on the writer, naming what it stores in its error.
func (s *Store) put(ctx context.Context, what, q string, args ...any) error {
	if _, err := s.write.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("store %s: %w", what, err)
	}
	return nil
}
