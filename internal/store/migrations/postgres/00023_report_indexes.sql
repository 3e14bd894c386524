-- +goose Up
-- The reports read the rating edits of a window (mention_edited events)
-- without reading every event: a partial index holds those alone, so
-- the case_opened, status and reply events written as cases are worked
-- cost it nothing.
CREATE INDEX events_mention_edited ON events (created_at) WHERE type = 'mention_edited';
-- A case's intents, found by case: the reports split mentions and
-- cases by the intents of their case. New cases take the next ids, so
-- their rows land at the end of this index.
CREATE INDEX case_intents_case ON case_intents (case_id);

-- +goose Down
DROP INDEX case_intents_case;
DROP INDEX events_mention_edited;
