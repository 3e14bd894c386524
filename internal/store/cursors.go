package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ConnectorCursor returns where a channel's poller left off: the opaque
// cursor it last stored, "" before its first poll.
func (s *Store) ConnectorCursor(ctx context.Context, channel string) (string, error) {
	var cur string
	err := s.read.QueryRowContext(ctx, `SELECT cursor FROM connector_cursors WHERE channel = $1`, channel).Scan(&cur)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read cursor of channel %q: %w", channel, err)
	}
	return cur, nil
}

// SetConnectorCursor stores where a channel's poller left off. Store it
// only once what the poll heard is stored.
func (s *Store) SetConnectorCursor(ctx context.Context, channel, cursor string, now time.Time) error {
	if _, err := s.write.ExecContext(ctx, `INSERT INTO connector_cursors (channel, cursor, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (channel) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
		channel, cursor, s.ts(now)); err != nil {
		return fmt.Errorf("store cursor of channel %q: %w", channel, err)
	}
	return nil
}
