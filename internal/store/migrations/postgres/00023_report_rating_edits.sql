-- +goose Up
-- The reports read the rating edits of a window (mention_edited events)
-- without reading every event: a partial index holds those alone, so
-- the case_opened, status and reply events written as cases are worked
-- cost it nothing.
CREATE INDEX events_mention_edited ON events (created_at) WHERE type = 'mention_edited';

-- +goose Down
DROP INDEX events_mention_edited;
