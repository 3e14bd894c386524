package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"earshot/internal/model"
)

func eventData(v any) json.RawMessage {
	b, _ := json.Marshal(v) // maps of strings always marshal
	return b
}

func (s *Store) caseEvents(ctx context.Context, caseID int64) ([]model.Event, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, case_id, type, actor, data, created_at FROM events WHERE case_id = $1 ORDER BY id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("read events of case %d: %w", caseID, err)
	}
	defer rows.Close()
	out := []model.Event{}
	for rows.Next() {
		var e model.Event
		var at dbTime
		var data []byte
		if err := rows.Scan(&e.ID, &e.CaseID, &e.Type, &e.Actor, &data, &at); err != nil {
			return nil, fmt.Errorf("read events of case %d: %w", caseID, err)
		}
		e.Data, e.CreatedAt = json.RawMessage(data), at.T
		out = append(out, e)
	}
	return out, rows.Err()
}

// addEvent appends e within tx.
func addEvent(ctx context.Context, s *Store, tx *sql.Tx, e model.Event) error {
	data := string(e.Data)
	if data == "" {
		data = "{}"
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO events (case_id, type, actor, data, created_at) VALUES ($1, $2, $3, $4, $5)`,
		e.CaseID, e.Type, e.Actor, data, s.ts(e.CreatedAt)); err != nil {
		return fmt.Errorf("add %s event to case %d: %w", e.Type, e.CaseID, err)
	}
	return nil
}

// AddEvent appends an event to a case's timeline when the batch ends.
func (b *Batch) AddEvent(e model.Event) {
	b.events = append(b.events, e)
}
