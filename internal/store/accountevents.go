package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// Actions recorded in the account trail.
const (
	AccountUserCreated     = "user_created"
	AccountRoleChanged     = "role_changed"
	AccountUserDeactivated = "user_deactivated"
	AccountUserReactivated = "user_reactivated"
	AccountPasswordReset   = "password_reset"
	AccountTokenCreated    = "token_created"
	AccountTokenRevoked    = "token_revoked"
)

// AccountEvent is one entry of the account trail: who (an email, or
// "token:NAME", or "cli") did what to which person or token. It never
// holds a password or a token's secret.
type AccountEvent struct {
	ID int64
	// Actor is who did it.
	Actor string
	// Action is one of the Account* constants.
	Action string
	// Subject is the person's email or "token ID (NAME)".
	Subject string
	// Data holds details such as the old and new role.
	Data      map[string]string
	CreatedAt time.Time
}

// AddAccountEvent appends ev to the account trail.
func (s *Store) AddAccountEvent(ctx context.Context, ev AccountEvent) error {
	return s.addAccountEvent(ctx, s.write, ev)
}

func (s *Store) addAccountEvent(ctx context.Context, x execer, ev AccountEvent) error {
	data := []byte("{}")
	if len(ev.Data) > 0 {
		data, _ = json.Marshal(ev.Data) // a map of strings always marshals
	}
	if _, err := x.ExecContext(ctx, `INSERT INTO account_events (actor, action, subject, data, created_at) VALUES ($1, $2, $3, $4, $5)`,
		ev.Actor, ev.Action, ev.Subject, string(data), s.ts(ev.CreatedAt)); err != nil {
		return fmt.Errorf("record account event %s: %w", ev.Action, err)
	}
	return nil
}

func (s *Store) addAccountEvents(ctx context.Context, x execer, evs []AccountEvent) error {
	for _, ev := range evs {
		if err := s.addAccountEvent(ctx, x, ev); err != nil {
			return err
		}
	}
	return nil
}

// AccountEvents returns the newest limit entries of the account trail,
// newest first.
func (s *Store) AccountEvents(ctx context.Context, limit int) ([]AccountEvent, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, actor, action, subject, data, created_at FROM account_events ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("list account events: %w", err)
	}
	return scanAll(rows, "account events", func(r *sql.Rows, ev *AccountEvent) error {
		var at dbTime
		var data string
		if err := r.Scan(&ev.ID, &ev.Actor, &ev.Action, &ev.Subject, &data, &at); err != nil {
			return err
		}
		ev.CreatedAt = at.T
		return json.Unmarshal([]byte(data), &ev.Data)
	})
}
