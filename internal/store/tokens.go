package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"earshot/internal/model"
)

// CreateToken stores an API token by the hash of its secret and sets t.ID.
func (s *Store) CreateToken(ctx context.Context, t *model.Token) error {
	if err := s.write.QueryRowContext(ctx, `INSERT INTO api_tokens (name, role, hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		t.Name, t.Role, t.Hash, s.ts(t.CreatedAt)).Scan(&t.ID); err != nil {
		return fmt.Errorf("create token: %w", err)
	}
	return nil
}

// tokenColumns are the columns scanTokenRow reads, in its order.
const tokenColumns = `id, name, role, hash, created_at, last_used_at, revoked_at`

// scanTokenRow reads one row of tokenColumns.
func scanTokenRow(scan func(...any) error, t *model.Token) error {
	var at, used, revoked dbTime
	if err := scan(&t.ID, &t.Name, &t.Role, &t.Hash, &at, &used, &revoked); err != nil {
		return err
	}
	t.CreatedAt, t.LastUsedAt, t.RevokedAt = at.T, used.ptr(), revoked.ptr()
	return nil
}

// TokenByHash finds an API token that has not been revoked by the hash
// of its secret. It reads the store on every call, so a revocation holds
// at once on every replica.
func (s *Store) TokenByHash(ctx context.Context, hash []byte) (*model.Token, error) {
	t := new(model.Token)
	err := scanTokenRow(s.read.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE hash = $1 AND revoked_at IS NULL`, hash).Scan, t)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("token: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read token: %w", err)
	}
	return t, nil
}

// TokenByID finds an API token, revoked or not, by id.
func (s *Store) TokenByID(ctx context.Context, id int64) (*model.Token, error) {
	t := new(model.Token)
	err := scanTokenRow(s.read.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE id = $1`, id).Scan, t)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("token %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read token %d: %w", id, err)
	}
	return t, nil
}

// ListTokens returns every API token, revoked ones too, oldest first.
func (s *Store) ListTokens(ctx context.Context) ([]model.Token, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return scanAll(rows, "tokens", func(r *sql.Rows, t *model.Token) error { return scanTokenRow(r.Scan, t) })
}

// TouchToken records that a token made a request at at.
func (s *Store) TouchToken(ctx context.Context, id int64, at time.Time) error {
	if _, err := s.write.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $2 WHERE id = $1`, id, s.ts(at)); err != nil {
		return fmt.Errorf("touch token %d: %w", id, err)
	}
	return nil
}

// RevokeToken revokes a token and records ev in the account trail, in
// one transaction. A token already revoked is ErrConflict; an unknown one
// ErrNotFound.
func (s *Store) RevokeToken(ctx context.Context, id int64, ev AccountEvent) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, id, s.ts(ev.CreatedAt))
		if err != nil {
			return fmt.Errorf("revoke token %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var one int
			if err := tx.QueryRowContext(ctx, `SELECT 1 FROM api_tokens WHERE id = $1`, id).Scan(&one); errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("token %d: %w", id, ErrNotFound)
			} else if err != nil {
				return fmt.Errorf("read token %d: %w", id, err)
			}
			return fmt.Errorf("token %d is already revoked: %w", id, ErrConflict)
		}
		return s.addAccountEvent(ctx, tx, ev)
	})
}
