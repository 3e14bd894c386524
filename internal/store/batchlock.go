package store

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
)

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
// must take care of what it reads and the order it locks rows in
// (PostgreSQL). On SQLite the batch is the only writer.
func (b *Batch) Locking() bool { return b.s.engine == Postgres }
