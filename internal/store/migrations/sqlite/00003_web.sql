-- +goose Up
-- The agent workspace: sign-in sessions, sign-in failures, member records
-- and their links to cases, praise, @mention notifications, saved views
-- and organisation settings. Times are fixed-width UTC text.

-- Sessions are found by the SHA-256 of the cookie's secret; the secret is
-- never stored.
CREATE TABLE sessions (
    hash         BLOB PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed sign-ins per (lower-cased) email, to slow and then lock guessing.
CREATE TABLE login_failures (
    email        TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    last_failure TEXT NOT NULL,
    locked_until TEXT
);

-- Known people of the organisation (plan members or patients). Sensitive.
CREATE TABLE members (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL DEFAULT '',
    plan       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE TABLE member_links (
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    member_id  TEXT NOT NULL REFERENCES members (id),
    linked_by  TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    PRIMARY KEY (case_id, member_id)
);

-- Positive mentions starred for the praise wall.
CREATE TABLE praise (
    mention_id INTEGER PRIMARY KEY REFERENCES mentions (id),
    starred_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX praise_created ON praise (created_at);

-- In-app notifications (a colleague @mentioned you in a note).
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    actor      TEXT NOT NULL DEFAULT '',
    kind       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at    TEXT
);
CREATE INDEX notifications_user ON notifications (user_id, id);

-- A user's saved inbox filters (the query string of the inbox URL).
CREATE TABLE saved_views (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    query      TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX saved_views_user ON saved_views (user_id, id);

-- Organisation settings as key and text value.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Why a reply was sent over a privacy warning (empty when it was not).
ALTER TABLE replies ADD COLUMN override_reason TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE replies DROP COLUMN override_reason;
DROP TABLE settings;
DROP TABLE saved_views;
DROP TABLE notifications;
DROP TABLE praise;
DROP TABLE member_links;
DROP TABLE members;
DROP TABLE login_failures;
DROP TABLE sessions;
