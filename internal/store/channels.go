package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ChannelState is what a channel of the organisation file last did, as
// the hearing loop recorded it. Times are nil until the first event.
type ChannelState struct {
	Channel       string
	LastHeardAt   *time.Time
	LastSuccessAt *time.Time
	// LastError is the last failure in plain words ("" after a success
	// clears it); LastErrorAt stays as a record of when it was.
	LastError   string
	LastErrorAt *time.Time
	// Failures counts the failures since the last success.
	Failures   int
	NextPollAt *time.Time
	HeardTotal int64
	// HeardToday counts what was heard on the UTC day of the read.
	HeardToday int64
	LeaseOwner string
	LeaseUntil *time.Time
}

const channelStateCols = `channel, last_heard_at, last_success_at, last_error, last_error_at, failures, next_poll_at,
	heard_total, heard_today, heard_day, lease_owner, lease_until`

// utcDay is the day a count of items heard belongs to.
func utcDay(t time.Time) string { return t.UTC().Format("2006-01-02") }

func scanChannelState(row interface{ Scan(...any) error }, now time.Time) (ChannelState, error) {
	var c ChannelState
	var heard, success, errAt, next, until dbTime
	var day string
	if err := row.Scan(&c.Channel, &heard, &success, &c.LastError, &errAt, &c.Failures, &next,
		&c.HeardTotal, &c.HeardToday, &day, &c.LeaseOwner, &until); err != nil {
		return c, err
	}
	if day != utcDay(now) {
		c.HeardToday = 0
	}
	c.LastHeardAt, c.LastSuccessAt, c.LastErrorAt, c.NextPollAt, c.LeaseUntil = heard.ptr(), success.ptr(), errAt.ptr(), next.ptr(), until.ptr()
	return c, nil
}

// ChannelStates returns the recorded state of every channel that has
// one, by channel id; now decides which day "today" is.
func (s *Store) ChannelStates(ctx context.Context, now time.Time) (map[string]ChannelState, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+channelStateCols+` FROM channel_state`)
	if err != nil {
		return nil, fmt.Errorf("read channel states: %w", err)
	}
	defer rows.Close()
	out := map[string]ChannelState{}
	for rows.Next() {
		c, err := scanChannelState(rows, now)
		if err != nil {
			return nil, fmt.Errorf("read channel states: %w", err)
		}
		out[c.Channel] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read channel states: %w", err)
	}
	return out, nil
}

// TakeChannelLease makes owner the one poller of channel until until,
// if the channel is due (its next poll is at or before now, or not set)
// and no other owner's lease runs at now. It is one conditional upsert,
// so that of several replicas asking at once exactly one gets it. It
// returns whether owner has the lease, and the failures since the
// channel's last success (for the backoff of the next one).
func (s *Store) TakeChannelLease(ctx context.Context, channel, owner string, now, until time.Time) (taken bool, failures int, err error) {
	err = s.write.QueryRowContext(ctx, `INSERT INTO channel_state (channel, lease_owner, lease_until) VALUES ($1, $2, $3)
		ON CONFLICT (channel) DO UPDATE SET lease_owner = excluded.lease_owner, lease_until = excluded.lease_until
		WHERE (channel_state.next_poll_at IS NULL OR channel_state.next_poll_at <= $4)
			AND (channel_state.lease_until IS NULL OR channel_state.lease_until <= $4 OR channel_state.lease_owner = excluded.lease_owner)
		RETURNING failures`, channel, owner, s.ts(until), s.ts(now)).Scan(&failures)
	if errors.Is(err, sql.ErrNoRows) {
		return false, 0, nil
	}
	if err != nil {
		return false, 0, fmt.Errorf("take the poll lease of channel %q: %w", channel, err)
	}
	return true, failures, nil
}

// RenewChannelLease extends owner's lease of channel to until. It
// returns false when owner no longer holds it (it ran out and another
// replica took it): the poll must then store nothing.
func (s *Store) RenewChannelLease(ctx context.Context, channel, owner string, now, until time.Time) (bool, error) {
	res, err := s.write.ExecContext(ctx, `UPDATE channel_state SET lease_until = $1
		WHERE channel = $2 AND lease_owner = $3 AND lease_until > $4`, s.ts(until), channel, owner, s.ts(now))
	if err != nil {
		return false, fmt.Errorf("renew the poll lease of channel %q: %w", channel, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("renew the poll lease of channel %q: %w", channel, err)
	}
	return n == 1, nil
}

// RecordChannelPoll records a successful poll by owner at now that
// heard n new items, sets the next poll and releases owner's lease.
func (s *Store) RecordChannelPoll(ctx context.Context, channel, owner string, n int, now, next time.Time) error {
	day := utcDay(now)
	_, err := s.write.ExecContext(ctx, `UPDATE channel_state SET
			last_success_at = $1, last_error = '', failures = 0, next_poll_at = $2,
			last_heard_at = CASE WHEN $3 > 0 THEN $1 ELSE last_heard_at END,
			heard_total = heard_total + $3,
			heard_today = CASE WHEN heard_day = $4 THEN heard_today + $3 ELSE $3 END,
			heard_day = $4,
			lease_owner = CASE WHEN lease_owner = $5 THEN '' ELSE lease_owner END,
			lease_until = CASE WHEN lease_owner = $5 THEN NULL ELSE lease_until END
		WHERE channel = $6`, s.ts(now), s.ts(next), int64(n), day, owner, channel)
	if err != nil {
		return fmt.Errorf("record the poll of channel %q: %w", channel, err)
	}
	return nil
}

// RecordChannelError records a failure of channel at now in plain words
// (why; never a secret or what a person wrote), sets the next poll (nil
// leaves it) and releases owner's lease ("" holds none).
func (s *Store) RecordChannelError(ctx context.Context, channel, owner, why string, now time.Time, next *time.Time) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO channel_state (channel, last_error, last_error_at, failures, next_poll_at) VALUES ($1, $2, $3, 1, $4)
		ON CONFLICT (channel) DO UPDATE SET
			last_error = excluded.last_error, last_error_at = excluded.last_error_at,
			failures = channel_state.failures + 1,
			next_poll_at = COALESCE(excluded.next_poll_at, channel_state.next_poll_at),
			lease_owner = CASE WHEN channel_state.lease_owner = $5 THEN '' ELSE channel_state.lease_owner END,
			lease_until = CASE WHEN channel_state.lease_owner = $5 THEN NULL ELSE channel_state.lease_until END`,
		channel, why, s.ts(now), s.tsPtr(next), owner)
	if err != nil {
		return fmt.Errorf("record the error of channel %q: %w", channel, err)
	}
	return nil
}

// RecordChannelHeard counts n items a webhook brought to channel at now.
func (s *Store) RecordChannelHeard(ctx context.Context, channel string, n int, now time.Time) error {
	day := utcDay(now)
	_, err := s.write.ExecContext(ctx, `INSERT INTO channel_state (channel, last_heard_at, last_success_at, heard_total, heard_today, heard_day)
		VALUES ($1, $2, $2, $3, $3, $4)
		ON CONFLICT (channel) DO UPDATE SET
			last_heard_at = CASE WHEN excluded.heard_total > 0 THEN excluded.last_heard_at ELSE channel_state.last_heard_at END,
			last_success_at = excluded.last_success_at, last_error = '', failures = 0,
			heard_total = channel_state.heard_total + excluded.heard_total,
			heard_today = CASE WHEN channel_state.heard_day = excluded.heard_day THEN channel_state.heard_today + excluded.heard_today ELSE excluded.heard_today END,
			heard_day = excluded.heard_day`,
		channel, s.ts(now), int64(n), day)
	if err != nil {
		return fmt.Errorf("record what channel %q heard: %w", channel, err)
	}
	return nil
}

// PollChannelNow makes channel due at now, for "poll now". A poll under
// way finishes first.
func (s *Store) PollChannelNow(ctx context.Context, channel string, now time.Time) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO channel_state (channel, next_poll_at) VALUES ($1, $2)
		ON CONFLICT (channel) DO UPDATE SET next_poll_at = excluded.next_poll_at`, channel, s.ts(now))
	if err != nil {
		return fmt.Errorf("make channel %q due: %w", channel, err)
	}
	return nil
}
