package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ChannelRefreshToken returns the sealed refresh token last stored for a
// channel, nil when there is none. The store keeps it as it is given and
// never sees the token itself.
func (s *Store) ChannelRefreshToken(ctx context.Context, channel string) ([]byte, error) {
	var sealed []byte
	err := s.read.QueryRowContext(ctx, `SELECT refresh_token FROM channel_tokens WHERE channel = $1`, channel).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read refresh token of channel %q: %w", channel, err)
	}
	return sealed, nil
}

// SetChannelRefreshToken stores a channel's newest sealed refresh token,
// replacing the one before.
func (s *Store) SetChannelRefreshToken(ctx context.Context, channel string, sealed []byte, now time.Time) error {
	if len(sealed) == 0 {
		return fmt.Errorf("store refresh token of channel %q: it is empty", channel)
	}
	if _, err := s.write.ExecContext(ctx, `INSERT INTO channel_tokens (channel, refresh_token, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (channel) DO UPDATE SET refresh_token = excluded.refresh_token, updated_at = excluded.updated_at`,
		channel, sealed, s.ts(now)); err != nil {
		return fmt.Errorf("store refresh token of channel %q: %w", channel, err)
	}
	return nil
}
