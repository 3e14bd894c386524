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
	// CreatedAt is when the mention was made; Score its sentiment score.
	// Both are filled by PraiseStarredIn and PositiveMentions.
	CreatedAt time.Time
	Score     float64
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

// PraiseStarredIn returns the mentions starred onto the praise wall in
// [from, to), newest star first, at most limit.
func (s *Store) PraiseStarredIn(ctx context.Context, from, to time.Time, limit int) ([]Praise, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT m.id, m.case_id, m.platform, m.text, m.url, a.handle, a.name, p.starred_by, p.created_at, m.created_at, `+s.sentimentScore()+`
		FROM praise p JOIN mentions m ON m.id = p.mention_id JOIN authors a ON a.id = m.author_id
		WHERE p.created_at >= $1 AND p.created_at < $2
		ORDER BY p.created_at DESC, m.id DESC LIMIT $3`, s.ts(from), s.ts(to), limit)
	if err != nil {
		return nil, fmt.Errorf("list praise starred from %s to %s: %w", from.Format(time.RFC3339), to.Format(time.RFC3339), err)
	}
	return scanAll(rows, "praise", scanPraise)
}

// PositiveMentions returns the most positive inbound mentions made in
// [from, to) that are not on the praise wall and have words (a review
// of stars alone has nothing to share): sentiment positive, highest
// score first (the newer of equal scores first), at most limit.
func (s *Store) PositiveMentions(ctx context.Context, from, to time.Time, limit int) ([]Praise, error) {
	score := s.sentimentScore()
	rows, err := s.read.QueryContext(ctx, `SELECT m.id, m.case_id, m.platform, m.text, m.url, a.handle, a.name, '', NULL, m.created_at, `+score+`
		FROM mentions m JOIN authors a ON a.id = m.author_id
		WHERE m.created_at >= $1 AND m.created_at < $2 AND m.direction = 'inbound' AND m.sentiment = 'positive' AND m.text <> ''
			AND NOT EXISTS (SELECT 1 FROM praise p WHERE p.mention_id = m.id)
		ORDER BY `+score+` DESC, m.created_at DESC, m.id DESC LIMIT $3`, s.ts(from), s.ts(to), limit)
	if err != nil {
		return nil, fmt.Errorf("list positive mentions from %s to %s: %w", from.Format(time.RFC3339), to.Format(time.RFC3339), err)
	}
	return scanAll(rows, "positive mentions", scanPraise)
}

// scanPraise reads a row of PraiseStarredIn or PositiveMentions.
func scanPraise(r *sql.Rows, p *Praise) error {
	var starred, created dbTime
	var caseID sql.NullInt64
	err := r.Scan(&p.MentionID, &caseID, &p.Platform, &p.Text, &p.URL, &p.Handle, &p.Name, &p.StarredBy, &starred, &created, &p.Score)
	p.CaseID, p.StarredAt, p.CreatedAt = caseID.Int64, starred.T, created.T
	return err
}
