package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Notification kinds.
const (
	// NotifyMentioned: a colleague @mentioned the user in a note.
	NotifyMentioned = "mentioned"
)

// Notification is an in-app notice for one user.
type Notification struct {
	ID        int64
	UserID    int64
	CaseID    int64
	Actor     string
	Kind      string
	CreatedAt time.Time
	ReadAt    *time.Time
}

// AddNotifications stores notifications, one per element.
func (s *Store) AddNotifications(ctx context.Context, ns []Notification) error {
	if len(ns) == 0 {
		return nil
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, n := range ns {
			if _, err := tx.ExecContext(ctx, `INSERT INTO notifications (user_id, case_id, actor, kind, created_at) VALUES ($1, $2, $3, $4, $5)`,
				n.UserID, n.CaseID, n.Actor, n.Kind, s.ts(n.CreatedAt)); err != nil {
				return fmt.Errorf("add notification: %w", err)
			}
		}
		return nil
	})
}

// ListNotifications returns a user's newest notifications first.
func (s *Store) ListNotifications(ctx context.Context, userID int64, limit int) ([]Notification, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, user_id, case_id, actor, kind, created_at, read_at FROM notifications
		WHERE user_id = $1 ORDER BY id DESC LIMIT $2`, userID, limit)
	if err != nil {
		return nil, fmt.Errorf("list notifications: %w", err)
	}
	return scanAll(rows, "notifications", func(r *sql.Rows, n *Notification) error {
		var at, read dbTime
		err := r.Scan(&n.ID, &n.UserID, &n.CaseID, &n.Actor, &n.Kind, &at, &read)
		n.CreatedAt, n.ReadAt = at.T, read.ptr()
		return err
	})
}

// UnreadNotifications counts a user's unread notifications.
func (s *Store) UnreadNotifications(ctx context.Context, userID int64) (int, error) {
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL`, userID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count notifications: %w", err)
	}
	return n, nil
}

// MarkNotificationsRead marks all of a user's notifications read.
func (s *Store) MarkNotificationsRead(ctx context.Context, userID int64, at time.Time) error {
	return s.put(ctx, "notifications", `UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL`, userID, s.ts(at))
}
