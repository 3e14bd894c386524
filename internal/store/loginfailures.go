package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// LoginFailures is the record of sign-in attempts for one email that
// have not yet succeeded: how many, the last one, and when the next may
// be checked.
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

// ReserveLoginAttempt counts a sign-in attempt for email at now before
// its password is checked, so that attempts made at the same moment
// (on any replica) are counted one after another. Attempts before
// forgetBefore are forgotten first. An attempt is refused while an
// earlier one's wait runs: it returns how long is left and counts
// nothing. Otherwise it returns the attempt's number and holds the next
// attempt back by wait(number). ClearLoginFailures forgets the attempts
// once one succeeds.
func (s *Store) ReserveLoginAttempt(ctx context.Context, email string, now, forgetBefore time.Time,
	wait func(attempt int) time.Duration) (attempt int, left time.Duration, err error) {
	email = strings.ToLower(email)
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		// On PostgreSQL the upsert locks the row, so a concurrent attempt
		// waits here and then sees this one's locked_until.
		err := tx.QueryRowContext(ctx, `INSERT INTO login_failures (email, failures, last_failure) VALUES ($1, 1, $2)
			ON CONFLICT (email) DO UPDATE SET
				failures = CASE WHEN login_failures.last_failure < $3 THEN 1 ELSE login_failures.failures + 1 END,
				last_failure = excluded.last_failure
			WHERE login_failures.locked_until IS NULL OR login_failures.locked_until <= excluded.last_failure
			RETURNING failures`, email, s.ts(now), s.ts(forgetBefore)).Scan(&attempt)
		if errors.Is(err, sql.ErrNoRows) {
			var until dbTime
			if err := tx.QueryRowContext(ctx, `SELECT locked_until FROM login_failures WHERE email = $1`, email).Scan(&until); err != nil {
				return fmt.Errorf("read sign-in wait: %w", err)
			}
			attempt, left = 0, max(until.T.Sub(now), time.Nanosecond)
			return nil
		}
		if err != nil {
			return fmt.Errorf("reserve sign-in attempt: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE login_failures SET locked_until = $2 WHERE email = $1`,
			email, s.ts(now.Add(wait(attempt)))); err != nil {
			return fmt.Errorf("hold the next sign-in back: %w", err)
		}
		return nil
	})
	return attempt, left, err
}

// ClearLoginFailures forgets the attempts of email after a good sign-in.
func (s *Store) ClearLoginFailures(ctx context.Context, email string) error {
	if _, err := s.write.ExecContext(ctx, `DELETE FROM login_failures WHERE email = $1`, strings.ToLower(email)); err != nil {
		return fmt.Errorf("clear sign-in failures: %w", err)
	}
	return nil
}

// DeleteLoginFailures forgets the emails whose last attempt came before
// before, then all but the keep with the latest attempts (rows tied
// with the first one dropped go too), so that a spray of made-up emails cannot grow the
// table without bound. It returns how many it deleted.
func (s *Store) DeleteLoginFailures(ctx context.Context, before time.Time, keep int) (int64, error) {
	res, err := s.write.ExecContext(ctx, `DELETE FROM login_failures WHERE last_failure < $1`, s.ts(before))
	if err != nil {
		return 0, fmt.Errorf("delete old sign-in failures: %w", err)
	}
	n, _ := res.RowsAffected()
	var edge dbTime
	err = s.write.QueryRowContext(ctx, `SELECT last_failure FROM login_failures ORDER BY last_failure DESC LIMIT 1 OFFSET $1`, keep).Scan(&edge)
	if errors.Is(err, sql.ErrNoRows) {
		return n, nil
	}
	if err != nil {
		return n, fmt.Errorf("find the oldest sign-in failure to keep: %w", err)
	}
	res, err = s.write.ExecContext(ctx, `DELETE FROM login_failures WHERE last_failure <= $1`, s.ts(edge.T))
	if err != nil {
		return n, fmt.Errorf("cap sign-in failures: %w", err)
	}
	m, _ := res.RowsAffected()
	return n + m, nil
}
