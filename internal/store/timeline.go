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

func eventData(v any) json.RawMessage {
	b, _ := json.Marshal(v) // maps of strings always marshal
	return b
}

// CaseChange changes a case, read and locked within a write's
// transaction, as the case's rules say (see package cases). It may change
// the status, priority, team, assignee, first response, activity and
// deadlines; the store writes them back in the same transaction.
type CaseChange func(c *model.Case) error

// AddReply stores an agent's reply (queued for delivery unless r.State
// says otherwise) and records it in the timeline. When change is not nil
// the case is read, locked, changed by it and written back in the same
// transaction: a reply that counts as a response moves the case on.
// r.CreatedAt becomes the time as stored (see storedTime).
func (s *Store) AddReply(ctx context.Context, r *model.Reply, change CaseChange) error {
	r.CreatedAt = storedTime(r.CreatedAt)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var c *model.Case
		var err error
		if change != nil {
			c, err = s.readCaseSLA(ctx, tx, r.CaseID, false)
		} else {
			_, _, err = s.lockCase(ctx, tx, r.CaseID)
		}
		if err != nil {
			return err
		}
		if r.State == "" {
			r.State = model.ReplyQueued
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO replies (case_id, text, visibility, template, author, state, created_at, override_reason)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			r.CaseID, r.Text, string(r.Visibility), r.Template, r.Author, string(r.State), s.ts(r.CreatedAt), r.OverrideReason).Scan(&r.ID); err != nil {
			return fmt.Errorf("insert reply: %w", err)
		}
		data := map[string]any{"reply_id": r.ID, "visibility": r.Visibility, "state": r.State}
		if r.OverrideReason != "" {
			data["override_reason"] = r.OverrideReason
		}
		if c != nil {
			if err := change(c); err != nil {
				return err
			}
			if err := s.writeCase(ctx, tx, c); err != nil {
				return err
			}
		}
		return addEvent(ctx, s, tx, model.Event{CaseID: r.CaseID, Type: model.EventReplied, Actor: r.Author, CreatedAt: r.CreatedAt, Data: eventData(data)})
	})
}

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
