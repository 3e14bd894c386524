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

// ErrLastAdmin is returned (wrapped) when a change would leave no active
// admin, and so no one able to manage accounts.
var ErrLastAdmin = errors.New("the last active admin cannot be deactivated or given another role")

// ListUsers returns every user, deactivated ones too, ordered by email.
func (s *Store) ListUsers(ctx context.Context) ([]model.User, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, email, name, role, created_at, deactivated_at FROM users ORDER BY email`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return scanAll(rows, "users", func(r *sql.Rows, u *model.User) error {
		var at, off dbTime
		err := r.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &at, &off)
		u.CreatedAt, u.DeactivatedAt = at.T, off.ptr()
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

// UserChange is what an admin changes of a person; nil fields stay.
type UserChange struct {
	Role   *string
	Active *bool
}

// ChangeUser applies c to the user id in one transaction: it refuses
// with ErrLastAdmin a change that would leave no active admin, ends every
// session of a person it deactivates, and records one account event per
// change made, stamped with ev's actor and time. It returns the user as
// changed; a change to what already holds records nothing.
func (s *Store) ChangeUser(ctx context.Context, id int64, c UserChange, ev AccountEvent) (*model.User, error) {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		// Lock the admins on PostgreSQL so that two admins demoting each
		// other at once cannot both pass the check below.
		if err := s.lockRows(ctx, tx, `SELECT id FROM users WHERE role = $1 ORDER BY id FOR UPDATE`, model.RoleAdmin); err != nil {
			return fmt.Errorf("lock admins: %w", err)
		}
		var email, role string
		var off dbTime
		err := tx.QueryRowContext(ctx, `SELECT email, role, deactivated_at FROM users WHERE id = $1`, id).Scan(&email, &role, &off)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("user %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("read user %d: %w", id, err)
		}
		ev.Subject = email
		var events []AccountEvent
		if c.Role != nil && *c.Role != role {
			if _, err := tx.ExecContext(ctx, `UPDATE users SET role = $2 WHERE id = $1`, id, *c.Role); err != nil {
				return fmt.Errorf("set role of %s: %w", email, err)
			}
			e := ev
			e.Action, e.Data = AccountRoleChanged, map[string]string{"from": role, "to": *c.Role}
			events = append(events, e)
		}
		if c.Active != nil && *c.Active != !off.Valid {
			e := ev
			if *c.Active {
				_, err = tx.ExecContext(ctx, `UPDATE users SET deactivated_at = NULL WHERE id = $1`, id)
				e.Action = AccountUserReactivated
			} else {
				_, err = tx.ExecContext(ctx, `UPDATE users SET deactivated_at = $2 WHERE id = $1`, id, s.ts(ev.CreatedAt))
				e.Action = AccountUserDeactivated
			}
			if err != nil {
				return fmt.Errorf("set %s active: %w", email, err)
			}
			if !*c.Active {
				if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
					return fmt.Errorf("end sessions of %s: %w", email, err)
				}
			}
			events = append(events, e)
		}
		if len(events) == 0 {
			return nil
		}
		roleAfter, activeAfter := role, !off.Valid
		if c.Role != nil {
			roleAfter = *c.Role
		}
		if c.Active != nil {
			activeAfter = *c.Active
		}
		// Only a change that takes an active admin away can leave none.
		if role != model.RoleAdmin || off.Valid || roleAfter == model.RoleAdmin && activeAfter {
			return s.addAccountEvents(ctx, tx, events)
		}
		var admins int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE role = $1 AND deactivated_at IS NULL`, model.RoleAdmin).Scan(&admins); err != nil {
			return fmt.Errorf("count admins: %w", err)
		}
		if admins == 0 {
			return fmt.Errorf("%s: %w", email, ErrLastAdmin)
		}
		return s.addAccountEvents(ctx, tx, events)
	})
	if err != nil {
		return nil, err
	}
	return s.UserByID(ctx, id)
}

// ResetPassword replaces the user's password hash, ends all their
// sessions and records ev (its subject set to the user's email), in one
// transaction.
func (s *Store) ResetPassword(ctx context.Context, id int64, hash string, ev AccountEvent) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var email string
		err := tx.QueryRowContext(ctx, `UPDATE users SET password_hash = $2 WHERE id = $1 RETURNING email`, id, hash).Scan(&email)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("user %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("reset password of user %d: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
			return fmt.Errorf("end sessions of %s: %w", email, err)
		}
		ev.Subject, ev.Action = email, AccountPasswordReset
		return s.addAccountEvent(ctx, tx, ev)
	})
}
