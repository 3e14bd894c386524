package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"earshot/internal/model"
)

// Session is a signed-in browser. Only a hash of its cookie's secret is
// stored.
type Session struct {
	Hash       []byte
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// CreateSession stores a new session.
func (s *Store) CreateSession(ctx context.Context, se Session) error {
	if _, err := s.write.ExecContext(ctx, `INSERT INTO sessions (hash, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		se.Hash, se.UserID, s.ts(se.CreatedAt), s.ts(se.LastSeenAt), s.ts(se.ExpiresAt)); err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionUser returns the session with the given hash and its user. An
// unknown or expired session, or one of a deactivated user, is
// ErrNotFound.
func (s *Store) SessionUser(ctx context.Context, hash []byte, now time.Time) (*Session, *model.User, error) {
	se := &Session{Hash: hash}
	u := new(model.User)
	var created, seen, expires, uat dbTime
	err := s.read.QueryRowContext(ctx, `SELECT s.user_id, s.created_at, s.last_seen_at, s.expires_at,
			u.id, u.email, u.name, u.role, u.password_hash, u.created_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = $1 AND s.expires_at > $2 AND u.deactivated_at IS NULL`, hash, s.ts(now)).
		Scan(&se.UserID, &created, &seen, &expires, &u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &uat)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, fmt.Errorf("session: %w", ErrNotFound)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read session: %w", err)
	}
	se.CreatedAt, se.LastSeenAt, se.ExpiresAt, u.CreatedAt = created.T, seen.T, expires.T, uat.T
	return se, u, nil
}

// TouchSession records that a session was used and moves its expiry.
func (s *Store) TouchSession(ctx context.Context, hash []byte, seen, expires time.Time) error {
	if _, err := s.write.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE hash = $1`,
		hash, s.ts(seen), s.ts(expires)); err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// DeleteSession ends one session.
func (s *Store) DeleteSession(ctx context.Context, hash []byte) error {
	if _, err := s.write.ExecContext(ctx, `DELETE FROM sessions WHERE hash = $1`, hash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions ends every session of a user except keep (nil keeps
// none); a password change signs out the user's other browsers.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64, keep []byte) error {
	if keep == nil {
		keep = []byte{}
	}
	if _, err := s.write.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND hash <> $2`, userID, keep); err != nil {
		return fmt.Errorf("delete sessions of user %d: %w", userID, err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions that expired before now.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.write.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, s.ts(now))
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// LoginFailures is the record of failed sign-ins for one email.
type LoginFailures struct {
	Failures    int
	LastFailure time.Time
	LockedUntil *time.Time
}

// GetLoginFailures returns the failures recorded for email (zero when
// there are none).
func (s *Store) GetLoginFailures(ctx context.Context, email string) (LoginFailures, error) {
	var f LoginFailures
	var last, locked dbTime
	err := s.read.QueryRowContext(ctx, `SELECT failures, last_failure, locked_until FROM login_failures WHERE email = $1`,
		strings.ToLower(email)).Scan(&f.Failures, &last, &locked)
	if errors.Is(err, sql.ErrNoRows) {
		return LoginFailures{}, nil
	}
	if err != nil {
		return f, fmt.Errorf("read sign-in failures: %w", err)
	}
	f.LastFailure, f.LockedUntil = last.T, locked.ptr()
	return f, nil
}

// RecordLoginFailure counts one more failure for email, locking it until
// lockUntil(failures) when that returns a time, and returns the new count.
func (s *Store) RecordLoginFailure(ctx context.Context, email string, at time.Time, lockUntil func(failures int) *time.Time) (int, error) {
	email = strings.ToLower(email)
	var n int
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO login_failures (email, failures, last_failure) VALUES ($1, 1, $2)
			ON CONFLICT (email) DO UPDATE SET failures = login_failures.failures + 1, last_failure = excluded.last_failure
			RETURNING failures`, email, s.ts(at)).Scan(&n); err != nil {
			return fmt.Errorf("record sign-in failure: %w", err)
		}
		if until := lockUntil(n); until != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE login_failures SET locked_until = $2 WHERE email = $1`, email, s.ts(*until)); err != nil {
				return fmt.Errorf("lock sign-in: %w", err)
			}
		}
		return nil
	})
	return n, err
}

// ClearLoginFailures forgets the failures of email after a good sign-in.
func (s *Store) ClearLoginFailures(ctx context.Context, email string) error {
	if _, err := s.write.ExecContext(ctx, `DELETE FROM login_failures WHERE email = $1`, strings.ToLower(email)); err != nil {
		return fmt.Errorf("clear sign-in failures: %w", err)
	}
	return nil
}
