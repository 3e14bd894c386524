package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"earshot/internal/model"
)

// isUniqueViolation reports whether err is a unique-constraint failure on
// either engine.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505")
}

// CreateUser stores a new user and sets u.ID. A taken email is ErrConflict.
func (s *Store) CreateUser(ctx context.Context, u *model.User) error {
	err := s.write.QueryRowContext(ctx, `INSERT INTO users (email, name, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		u.Email, u.Name, u.Role, u.PasswordHash, s.ts(u.CreatedAt)).Scan(&u.ID)
	if isUniqueViolation(err) {
		return fmt.Errorf("user %s exists: %w", u.Email, ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	return nil
}

// UserByEmail finds a user by email.
func (s *Store) UserByEmail(ctx context.Context, email string) (*model.User, error) {
	return s.userWhere(ctx, "email", email)
}

// userWhere reads the one user whose col (email or id) is v.
func (s *Store) userWhere(ctx context.Context, col string, v any) (*model.User, error) {
	u := new(model.User)
	var at, off dbTime
	err := s.read.QueryRowContext(ctx, `SELECT id, email, name, role, password_hash, created_at, deactivated_at FROM users WHERE `+col+` = $1`, v).
		Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &at, &off)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("user %v: %w", v, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read user %v: %w", v, err)
	}
	u.CreatedAt, u.DeactivatedAt = at.T, off.ptr()
	return u, nil
}

// CountUsers returns how many users exist.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}
