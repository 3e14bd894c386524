package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// PutModel stores (or replaces) a named analyzer model.
func (s *Store) PutModel(ctx context.Context, name string, blob []byte) error {
	if _, err := s.write.ExecContext(ctx, `INSERT INTO analyzer_models (name, blob, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET blob = excluded.blob, updated_at = excluded.updated_at`,
		name, blob, s.ts(time.Now())); err != nil {
		return fmt.Errorf("store model %s: %w", name, err)
	}
	return nil
}

// GetModel returns a named analyzer model, or an error wrapping
// ErrNotFound.
func (s *Store) GetModel(ctx context.Context, name string) ([]byte, error) {
	var blob []byte
	err := s.read.QueryRowContext(ctx, `SELECT blob FROM analyzer_models WHERE name = $1`, name).Scan(&blob)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("model %s: %w", name, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read model %s: %w", name, err)
	}
	return blob, nil
}

// ModelStamp returns when a named analyzer model was last stored, as the
// store keeps it (compare stamps for equality only), or an error
// wrapping ErrNotFound.
func (s *Store) ModelStamp(ctx context.Context, name string) (string, error) {
	var at string
	err := s.read.QueryRowContext(ctx, `SELECT updated_at FROM analyzer_models WHERE name = $1`, name).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("model %s: %w", name, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("read model %s: %w", name, err)
	}
	return at, nil
}
