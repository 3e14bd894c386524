package store

import (
	"context"
	"database/sql"
	"fmt"

	"earshot/internal/model"
)

// ListUsers returns every user, ordered by email.
func (s *Store) ListUsers(ctx context.Context) ([]model.User, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, email, name, role, created_at FROM users ORDER BY email`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return scanAll(rows, "users", func(r *sql.Rows, u *model.User) error {
		var at dbTime
		err := r.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &at)
		u.CreatedAt = at.T
		return err
	})
}

// UserByID finds a user by id.
func (s *Store) UserByID(ctx context.Context, id int64) (*model.User, error) {
	return s.userWhere(ctx, "id", id)
}

// SetPasswordHash replaces a user's password hash.
func (s *Store) SetPasswordHash(ctx context.Context, userID int64, hash string) error {
	res, err := s.write.ExecContext(ctx, `UPDATE users SET password_hash = $2 WHERE id = $1`, userID, hash)
	if err != nil {
		return fmt.Errorf("set password of user %d: %w", userID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("user %d: %w", userID, ErrNotFound)
	}
	return nil
}
