package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// SavedView is a user's named inbox filter, kept as the query string of
// the inbox URL.
type SavedView struct {
	ID        int64
	UserID    int64
	Name      string
	Query     string
	CreatedAt time.Time
}

// AddSavedView stores a saved view and sets v.ID.
func (s *Store) AddSavedView(ctx context.Context, v *SavedView) error {
	if err := s.write.QueryRowContext(ctx, `INSERT INTO saved_views (user_id, name, query, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		v.UserID, v.Name, v.Query, s.ts(v.CreatedAt)).Scan(&v.ID); err != nil {
		return fmt.Errorf("add saved view: %w", err)
	}
	return nil
}

// ListSavedViews returns a user's saved views in the order made.
func (s *Store) ListSavedViews(ctx context.Context, userID int64) ([]SavedView, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, user_id, name, query, created_at FROM saved_views WHERE user_id = $1 ORDER BY id`, userID)
	if err != nil {
		return nil, fmt.Errorf("list saved views: %w", err)
	}
	return scanAll(rows, "saved views", func(r *sql.Rows, v *SavedView) error {
		var at dbTime
		err := r.Scan(&v.ID, &v.UserID, &v.Name, &v.Query, &at)
		v.CreatedAt = at.T
		return err
	})
}

// DeleteSavedView removes one of a user's saved views.
func (s *Store) DeleteSavedView(ctx context.Context, userID, id int64) error {
	return s.put(ctx, "saved view", `DELETE FROM saved_views WHERE user_id = $1 AND id = $2`, userID, id)
}
