package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
)

// dbtx is what runs a write transaction's statements: a *sql.Tx, or the
// *sql.Conn of a transaction begun by hand (see inBatchTx).
type dbtx interface {
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// inBatchTx is inTx for the ingest batch, the one writer's main work. On
// SQLite it spares that writer two costs:
//
//   - It begins and commits by hand on the writer's connection, under a
//     context that is never cancelled. A *sql.Tx gives every query a
//     goroutine that watches the transaction's context, woken at the
//     query's end. In an import of 300,000 mentions the writer waited
//     4.2 s of 29 s for a core, 1.7 s of it after those wake-ups. The batch is not cut short when the caller's
//     context ends anyway: it may carry other callers' mentions (see
//     ingest's group commit), and what was accepted is stored.
//   - It turns SQLite's reference checks off for the transaction (they
//     are back on for every other write). The batch names only authors
//     and cases it wrote or read in the same transaction, and nothing
//     deletes those; the checks cost a lookup in the parent table for
//     each reference, about 5% of the writer's work. PostgreSQL keeps
//     them, and CheckReferences, which every test store runs when its
//     test ends, finds a row the checks would have refused.
func (s *Store) inBatchTx(ctx context.Context, fn func(tx dbtx) error) error {
	if s.engine != SQLite {
		return s.inTx(ctx, func(tx *sql.Tx) error { return fn(tx) })
	}
	ctx = context.WithoutCancel(ctx)
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer conn.Close()
	// discard makes database/sql close the connection instead of
	// handing it back, when it may be left inside a transaction or
	// without its reference checks.
	discard := func() { conn.Raw(func(any) error { return driver.ErrBadConn }) }
	if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		if _, ferr := conn.ExecContext(ctx, `PRAGMA foreign_keys = ON`); ferr != nil {
			discard()
		}
		return fmt.Errorf("begin: %w", err)
	}
	end := func(q string) error {
		_, err := conn.ExecContext(ctx, q)
		if err != nil && q == `COMMIT` {
			// A failed commit can leave the transaction open.
			if _, rerr := conn.ExecContext(ctx, `ROLLBACK`); rerr != nil && !strings.Contains(rerr.Error(), "no transaction is active") {
				err = errors.Join(err, rerr)
			}
		}
		if err == nil {
			_, err = conn.ExecContext(ctx, `PRAGMA foreign_keys = ON`)
		}
		if err != nil {
			discard()
		}
		return err
	}
	if err := fn(conn); err != nil {
		if rerr := end(`ROLLBACK`); rerr != nil {
			err = errors.Join(err, fmt.Errorf("roll back: %w", rerr))
		}
		return err
	}
	if err := end(`COMMIT`); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	s.committed()
	return nil
}
