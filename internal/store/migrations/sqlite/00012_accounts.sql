-- +goose Up
-- Account lifecycle: a person may be deactivated (kept for the names in
-- case history, but unable to sign in or take work), an API token may be
-- revoked (kept for the list, refused at once) and records when it was
-- last used. account_events is the audit trail of what admins did to
-- people and tokens. Times are fixed-width UTC text.
ALTER TABLE users ADD COLUMN deactivated_at TEXT;
ALTER TABLE api_tokens ADD COLUMN last_used_at TEXT;
ALTER TABLE api_tokens ADD COLUMN revoked_at TEXT;

CREATE TABLE account_events (
    id         INTEGER PRIMARY KEY,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    data       TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL
);

-- +goose Down
DROP TABLE account_events;
ALTER TABLE api_tokens DROP COLUMN revoked_at;
ALTER TABLE api_tokens DROP COLUMN last_used_at;
ALTER TABLE users DROP COLUMN deactivated_at;
