package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Praise is a starred mention on the praise wall.
type Praise struct {
	MentionID int64
	CaseID    int64
	Platform  string
	Text      string
	URL       string
	Handle    string
	Name      string
	StarredBy string
	StarredAt time.Time
}

// StarMention puts a mention on the praise wall (again is a no-op).
func (s *Store) StarMention(ctx context.Context, mentionID int64, by string, at time.Time) error {
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM mentions WHERE id = $1`, mentionID).Scan(&n); err != nil {
		return fmt.Errorf("read mention %d: %w", mentionID, err)
	}
	if n == 0 {
		return fmt.Errorf("mention %d: %w", mentionID, ErrNotFound)
	}
	return s.put(ctx, "praise", `INSERT INTO praise (mention_id, starred_by, created_at) VALUES ($1, $2, $3) ON CONFLICT (mention_id) DO NOTHING`,
		mentionID, by, s.ts(at))
}

// UnstarMention takes a mention off the praise wall.
func (s *Store) UnstarMention(ctx context.Context, mentionID int64) error {
	return s.put(ctx, "praise", `DELETE FROM praise WHERE mention_id = $1`, mentionID)
}

// StarredMentions reports which of the given mentions are on the wall.
func (s *Store) StarredMentions(ctx context.Context, caseID int64) (map[int64]bool, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT p.mention_id FROM praise p JOIN mentions m ON m.id = p.mention_id WHERE m.case_id = $1`, caseID)
	if err != nil {
		return nil, fmt.Errorf("read praise of case %d: %w", caseID, err)
	}
	ids, err := scanAll(rows, "praise", func(r *sql.Rows, id *int64) error { return r.Scan(id) })
	if err != nil {
		return nil, err
	}
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// ListPraise returns the newest starred mentions first.
func (s *Store) ListPraise(ctx context.Context, limit int) ([]Praise, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT m.id, m.case_id, m.platform, m.text, m.url, a.handle, a.name, p.starred_by, p.created_at
		FROM praise p JOIN mentions m ON m.id = p.mention_id JOIN authors a ON a.id = m.author_id
		ORDER BY p.created_at DESC, m.id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("list praise: %w", err)
	}
	return scanAll(rows, "praise", func(r *sql.Rows, p *Praise) error {
		var at dbTime
		var caseID sql.NullInt64
		err := r.Scan(&p.MentionID, &caseID, &p.Platform, &p.Text, &p.URL, &p.Handle, &p.Name, &p.StarredBy, &at)
		p.CaseID, p.StarredAt = caseID.Int64, at.T
		return err
	})
}
