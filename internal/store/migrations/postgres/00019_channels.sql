-- +goose Up
-- What each channel of the organisation file last did: when it last
-- heard something and last succeeded, its last error in plain words,
-- when it polls next, how much it heard (in all, and on heard_day, a
-- UTC date), and the lease that lets one replica at a time poll it.
CREATE TABLE channel_state (
    channel         TEXT PRIMARY KEY,
    last_heard_at   TIMESTAMPTZ,
    last_success_at TIMESTAMPTZ,
    last_error      TEXT NOT NULL DEFAULT '',
    last_error_at   TIMESTAMPTZ,
    failures        INTEGER NOT NULL DEFAULT 0,
    next_poll_at    TIMESTAMPTZ,
    heard_total     BIGINT NOT NULL DEFAULT 0,
    heard_today     BIGINT NOT NULL DEFAULT 0,
    heard_day       TEXT NOT NULL DEFAULT '',
    lease_owner     TEXT NOT NULL DEFAULT '',
    lease_until     TIMESTAMPTZ
);

-- +goose Down
DROP TABLE channel_state;
