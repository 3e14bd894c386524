package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"earshot/internal/model"
)

// EventReplyApproved is the timeline event of a supervisor letting a
// held reply go.
const EventReplyApproved = "reply_approved"

// ErrOwnReply is returned (wrapped) when someone tries to approve a held
// reply they wrote: approval needs a second person.
var ErrOwnReply = errors.New("a reply needs another supervisor's approval than its author's")

// ApproveReply moves a reply awaiting approval to the outbox queue,
// counts it as the first response when it is one, and records who
// approved it. The reply's author cannot approve it (ErrOwnReply).
func (s *Store) ApproveReply(ctx context.Context, caseID, replyID int64, actor string, at time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		status, first, err := s.lockCase(ctx, tx, caseID)
		if err != nil {
			return err
		}
		var state, author string
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
		if _, err := tx.ExecContext(ctx, `UPDATE replies SET state = $2 WHERE id = $1`, replyID, model.ReplyQueued); err != nil {
			return fmt.Errorf("approve reply %d: %w", replyID, err)
		}
		if status == model.StatusNew {
			status = model.StatusOpen
		}
		if !first.Valid {
			var due int64
			if due, err = s.repliedSortDue(ctx, tx, caseID, storedTime(at), status); err == nil {
				_, err = tx.ExecContext(ctx, `UPDATE cases SET first_response_at = $2, sort_due = $3, status = $4, updated_at = $5, last_activity_at = $5 WHERE id = $1`,
					caseID, s.ts(at), due, status, s.ts(at))
			}
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE cases SET status = $2, updated_at = $3, last_activity_at = $3 WHERE id = $1`, caseID, status, s.ts(at))
		}
		if err != nil {
			return fmt.Errorf("update case %d: %w", caseID, err)
		}
		// The approved reply is the response: deadlines move on from it.
		if err := s.applySLAHook(ctx, tx, caseID, func(h SLAHook, c *model.Case) { h.Replied(c, at) }); err != nil {
			return err
		}
		return addEvent(ctx, s, tx, model.Event{CaseID: caseID, Type: EventReplyApproved, Actor: actor, CreatedAt: at,
			Data: eventData(map[string]any{"reply_id": replyID})})
	})
}

// EventReplyRejected is the timeline event of a supervisor refusing a
// held reply.
const EventReplyRejected = "reply_rejected"

// RejectReply refuses a reply awaiting approval, with the supervisor's
// reason recorded in the case's timeline. The reply never leaves.
func (s *Store) RejectReply(ctx context.Context, caseID, replyID int64, actor, reason string, at time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, _, err := s.lockCase(ctx, tx, caseID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE replies SET state = $3 WHERE id = $1 AND case_id = $2 AND state = $4`,
			replyID, caseID, model.ReplyRejected, model.ReplyAwaitingApproval)
		if err != nil {
			return fmt.Errorf("reject reply %d: %w", replyID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("reply %d awaiting approval: %w", replyID, ErrNotFound)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE cases SET updated_at = $2 WHERE id = $1`, caseID, s.ts(at)); err != nil {
			return fmt.Errorf("update case %d: %w", caseID, err)
		}
		return addEvent(ctx, s, tx, model.Event{CaseID: caseID, Type: EventReplyRejected, Actor: actor, CreatedAt: at,
			Data: eventData(map[string]any{"reply_id": replyID, "reason": reason})})
	})
}

// HeldReply is a reply awaiting approval with what a supervisor needs to
// judge it at a glance.
type HeldReply struct {
	model.Reply
	CasePriority string
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
		WHERE r.state = $1 ORDER BY r.id LIMIT $2`, model.ReplyAwaitingApproval, limit)
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
