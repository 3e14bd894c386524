package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"earshot/internal/model"
)

// lockCase reads the status and first response time of a case inside a
// write transaction, failing with ErrNotFound when it does not exist.
func (s *Store) lockCase(ctx context.Context, tx *sql.Tx, id int64) (status model.Status, firstResponse dbTime, err error) {
	q := `SELECT status, first_response_at FROM cases WHERE id = $1` + s.forUpdate()
	switch err := tx.QueryRowContext(ctx, q, id).Scan(&status, &firstResponse); {
	case errors.Is(err, sql.ErrNoRows):
		return "", dbTime{}, fmt.Errorf("case %d: %w", id, ErrNotFound)
	case err != nil:
		return "", dbTime{}, fmt.Errorf("read case %d: %w", id, err)
	}
	return status, firstResponse, nil
}

// CaseChange changes a case, read and locked within a write's
// transaction, as the case's rules say (see package cases). It may change
// the status, priority, team, assignee, first response, activity and
// deadlines; the store writes them back in the same transaction.
type CaseChange func(c *model.Case) error

// UpdateCase reads case id within a write transaction, locked (FOR
// UPDATE on PostgreSQL), lets change change it and say what happened,
// and writes the case and those events back in the same transaction.
// change returning an error writes nothing.
func (s *Store) UpdateCase(ctx context.Context, id int64, change func(c *model.Case) ([]model.Event, error)) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		c, err := s.readCaseSLA(ctx, tx, id, false)
		if err != nil {
			return err
		}
		events, err := change(c)
		if err != nil {
			return err
		}
		if err := s.writeCase(ctx, tx, c); err != nil {
			return err
		}
		for _, e := range events {
			if err := addEvent(ctx, s, tx, e); err != nil {
				return err
			}
		}
		return nil
	})
}
