package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"earshot/internal/model"
)

// ListOpenTasks returns the open tasks of assignee, soonest due first
// (tasks without a due time last).
func (s *Store) ListOpenTasks(ctx context.Context, assignee string, limit int) ([]model.Task, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, case_id, title, due_at, assignee, done, created_by, created_at FROM tasks
		WHERE assignee = $1 AND done = $2 ORDER BY CASE WHEN due_at IS NULL THEN 1 ELSE 0 END, due_at, id LIMIT $3`, assignee, false, limit)
	if err != nil {
		return nil, fmt.Errorf("list tasks: %w", err)
	}
	return scanAll(rows, "tasks", func(r *sql.Rows, t *model.Task) error {
		var due, at dbTime
		err := r.Scan(&t.ID, &t.CaseID, &t.Title, &due, &t.Assignee, &t.Done, &t.CreatedBy, &at)
		t.DueAt, t.CreatedAt = due.ptr(), at.T
		return err
	})
}

// CompleteTask marks a task of a case done and records it.
func (s *Store) CompleteTask(ctx context.Context, caseID, taskID int64, actor string, at time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, _, err := s.lockCase(ctx, tx, caseID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE tasks SET done = $3 WHERE id = $1 AND case_id = $2 AND done = $4`, taskID, caseID, true, false)
		if err != nil {
			return fmt.Errorf("complete task %d: %w", taskID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("open task %d: %w", taskID, ErrNotFound)
		}
		return addEvent(ctx, s, tx, model.Event{CaseID: caseID, Type: model.EventTaskDone, Actor: actor, CreatedAt: at,
			Data: eventData(map[string]any{"task_id": taskID})})
	})
}
