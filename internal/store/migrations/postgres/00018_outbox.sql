-- +goose Up
-- The outbox: what sending a reply through its platform's connector
-- left on the reply (the platform's id and link, why the last attempt
-- failed, how many requests were made, when it was sent), and the
-- connectors' cursors, so that a poll after a restart neither loses nor
-- repeats what it heard.
ALTER TABLE replies ADD COLUMN platform_id TEXT NOT NULL DEFAULT '';
ALTER TABLE replies ADD COLUMN platform_url TEXT NOT NULL DEFAULT '';
ALTER TABLE replies ADD COLUMN delivery_error TEXT NOT NULL DEFAULT '';
ALTER TABLE replies ADD COLUMN delivery_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE replies ADD COLUMN sent_at TIMESTAMPTZ;
-- The outbox's sweep looks for the few replies waiting to go.
CREATE INDEX replies_queued ON replies (id) WHERE state = 'queued';

CREATE TABLE connector_cursors (
    channel    TEXT PRIMARY KEY,
    cursor     TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE connector_cursors;
DROP INDEX replies_queued;
ALTER TABLE replies DROP COLUMN sent_at;
ALTER TABLE replies DROP COLUMN delivery_attempts;
ALTER TABLE replies DROP COLUMN delivery_error;
ALTER TABLE replies DROP COLUMN platform_url;
ALTER TABLE replies DROP COLUMN platform_id;
