package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"earshot/internal/model"
)

// lockCase reads the status and first response time of a case inside a
// write transaction, failing with ErrNotFound when it does not exist.
func (s *Store) lockCase(ctx context.Context, tx *sql.Tx, id int64) (status string, firstResponse dbTime, err error) {
	q := `SELECT status, first_response_at FROM cases WHERE id = $1`
	if s.engine == Postgres {
		q += ` FOR UPDATE`
	}
	switch err := tx.QueryRowContext(ctx, q, id).Scan(&status, &firstResponse); {
	case errors.Is(err, sql.ErrNoRows):
		return "", dbTime{}, fmt.Errorf("case %d: %w", id, ErrNotFound)
	case err != nil:
		return "", dbTime{}, fmt.Errorf("read case %d: %w", id, err)
	}
	return status, firstResponse, nil
}

func eventData(v any) json.RawMessage {
	b, _ := json.Marshal(v) // maps of strings always marshal
	return b
}

// AddReply stores an agent's reply as queued for delivery, records it in
// the timeline and counts it as the case's first response when it is one.
// r.CreatedAt becomes the time as stored (see storedTime).
func (s *Store) AddReply(ctx context.Context, r *model.Reply) error {
	r.CreatedAt = storedTime(r.CreatedAt)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		status, first, err := s.lockCase(ctx, tx, r.CaseID)
		if err != nil {
			return err
		}
		if r.State == "" {
			r.State = model.ReplyQueued
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO replies (case_id, text, visibility, template, author, state, created_at, override_reason)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			r.CaseID, r.Text, r.Visibility, r.Template, r.Author, r.State, s.ts(r.CreatedAt), r.OverrideReason).Scan(&r.ID); err != nil {
			return fmt.Errorf("insert reply: %w", err)
		}
		data := map[string]any{"reply_id": r.ID, "visibility": r.Visibility, "state": r.State}
		if r.OverrideReason != "" {
			data["override_reason"] = r.OverrideReason
		}
		if r.State == model.ReplyAwaitingApproval {
			// Not a response until a supervisor lets it go.
			return addEvent(ctx, s, tx, model.Event{CaseID: r.CaseID, Type: model.EventReplied, Actor: r.Author, CreatedAt: r.CreatedAt, Data: eventData(data)})
		}
		newStatus := status
		if status == model.StatusNew {
			newStatus = model.StatusOpen
		}
		if !first.Valid {
			var due int64
			if due, err = s.repliedSortDue(ctx, tx, r.CaseID, r.CreatedAt, newStatus); err == nil {
				_, err = tx.ExecContext(ctx, `UPDATE cases SET first_response_at = $2, sort_due = $3, status = $4, updated_at = $5, last_activity_at = $5 WHERE id = $1`,
					r.CaseID, s.ts(r.CreatedAt), due, newStatus, s.ts(r.CreatedAt))
			}
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE cases SET status = $2, updated_at = $3, last_activity_at = $3 WHERE id = $1`,
				r.CaseID, newStatus, s.ts(r.CreatedAt))
		}
		if err != nil {
			return fmt.Errorf("update case %d: %w", r.CaseID, err)
		}
		// Deadlines are recomputed on every reply: the first and next
		// responses are met.
		if err := s.applySLAHook(ctx, tx, r.CaseID, func(h SLAHook, c *model.Case) { h.Replied(c, r.CreatedAt) }); err != nil {
			return err
		}
		return addEvent(ctx, s, tx, model.Event{CaseID: r.CaseID, Type: model.EventReplied, Actor: r.Author, CreatedAt: r.CreatedAt, Data: eventData(data)})
	})
}

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

// Assignment is a hand-off of a case to a team, site and person. Nil
// fields stay as they are; an empty string clears.
type Assignment struct {
	Team, Site, Assignee *string
}

// Assign changes who handles a case and records the change. The team and
// site must exist and the assignee must be a user who may work cases
// (found by email, without regard to case, and stored as the user's
// email is); otherwise it fails with a *FieldError (ErrInvalid).
func (s *Store) Assign(ctx context.Context, caseID int64, a Assignment, actor string, at time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, _, err := s.lockCase(ctx, tx, caseID); err != nil {
			return err
		}
		if err := checkAssignment(ctx, tx, &a); err != nil {
			return err
		}
		var team, site, assignee string
		if err := tx.QueryRowContext(ctx, `SELECT team, site, assignee FROM cases WHERE id = $1`, caseID).Scan(&team, &site, &assignee); err != nil {
			return fmt.Errorf("read case %d: %w", caseID, err)
		}
		data := map[string]any{}
		set := func(cur *string, v *string, key string) {
			if v != nil && *v != *cur {
				data[key] = map[string]string{"from": *cur, "to": *v}
				*cur = *v
			}
		}
		set(&team, a.Team, "team")
		set(&site, a.Site, "site")
		set(&assignee, a.Assignee, "assignee")
		if len(data) == 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE cases SET team = $2, site = $3, assignee = $4, updated_at = $5 WHERE id = $1`,
			caseID, team, site, assignee, s.ts(at)); err != nil {
			return fmt.Errorf("assign case %d: %w", caseID, err)
		}
		return addEvent(ctx, s, tx, model.Event{CaseID: caseID, Type: model.EventAssigned, Actor: actor, CreatedAt: at, Data: eventData(data)})
	})
}

// ValidStatus reports whether st is a case status an agent may set.
func ValidStatus(st string) bool {
	switch st {
	case model.StatusOpen, model.StatusPending, model.StatusResolved, model.StatusClosed:
		return true
	}
	return false
}

// SetStatus changes a case's status and records the change.
func (s *Store) SetStatus(ctx context.Context, caseID int64, status, actor string, at time.Time) error {
	if !ValidStatus(status) {
		return fmt.Errorf("status %q: %w", status, ErrConflict)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		cur, _, err := s.lockCase(ctx, tx, caseID)
		if err != nil {
			return err
		}
		if cur == status {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE cases SET status = $2, updated_at = $3 WHERE id = $1`, caseID, status, s.ts(at)); err != nil {
			return fmt.Errorf("set status of case %d: %w", caseID, err)
		}
		// Pending pauses deadlines, leaving it resumes them, resolving
		// stops them.
		if err := s.applySLAHook(ctx, tx, caseID, func(h SLAHook, c *model.Case) { h.StatusChanged(c, cur, status, at) }); err != nil {
			return err
		}
		return addEvent(ctx, s, tx, model.Event{CaseID: caseID, Type: model.EventStatusChanged, Actor: actor, CreatedAt: at,
			Data: eventData(map[string]string{"from": cur, "to": status})})
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

// Reply returns one reply of a case.
func (s *Store) Reply(ctx context.Context, caseID, replyID int64) (model.Reply, error) {
	var r model.Reply
	var at dbTime
	err := s.read.QueryRowContext(ctx, `SELECT id, case_id, text, visibility, template, author, state, created_at, override_reason FROM replies WHERE id = $1 AND case_id = $2`,
		replyID, caseID).Scan(&r.ID, &r.CaseID, &r.Text, &r.Visibility, &r.Template, &r.Author, &r.State, &at, &r.OverrideReason)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("reply %d of case %d: %w", replyID, caseID, ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("read reply %d of case %d: %w", replyID, caseID, err)
	}
	r.CreatedAt = at.T
	return r, nil
}

func (s *Store) caseReplies(ctx context.Context, caseID int64) ([]model.Reply, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, case_id, text, visibility, template, author, state, created_at, override_reason FROM replies WHERE case_id = $1 ORDER BY id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("read replies of case %d: %w", caseID, err)
	}
	defer rows.Close()
	out := []model.Reply{}
	for rows.Next() {
		var r model.Reply
		var at dbTime
		if err := rows.Scan(&r.ID, &r.CaseID, &r.Text, &r.Visibility, &r.Template, &r.Author, &r.State, &at, &r.OverrideReason); err != nil {
			return nil, fmt.Errorf("read replies of case %d: %w", caseID, err)
		}
		r.CreatedAt = at.T
		out = append(out, r)
	}
	return out, rows.Err()
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
