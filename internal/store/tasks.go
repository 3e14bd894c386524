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

// AddTask stores a follow-up task on a case. A non-empty assignee must be
// a user who may work cases, as for Assign (else a *FieldError), and is
// stored as the user's email is. t.CreatedAt and t.DueAt become the times
// as stored (see storedTime).
func (s *Store) AddTask(ctx context.Context, t *model.Task) error {
	t.CreatedAt = storedTime(t.CreatedAt)
	if t.DueAt != nil && !t.DueAt.IsZero() {
		due := storedTime(*t.DueAt)
		t.DueAt = &due
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, _, err := s.lockCase(ctx, tx, t.CaseID); err != nil {
			return err
		}
		if t.Assignee != "" {
			email, err := assignee(ctx, tx, "assignee", t.Assignee)
			if err != nil {
				return err
			}
			t.Assignee = email
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO tasks (case_id, title, due_at, assignee, done, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			t.CaseID, t.Title, s.tsPtr(t.DueAt), t.Assignee, t.Done, t.CreatedBy, s.ts(t.CreatedAt)).Scan(&t.ID); err != nil {
			return fmt.Errorf("insert task: %w", err)
		}
		return addEvent(ctx, s, tx, model.Event{CaseID: t.CaseID, Type: model.EventTaskAdded, Actor: t.CreatedBy, CreatedAt: t.CreatedAt,
			Data: eventData(map[string]any{"task_id": t.ID, "title": t.Title, "assignee": t.Assignee})})
	})
}

func (s *Store) caseTasks(ctx context.Context, caseID int64) ([]model.Task, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, case_id, title, due_at, assignee, done, created_by, created_at FROM tasks WHERE case_id = $1 ORDER BY id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("read tasks of case %d: %w", caseID, err)
	}
	defer rows.Close()
	out := []model.Task{}
	for rows.Next() {
		var t model.Task
		var due, at dbTime
		if err := rows.Scan(&t.ID, &t.CaseID, &t.Title, &due, &t.Assignee, &t.Done, &t.CreatedBy, &at); err != nil {
			return nil, fmt.Errorf("read tasks of case %d: %w", caseID, err)
		}
		t.DueAt, t.CreatedAt = due.ptr(), at.T
		out = append(out, t)
	}
	return out, rows.Err()
}
