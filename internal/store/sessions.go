package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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

// DeleteExpiredSessions removes sessions that expired before now, and
// those created before createdBefore (past their absolute lifetime).
func (s *Store) DeleteExpiredSessions(ctx context.Context, now, createdBefore time.Time) (int64, error) {
	res, err := s.write.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= $1 OR created_at <= $2`, s.ts(now), s.ts(createdBefore))
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
