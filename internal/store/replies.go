package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"earshot/internal/model"
)

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

// ErrOwnReply is returned (wrapped) when someone tries to approve a held
// reply they wrote: approval needs a second person.
var ErrOwnReply = errors.New("a reply needs another supervisor's approval than its author's")

// ApproveReply moves a reply awaiting approval to the outbox queue and
// records who approved it; change (the case's rules for a response) moves
// the case on in the same transaction. The reply's author cannot approve
// it (ErrOwnReply).
func (s *Store) ApproveReply(ctx context.Context, caseID, replyID int64, actor string, at time.Time, change CaseChange) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		c, err := s.readCaseSLA(ctx, tx, caseID, false)
		if err != nil {
			return err
		}
		var state model.ReplyState
		var author string
		err = tx.QueryRowContext(ctx, `SELECT state, author FROM replies WHERE id = $1 AND case_id = $2`, replyID, caseID).Scan(&state, &author)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && state != model.ReplyAwaitingApproval) {
			return fmt.Errorf("reply %d awaiting approval: %w", replyID, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("read reply %d: %w", replyID, err)
		}
		if model.SamePerson(author, actor) {
			return fmt.Errorf("reply %d was written by %s: %w", replyID, actor, ErrOwnReply)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE replies SET state = $2 WHERE id = $1`, replyID, string(model.ReplyQueued)); err != nil {
			return fmt.Errorf("approve reply %d: %w", replyID, err)
		}
		if change != nil {
			if err := change(c); err != nil {
				return err
			}
			if err := s.writeCase(ctx, tx, c); err != nil {
				return err
			}
		}
		return addEvent(ctx, s, tx, model.Event{CaseID: caseID, Type: model.EventReplyApproved, Actor: actor, CreatedAt: at,
			Data: eventData(map[string]any{"reply_id": replyID})})
	})
}

// RejectReply refuses a reply awaiting approval, with the supervisor's
// reason recorded in the case's timeline. The reply never leaves.
func (s *Store) RejectReply(ctx context.Context, caseID, replyID int64, actor, reason string, at time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, _, err := s.lockCase(ctx, tx, caseID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE replies SET state = $3 WHERE id = $1 AND case_id = $2 AND state = $4`,
			replyID, caseID, string(model.ReplyRejected), string(model.ReplyAwaitingApproval))
		if err != nil {
			return fmt.Errorf("reject reply %d: %w", replyID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("reply %d awaiting approval: %w", replyID, ErrNotFound)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE cases SET updated_at = $2 WHERE id = $1`, caseID, s.ts(at)); err != nil {
			return fmt.Errorf("update case %d: %w", caseID, err)
		}
		return addEvent(ctx, s, tx, model.Event{CaseID: caseID, Type: model.EventReplyRejected, Actor: actor, CreatedAt: at,
			Data: eventData(map[string]any{"reply_id": replyID, "reason": reason})})
	})
}

// HeldReply is a reply awaiting approval with what a supervisor needs to
// judge it at a glance.
type HeldReply struct {
	model.Reply
	CasePriority model.Priority
	CaseSummary  string
	Platform     string
	AuthorHandle string
}

// ListHeldReplies returns replies awaiting approval, oldest first (they
// have waited longest), at most limit.
func (s *Store) ListHeldReplies(ctx context.Context, limit int) ([]HeldReply, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT r.id, r.case_id, r.text, r.visibility, r.template, r.author, r.state, r.created_at, r.override_reason,
			c.priority, c.summary, c.platform, a.handle
		FROM replies r JOIN cases c ON c.id = r.case_id JOIN authors a ON a.id = c.author_id
		WHERE r.state = $1 ORDER BY r.id LIMIT $2`, string(model.ReplyAwaitingApproval), limit)
	if err != nil {
		return nil, fmt.Errorf("list held replies: %w", err)
	}
	return scanAll(rows, "held replies", func(r *sql.Rows, h *HeldReply) error {
		var at dbTime
		err := r.Scan(&h.ID, &h.CaseID, &h.Text, &h.Visibility, &h.Template, &h.Author, &h.State, &at, &h.OverrideReason,
			&h.CasePriority, &h.CaseSummary, &h.Platform, &h.AuthorHandle)
		h.CreatedAt = at.T
		return err
	})
}
