package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
)

// inSQLiteBatchTx is inBatchTx on SQLite. It spares the one writer two
// costs of inTx:
//
//   - It begins and commits by hand on the writer's connection, under a
//     context that is never cancelled. A *sql.Tx gives every query a
//     goroutine that watches the transaction's context, woken at the
//     query's end. In an import of 300,000 mentions the writer waited
//     4.2 s of 29 s for a core, 1.7 s of it after those wake-ups. The
//     batch is not cut short when the caller's context ends anyway: it
//     may carry other callers' mentions (see ingest's group commit),
//     and what was accepted is stored.
//   - It turns SQLite's reference checks off for the transaction (they
//     are back on for every other write). The batch names only authors
//     and cases it wrote or read in the same transaction, and nothing
//     deletes those; the checks cost a lookup in the parent table for
//     each reference, about 5% of the writer's work. PostgreSQL keeps
//     them, and CheckReferences, which every test store runs when its
//     test ends, finds a row the checks would have refused.
func (s *Store) inSQLiteBatchTx(ctx context.Context, fn func(tx dbtx) error) error {
	ctx = context.WithoutCancel(ctx)
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	clean := false // outside a transaction, with its reference checks on
	defer func() {
		if !clean {
			// A failure, or a panic in fn, may have left the connection
			// inside the transaction or without its checks: database/sql
			// closes it, which rolls back, instead of handing it back.
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		conn.Close()
	}()
	checksOn := func() {
		_, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = ON`)
		clean = err == nil
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		checksOn()
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(conn); err != nil {
		if _, rerr := conn.ExecContext(ctx, `ROLLBACK`); rerr != nil {
			return errors.Join(err, fmt.Errorf("roll back: %w", rerr))
		}
		checksOn()
		return err
	}
	if _, err := conn.ExecContext(ctx, `COMMIT`); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	checksOn()
	s.committed()
	return nil
}
