package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"earshot/internal/model"
)

// ErrReplyState is returned (wrapped) when an agent's action on a reply
// finds it in a state the action does not start from: another agent
// acted on it first, or the outbox moved it on.
var ErrReplyState = errors.New("the reply is no longer in that state")

// RequeueReply puts reply replyID of case caseID back in the outbox queue
// in a new delivery round, as actor's decision at at, when it is in one
// of the states from: the round's own job (see DeliveryKey) sends it once
// more. The change is one conditional UPDATE, so of two agents who ask at
// once only one requeues it; the other gets ErrReplyState. It records a
// reply_retried event and returns the new round.
func (s *Store) RequeueReply(ctx context.Context, caseID, replyID int64, from []model.ReplyState, actor string, at time.Time) (int, error) {
	var round int
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, _, err := s.lockCase(ctx, tx, caseID); err != nil {
			return err
		}
		var was model.ReplyState
		err := tx.QueryRowContext(ctx, `SELECT state FROM replies WHERE id = $1 AND case_id = $2`, replyID, caseID).Scan(&was)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("reply %d of case %d: %w", replyID, caseID, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("read reply %d: %w", replyID, err)
		}
		args := []any{replyID, caseID}
		err = tx.QueryRowContext(ctx, `UPDATE replies SET state = 'queued', delivery_round = delivery_round + 1, delivery_error = ''
			WHERE id = $1 AND case_id = $2 AND state IN `+stateList(&args, from)+` RETURNING delivery_round`, args...).Scan(&round)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("send reply %d again: it is %s: %w", replyID, was, ErrReplyState)
		}
		if err != nil {
			return fmt.Errorf("send reply %d again: %w", replyID, err)
		}
		return s.touchReplyCase(ctx, tx, model.Event{CaseID: caseID, Type: model.EventReplyRetried, Actor: actor, CreatedAt: at,
			Data: eventData(map[string]any{"reply_id": replyID, "round": round, "from": was})})
	})
	return round, err
}

// MarkReplySentByHand records that reply replyID of case caseID went out
// on the platform without the outbox (an agent posted it, or saw that an
// attempt of unknown fate did reach it), with its link there (may be
// empty), when it is in one of the states from; otherwise ErrReplyState.
// It records a reply_sent_by_hand event.
func (s *Store) MarkReplySentByHand(ctx context.Context, caseID, replyID int64, from []model.ReplyState, url, actor string, at time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, _, err := s.lockCase(ctx, tx, caseID); err != nil {
			return err
		}
		var was model.ReplyState
		err := tx.QueryRowContext(ctx, `SELECT state FROM replies WHERE id = $1 AND case_id = $2`, replyID, caseID).Scan(&was)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("reply %d of case %d: %w", replyID, caseID, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("read reply %d: %w", replyID, err)
		}
		args := []any{replyID, caseID, keptText(url), s.ts(at), true}
		res, err := tx.ExecContext(ctx, `UPDATE replies SET state = 'sent', platform_url = $3, sent_at = $4, sent_by_hand = $5, delivery_error = ''
			WHERE id = $1 AND case_id = $2 AND state IN `+stateList(&args, from), args...)
		if err != nil {
			return fmt.Errorf("mark reply %d sent by hand: %w", replyID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("mark reply %d sent by hand: it is %s: %w", replyID, was, ErrReplyState)
		}
		data := map[string]any{"reply_id": replyID, "from": was}
		if url != "" {
			data["url"] = keptText(url)
		}
		return s.touchReplyCase(ctx, tx, model.Event{CaseID: caseID, Type: model.EventReplySentByHand, Actor: actor, CreatedAt: at,
			Data: eventData(data)})
	})
}

// touchReplyCase records e on its case and marks the case updated then.
func (s *Store) touchReplyCase(ctx context.Context, tx *sql.Tx, e model.Event) error {
	if _, err := tx.ExecContext(ctx, `UPDATE cases SET updated_at = $2 WHERE id = $1`, e.CaseID, s.ts(e.CreatedAt)); err != nil {
		return fmt.Errorf("update case %d: %w", e.CaseID, err)
	}
	return addEvent(ctx, s, tx, e)
}

// stateList appends states to args and returns the SQL list of their
// parameters, such as "($3, $4)". An empty list matches nothing.
func stateList(args *[]any, states []model.ReplyState) string {
	if len(states) == 0 {
		return "(NULL)"
	}
	ps := make([]string, len(states))
	for i, st := range states {
		*args = append(*args, string(st))
		ps[i] = fmt.Sprintf("$%d", len(*args))
	}
	return "(" + strings.Join(ps, ", ") + ")"
}
