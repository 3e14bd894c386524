package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"earshot/internal/model"

	"github.com/jackc/pgx/v5/pgconn"
)

// On PostgreSQL several replicas write at once, each transaction at READ
// COMMITTED. An ingest batch reads the cases it changes, changes them in
// Go and writes the changed columns back, so it must hold what it read
// until it commits:
//
//   - LockAuthors locks the author rows of the batch's inbound mentions
//     before it looks for their open cases: finding an author's open case
//     or opening one is then one step, and two batches cannot both open a
//     case for the same author. Row locks, not advisory locks: an import
//     batch of 20,000 mentions names thousands of authors, and each
//     advisory lock takes a slot of the server's shared lock table
//     (max_locks_per_transaction, 64, times max_connections by default;
//     one transaction taking 20,000 failed with "out of shared memory").
//     A row lock is kept in the row itself.
//   - The batch reads the cases it may update with FOR NO KEY UPDATE:
//     its authors' open cases and the cases it answers all at once, in
//     id order (ThreadingCases), and now and then one more (CaseState).
//     The API's case actions lock the case with FOR UPDATE, so each of
//     them and a batch take turns; the SLA sweep skips a case a batch
//     holds (SKIP LOCKED) and comes back to it.
//
// Locks are taken in one order as far as the batch's reads allow
// (authors by id, then cases by id); what remains, PostgreSQL breaks as
// a deadlock, and the batch is tried again (ErrRetry). SQLite has one
// writer, which holds the database for the whole batch: none of this
// runs there.

// ErrRetry is returned (wrapped, with the server's error) when PostgreSQL
// ended a transaction to break a deadlock (SQLSTATE 40P01) or because of
// a serialization failure (40001). The transaction was rolled back
// whole; run again, it reads afresh and may succeed.
var ErrRetry = errors.New("transaction conflicted with a concurrent one; try again")

// retryable wraps err with ErrRetry when PostgreSQL gave it up for a
// deadlock or a serialization failure.
func retryable(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001") {
		return fmt.Errorf("%w: %w", ErrRetry, err)
	}
	return err
}

// Locking reports whether the batch runs beside other writers and so
// locks what it reads (PostgreSQL); the caller then says which authors
// to lock (LockAuthors). On SQLite the batch is the only writer.
func (b *Batch) Locking() bool { return b.s.rowLocks() }

// AuthorKey names an author on a platform (model.Author.Key).
type AuthorKey struct {
	Platform, Key string
}

// LockAuthors locks the stored authors among keys until the batch ends,
// in id order, so that a batch that looks for an author's open case
// and may open one does so alone. Authors not stored yet are not locked:
// the batch that inserts one holds it until it commits, and another that
// writes it waits for that (see UpsertAuthors). It does nothing on
// SQLite.
func (b *Batch) LockAuthors(ctx context.Context, keys []AuthorKey) error {
	if !b.Locking() || len(keys) == 0 {
		return nil
	}
	platforms, ks := make([]string, len(keys)), make([]string, len(keys))
	for i, k := range keys {
		platforms[i], ks[i] = k.Platform, k.Key
	}
	rows, err := b.tx.QueryContext(ctx, `SELECT a.id FROM authors a
		JOIN unnest($1::text[], $2::text[]) AS k (platform, key) ON a.platform = k.platform AND a.key = k.key
		ORDER BY a.id FOR NO KEY UPDATE OF a`, platforms, ks)
	if err != nil {
		return fmt.Errorf("lock authors: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("lock authors: %w", err)
	}
	return nil
}

// lockRead is the clause that locks the cases a batch reads to update:
// in id order, until it ends, on PostgreSQL; nothing on SQLite.
func (b *Batch) lockRead() string { return b.s.forNoKeyUpdate() }

// ThreadingCases reads, for threading, the open cases of authorIDs active
// since since (as OpenCasesForAuthors) and the cases ids names (as
// CaseStates), each once. On PostgreSQL one statement reads and locks
// them all, in id order, so that two batches never each hold some of the
// cases the other waits for; the caller holds the authors (LockAuthors),
// so that no other batch opens a case for one of them meanwhile.
func (b *Batch) ThreadingCases(ctx context.Context, authorIDs []int64, since time.Time, ids []int64) ([]*model.Case, error) {
	if !b.Locking() {
		var out []*model.Case
		if len(authorIDs) > 0 {
			var err error
			if out, err = b.OpenCasesForAuthors(ctx, authorIDs, since); err != nil {
				return nil, err
			}
		}
		if len(out) > 0 && len(ids) > 0 {
			read := make(map[int64]bool, len(out))
			for _, c := range out {
				read[c.ID] = true
			}
			ids = slices.DeleteFunc(slices.Clone(ids), func(id int64) bool { return read[id] })
		}
		if len(ids) == 0 {
			return out, nil
		}
		more, err := b.CaseStates(ctx, ids)
		return append(out, more...), err
	}
	if len(authorIDs) == 0 && len(ids) == 0 {
		return nil, nil
	}
	rows, err := b.tx.QueryContext(ctx, `SELECT `+pipelineCaseCols+` FROM cases
		WHERE id = ANY($1) OR (author_id = ANY($2) AND status IN `+openStatusesSQL()+` AND last_activity_at >= $3)
		ORDER BY id FOR NO KEY UPDATE`, ids, authorIDs, b.s.ts(since))
	if err != nil {
		return nil, fmt.Errorf("read cases: %w", err)
	}
	defer rows.Close()
	var out []*model.Case
	for rows.Next() {
		c := new(model.Case)
		if err := scanCaseState(rows, c); err != nil {
			return nil, fmt.Errorf("read cases: %w", err)
		}
		b.remember(c)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read cases: %w", err)
	}
	return out, nil
}
