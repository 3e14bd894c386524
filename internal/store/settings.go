package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Setting keys the web app reads.
const (
	// SettingApproval is "on" when public replies on urgent cases, or sent
	// over a privacy warning, wait for a supervisor's approval. The
	// organisation file's reply_approval sets it.
	SettingApproval = "reply_approval"
	// SettingDMLink and SettingPhone fill the {dm_link} and {phone}
	// template variables.
	SettingDMLink = "dm_link"
	SettingPhone  = "phone"
)

// Setting returns the value of an organisation setting ("" when unset).
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.read.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read setting %s: %w", key, err)
	}
	return v, nil
}

// PutSetting sets an organisation setting.
func (s *Store) PutSetting(ctx context.Context, key, value string) error {
	return s.put(ctx, "setting "+key, `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
}
