-- +goose Up
-- What each channel of the organisation file last did: when it last
-- heard something and last succeeded, its last error in plain words,
-- when it polls next, how much it heard (in all, and on heard_day, a
-- UTC date), and the lease that lets one replica at a time poll it.
CREATE TABLE channel_state (
    channel         TEXT PRIMARY KEY,
    last_heard_at   TEXT,
    last_success_at TEXT,
    last_error      TEXT NOT NULL DEFAULT '',
    last_error_at   TEXT,
    failures        INTEGER NOT NULL DEFAULT 0,
    next_poll_at    TEXT,
    heard_total     INTEGER NOT NULL DEFAULT 0,
    heard_today     INTEGER NOT NULL DEFAULT 0,
    heard_day       TEXT NOT NULL DEFAULT '',
    lease_owner     TEXT NOT NULL DEFAULT '',
    lease_until     TEXT
);

-- +goose Down
DROP TABLE channel_state;
