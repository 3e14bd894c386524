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

// ApproveReply moves a reply awaiting approval to the outbox queue,
// counts it as the first response when it is one, and records who
// approved it.
func (s *Store) ApproveReply(ctx context.Context, caseID, replyID int64, actor string, at time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		status, first, err := s.lockCase(ctx, tx, caseID)
		if err != nil {
			return err
		}
		var state string
		err = tx.QueryRowContext(ctx, `SELECT state FROM replies WHERE id = $1 AND case_id = $2`, replyID, caseID).Scan(&state)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && state != model.ReplyAwaitingApproval) {
			return fmt.Errorf("reply %d awaiting approval: %w", replyID, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("read reply %d: %w", replyID, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE replies SET state = $2 WHERE id = $1`, replyID, model.ReplyQueued); err != nil {
			return fmt.Errorf("approve reply %d: %w", replyID, err)
		}
		if status == model.StatusNew {
			status = model.StatusOpen
		}
		if !first.Valid {
			_, err = tx.ExecContext(ctx, `UPDATE cases SET first_response_at = $2, sort_due = $3, status = $4, updated_at = $5, last_activity_at = $5 WHERE id = $1`,
				caseID, s.ts(at), noDue, status, s.ts(at))
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
