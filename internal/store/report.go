package store

import (
	"context"
	"fmt"
	"time"
)

// MentionCounts counts inbound mentions made in [from, to), and how many
// of them were negative.
func (s *Store) MentionCounts(ctx context.Context, from, to time.Time) (total, negative int, err error) {
	err = s.read.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN sentiment = 'negative' THEN 1 ELSE 0 END), 0)
		FROM mentions WHERE created_at >= $1 AND created_at < $2 AND direction = 'inbound'`, s.ts(from), s.ts(to)).Scan(&total, &negative)
	if err != nil {
		return 0, 0, fmt.Errorf("count mentions: %w", err)
	}
	return total, negative, nil
}

// Digest is a day's figures for the daily digest email: counts only.
type Digest struct {
	Mentions, Negative, NewCases, Breaches, Open int
}

// DigestCounts returns the figures of [from, to) and the cases open now.
func (s *Store) DigestCounts(ctx context.Context, from, to time.Time) (Digest, error) {
	var d Digest
	var err error
	if d.Mentions, d.Negative, err = s.MentionCounts(ctx, from, to); err != nil {
		return d, err
	}
	err = s.read.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM cases WHERE created_at >= $1 AND created_at < $2),
		(SELECT COUNT(*) FROM events WHERE type = 'sla_breach' AND created_at >= $1 AND created_at < $2),
		(SELECT COUNT(*) FROM cases WHERE status IN `+openStatusesSQL()+`)`, s.ts(from), s.ts(to)).Scan(&d.NewCases, &d.Breaches, &d.Open)
	if err != nil {
		return d, fmt.Errorf("count digest: %w", err)
	}
	return d, nil
}
