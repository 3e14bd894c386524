package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Correction is an agent's fix of a mention's sentiment or intents, kept
// for training.
type Correction struct {
	ID        int64
	MentionID int64
	Sentiment string
	Intents   []string
	Author    string
	CreatedAt time.Time
	// Text is the mention's text (filled by ListCorrections).
	Text string
}

// AddCorrection stores a correction of a mention's analysis.
func (s *Store) AddCorrection(ctx context.Context, c *Correction) error {
	err := s.write.QueryRowContext(ctx, `INSERT INTO corrections (mention_id, sentiment, intents, author, created_at)
		SELECT id, $2, $3, $4, $5 FROM mentions WHERE id = $1 RETURNING id`,
		c.MentionID, c.Sentiment, strings.Join(c.Intents, ","), c.Author, s.ts(c.CreatedAt)).Scan(&c.ID)
	if err == sql.ErrNoRows {
		return fmt.Errorf("mention %d: %w", c.MentionID, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("add correction: %w", err)
	}
	return nil
}

// ListCorrections returns the latest correction of each corrected
// mention, with the mention's text, oldest first.
func (s *Store) ListCorrections(ctx context.Context) ([]Correction, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT c.id, c.mention_id, c.sentiment, c.intents, c.author, c.created_at, m.text
		FROM corrections c JOIN mentions m ON m.id = c.mention_id
		WHERE c.id = (SELECT MAX(c2.id) FROM corrections c2 WHERE c2.mention_id = c.mention_id)
		ORDER BY c.id`)
	if err != nil {
		return nil, fmt.Errorf("list corrections: %w", err)
	}
	return scanAll(rows, "corrections", func(r *sql.Rows, c *Correction) error {
		var at dbTime
		var intents string
		err := r.Scan(&c.ID, &c.MentionID, &c.Sentiment, &intents, &c.Author, &at, &c.Text)
		c.CreatedAt = at.T
		if intents != "" {
			c.Intents = strings.Split(intents, ",")
		}
		return err
	})
}
