package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"earshot/internal/model"
)

// ReplyRef names one reply of one case, and the delivery round it is in
// (0 until an agent sends it again; see RetryReply).
type ReplyRef struct {
	CaseID, ReplyID int64
	Round           int
}

// DeliveryKey is the dedupe key of the job that delivers a reply in one
// round: keyPrefix and the reply's id, then "/" and the round after the
// first. Each round gets one job, however many replicas sweep.
func DeliveryKey(keyPrefix string, replyID int64, round int) string {
	k := keyPrefix + strconv.FormatInt(replyID, 10)
	if round > 0 {
		k += "/" + strconv.Itoa(round)
	}
	return k
}

// QueuedReplies returns up to limit queued replies, oldest first, that no
// job has been enqueued for in their round: none whose dedupe key is
// DeliveryKey(keyPrefix, id, round).
func (s *Store) QueuedReplies(ctx context.Context, keyPrefix string, limit int) ([]ReplyRef, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT r.case_id, r.id, r.delivery_round FROM replies r
		WHERE r.state = 'queued' AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.dedupe_key = CAST($1 AS TEXT) || CAST(r.id AS TEXT)
			|| CASE WHEN r.delivery_round > 0 THEN '/' || CAST(r.delivery_round AS TEXT) ELSE '' END)
		ORDER BY r.id LIMIT $2`, keyPrefix, limit)
	if err != nil {
		return nil, fmt.Errorf("find queued replies: %w", err)
	}
	return scanAll(rows, "queued replies", func(r *sql.Rows, ref *ReplyRef) error {
		return r.Scan(&ref.CaseID, &ref.ReplyID, &ref.Round)
	})
}

// replyCols are the columns scanReply reads.
const replyCols = `id, case_id, text, visibility, template, author, state, created_at, override_reason,
	platform_id, platform_url, delivery_error, delivery_attempts, sent_at, delivery_round`

func scanReply(row interface{ Scan(...any) error }, r *model.Reply) error {
	var at, sent dbTime
	if err := row.Scan(&r.ID, &r.CaseID, &r.Text, &r.Visibility, &r.Template, &r.Author, &r.State, &at, &r.OverrideReason,
		&r.PlatformID, &r.PlatformURL, &r.DeliveryError, &r.DeliveryAttempts, &sent, &r.DeliveryRound); err != nil {
		return err
	}
	r.CreatedAt, r.SentAt = at.T, sent.ptr()
	return nil
}

// ClaimReply takes a reply of a case for sending in delivery round
// round. A queued reply in that round becomes sending, its attempt
// counted, and is returned as it now is, with was model.ReplyQueued.
// Otherwise it is returned unchanged, with was its state: a reply found
// sending was interrupted mid-send by a crash, and whether it left is
// unknown. A reply in another round (r.DeliveryRound says which) is not
// this job's to send.
func (s *Store) ClaimReply(ctx context.Context, caseID, replyID int64, round int) (r model.Reply, was model.ReplyState, err error) {
	row := s.write.QueryRowContext(ctx, `UPDATE replies SET state = 'sending', delivery_attempts = delivery_attempts + 1
		WHERE id = $1 AND case_id = $2 AND state = 'queued' AND delivery_round = $3 RETURNING `+replyCols, replyID, caseID, round)
	switch err := scanReply(row, &r); {
	case err == nil:
		return r, model.ReplyQueued, nil
	case !errors.Is(err, sql.ErrNoRows):
		return r, "", fmt.Errorf("claim reply %d: %w", replyID, err)
	}
	switch err := scanReply(s.write.QueryRowContext(ctx, `SELECT `+replyCols+` FROM replies WHERE id = $1 AND case_id = $2`, replyID, caseID), &r); {
	case errors.Is(err, sql.ErrNoRows):
		return r, "", fmt.Errorf("reply %d of case %d: %w", replyID, caseID, ErrNotFound)
	case err != nil:
		return r, "", fmt.Errorf("read reply %d: %w", replyID, err)
	}
	return r, r.State, nil
}

// MarkReplySent records that the platform took a reply being sent, with
// its id and link there.
//
// The platform may bring our reply back (a webhook, a poll) before this
// is recorded; ingest then stores it as our outbound mention without
// knowing the reply. Such a mention is linked here, so that the reply
// and the post it became are one, whichever is stored first.
func (s *Store) MarkReplySent(ctx context.Context, replyID int64, platformID, url string, at time.Time) error {
	return s.settleReply(ctx, replyID, model.ReplySent, `platform_id = $3, platform_url = $4, sent_at = $5, delivery_error = '',
		mention_id = COALESCE(mention_id, (SELECT m.id FROM mentions m WHERE m.external_id = $3 AND m.direction = 'outbound'
			AND m.platform = (SELECT c.platform FROM cases c WHERE c.id = replies.case_id)))`,
		keptText(platformID), keptText(url), s.ts(at))
}

// MarkReplyFailed records that a reply being sent was refused for good,
// by the platform or by the privacy guard, and why.
func (s *Store) MarkReplyFailed(ctx context.Context, replyID int64, reason string) error {
	return s.settleReply(ctx, replyID, model.ReplyFailed, `delivery_error = $3`, reason)
}

// MarkReplyUnknown records that a reply being sent may or may not have
// reached the platform, and why.
func (s *Store) MarkReplyUnknown(ctx context.Context, replyID int64, reason string) error {
	return s.settleReply(ctx, replyID, model.ReplyUnknown, `delivery_error = $3`, reason)
}

// MarkReplyNoConnector records that no connector could send a reply
// being sent; reason says so for people.
func (s *Store) MarkReplyNoConnector(ctx context.Context, replyID int64, reason string) error {
	return s.settleReply(ctx, replyID, model.ReplyNoConnector, `delivery_error = $3`, reason)
}

// ReleaseReply puts a reply being sent back in the queue after an attempt
// that failed for now (a rate limit, a platform error), keeping why; its
// job tries again.
func (s *Store) ReleaseReply(ctx context.Context, replyID int64, reason string) error {
	return s.settleReply(ctx, replyID, model.ReplyQueued, `delivery_error = $3`, reason)
}

// settleReply moves a reply from sending to state, setting the columns
// of set (whose parameters start at $3). A reply no longer sending is an
// ErrConflict.
func (s *Store) settleReply(ctx context.Context, replyID int64, state model.ReplyState, set string, args ...any) error {
	if reason, ok := args[0].(string); ok {
		args[0] = keptText(reason)
	}
	res, err := s.write.ExecContext(ctx, `UPDATE replies SET state = $2, `+set+` WHERE id = $1 AND state = 'sending'`,
		append([]any{replyID, string(state)}, args...)...)
	if err != nil {
		return fmt.Errorf("mark reply %d %s: %w", replyID, state, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("mark reply %d %s: it is not being sent: %w", replyID, state, ErrConflict)
	}
	return nil
}

// maxKeptText bounds what the store keeps of a platform's words (a
// reason, an id, a link).
const maxKeptText = 1000

// keptText is a platform's words as kept: they may hold anything, and
// both engines take valid UTF-8 without NUL; bounded by maxKeptText.
func keptText(s string) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
	n := min(len(s), maxKeptText)
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// fillReplyDelivery sets what the outbox recorded on each of a case's
// replies.
func (s *Store) fillReplyDelivery(ctx context.Context, caseID int64, replies []model.Reply) error {
	if len(replies) == 0 {
		return nil
	}
	rows, err := s.read.QueryContext(ctx, `SELECT id, platform_id, platform_url, delivery_error, delivery_attempts, sent_at,
		delivery_round, sent_by_hand, COALESCE(mention_id, 0) FROM replies WHERE case_id = $1`, caseID)
	if err != nil {
		return fmt.Errorf("read reply deliveries of case %d: %w", caseID, err)
	}
	byID := map[int64]model.ReplyDelivery{}
	_, err = scanAll(rows, "reply deliveries", func(r *sql.Rows, _ *struct{}) error {
		var id int64
		var d model.ReplyDelivery
		var sent dbTime
		if err := r.Scan(&id, &d.PlatformID, &d.PlatformURL, &d.DeliveryError, &d.DeliveryAttempts, &sent,
			&d.DeliveryRound, &d.SentByHand, &d.MentionID); err != nil {
			return err
		}
		d.SentAt = sent.ptr()
		byID[id] = d
		return nil
	})
	if err != nil {
		return err
	}
	for i := range replies {
		replies[i].ReplyDelivery = byID[replies[i].ID]
	}
	return nil
}
