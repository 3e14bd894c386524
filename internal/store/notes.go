package store

import (
	"context"
	"database/sql"
	"fmt"

	"earshot/internal/model"
)

// AddNote stores an internal note on a case; n.CreatedAt becomes the
// time as stored (see storedTime).
func (s *Store) AddNote(ctx context.Context, n *model.Note) error {
	n.CreatedAt = storedTime(n.CreatedAt)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, _, err := s.lockCase(ctx, tx, n.CaseID); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO notes (case_id, text, author, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			n.CaseID, n.Text, n.Author, s.ts(n.CreatedAt)).Scan(&n.ID); err != nil {
			return fmt.Errorf("insert note: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE cases SET updated_at = $2 WHERE id = $1`, n.CaseID, s.ts(n.CreatedAt)); err != nil {
			return fmt.Errorf("update case %d: %w", n.CaseID, err)
		}
		return addEvent(ctx, s, tx, model.Event{CaseID: n.CaseID, Type: model.EventNoteAdded, Actor: n.Author, CreatedAt: n.CreatedAt,
			Data: eventData(map[string]any{"note_id": n.ID})})
	})
}

func (s *Store) caseNotes(ctx context.Context, caseID int64) ([]model.Note, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, case_id, text, author, created_at FROM notes WHERE case_id = $1 ORDER BY id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("read notes of case %d: %w", caseID, err)
	}
	defer rows.Close()
	out := []model.Note{}
	for rows.Next() {
		var n model.Note
		var at dbTime
		if err := rows.Scan(&n.ID, &n.CaseID, &n.Text, &n.Author, &at); err != nil {
			return nil, fmt.Errorf("read notes of case %d: %w", caseID, err)
		}
		n.CreatedAt = at.T
		out = append(out, n)
	}
	return out, rows.Err()
}
