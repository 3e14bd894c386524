package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"earshot/internal/model"
)

// MentionHash is the content hash stored with a mention: of its text
// and rating, never 0. A mention sent again with another hash was edited
// on its platform (a review's new rating, a comment's new text).
func MentionHash(text string, rating *int) int64 {
	h := fnv.New64a()
	r := byte(0)
	if rating != nil && *rating >= 0 && *rating < 255 {
		r = byte(*rating) + 1
	}
	h.Write([]byte{r})
	h.Write([]byte(text))
	if v := int64(h.Sum64()); v != 0 {
		return v
	}
	return 1
}

// EditMention writes the edited text, rating and analysis (serialised in
// analysisJSON) of m over stored mention id, marking it edited at at,
// and returns the rating it had. Its intents join its case's (caseID, 0
// for none) in the inbox's index when the batch ends.
func (b *Batch) EditMention(ctx context.Context, id, caseID int64, m *model.Mention, analysisJSON []byte, at time.Time) (*int, error) {
	var was sql.NullInt64
	row, err := b.queryRow(ctx, `SELECT rating FROM mentions WHERE id = $1`, id)
	if err != nil {
		return nil, fmt.Errorf("read mention %d: %w", id, err)
	}
	if err := row.Scan(&was); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("mention %d: %w", id, ErrNotFound)
		}
		return nil, fmt.Errorf("read mention %d: %w", id, err)
	}
	var sentiment, urgency string
	var needs bool
	if a := m.Analysis; a != nil {
		sentiment, urgency, needs = a.Sentiment.Label, a.Urgency.Level, a.NeedsResponse
	}
	var rating any
	if m.Rating != nil {
		rating = *m.Rating
	}
	if _, err := b.execStmt(ctx, `UPDATE mentions SET text = $2, rating = $3, sentiment = $4, urgency = $5, needs_response = (needs_response OR $6),
		analysis = $7, content_hash = $8, edited_at = $9 WHERE id = $1`,
		id, m.Text, rating, sentiment, urgency, needs, string(analysisJSON), MentionHash(m.Text, m.Rating), b.s.ts(at)); err != nil {
		return nil, fmt.Errorf("edit mention %d: %w", id, err)
	}
	if b.s.engine == SQLite {
		// The next edit number, for search.db's index to follow (see
		// ftsindex.EditSource); SQLite's one writer numbers edits in
		// the order they commit.
		if _, err := b.execStmt(ctx, `UPDATE mentions SET search_edit =
			(SELECT COALESCE(MAX(search_edit), 0) + 1 FROM mentions WHERE search_edit IS NOT NULL) WHERE id = $1`, id); err != nil {
			return nil, fmt.Errorf("edit mention %d: number the edit for search: %w", id, err)
		}
	}
	if caseID != 0 {
		b.edited = append(b.edited, adoptedRow{id: id, caseID: caseID, intents: mentionIntents(pendingMention{m: m, analysis: analysisJSON})})
	}
	if !was.Valid {
		return nil, nil
	}
	r := int(was.Int64)
	return &r, nil
}

// SentReply is a reply the outbox sent, found by the platform's id of it.
type SentReply struct {
	CaseID, ReplyID int64
}

// SentReplies finds, by the platform's id, the sent replies of cases on
// platform among platformIDs, in chunks of one query each.
func (b *Batch) SentReplies(ctx context.Context, platform string, platformIDs []string) (map[string]SentReply, error) {
	out := map[string]SentReply{}
	for chunk := range slices.Chunk(platformIDs, 500) {
		args := make([]any, 0, len(chunk)+1)
		for _, id := range chunk {
			args = append(args, id)
		}
		args = append(args, platform)
		n := len(chunk)
		st, err := b.keyed(ctx, stmtKey{"sent replies", uint64(n)}, func() string {
			return `SELECT r.platform_id, r.case_id, r.id FROM replies r JOIN cases c ON c.id = r.case_id
				WHERE r.platform_id IN ` + b.s.valuesList(1, n) + ` AND r.platform_id <> '' AND c.platform = ` + b.s.param(n+1)
		})
		if err != nil {
			return nil, fmt.Errorf("find sent replies on %s: %w", platform, err)
		}
		rows, err := st.QueryContext(ctx, args...)
		if err != nil {
			return nil, fmt.Errorf("find sent replies on %s: %w", platform, err)
		}
		for rows.Next() {
			var pid string
			var r SentReply
			if err := rows.Scan(&pid, &r.CaseID, &r.ReplyID); err != nil {
				rows.Close()
				return nil, fmt.Errorf("find sent replies on %s: %w", platform, err)
			}
			out[pid] = r
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("find sent replies on %s: %w", platform, err)
		}
	}
	return out, nil
}

// echoRow links a sent reply to the mention that brought it back.
type echoRow struct {
	replyID, mentionID int64
}

// LinkReplyMention records, when the batch ends, that mention mentionID
// (stored by this batch) is reply replyID come back from its platform.
func (b *Batch) LinkReplyMention(replyID, mentionID int64) {
	b.echoes = append(b.echoes, echoRow{replyID, mentionID})
}

func (b *Batch) flushEchoes(ctx context.Context) error {
	for _, e := range b.echoes {
		if _, err := b.execStmt(ctx, `UPDATE replies SET mention_id = $2 WHERE id = $1`, e.replyID, e.mentionID); err != nil {
			return fmt.Errorf("link reply %d to mention %d: %w", e.replyID, e.mentionID, err)
		}
	}
	return nil
}
