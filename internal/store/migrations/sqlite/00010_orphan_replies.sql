-- +goose Up
-- Our own replies stored before the mention they answer (connectors
-- race, an import file out of order) have no case until that mention
-- arrives. The ingest batch looks them up by the external id they name,
-- in reply or as their thread's root; these partial indexes hold only
-- such replies, so they stay empty in the common case, cost a mention
-- that joins a case nothing to write, and answer "is any reply waiting
-- at all?" in one step. Our own top-level posts (no parent named, or a
-- thread of their own) wait for nothing and stay out.
CREATE INDEX mentions_orphan_reply ON mentions (platform, in_reply_to)
    WHERE case_id IS NULL AND direction = 'outbound' AND in_reply_to <> '';
CREATE INDEX mentions_orphan_thread ON mentions (platform, thread_id)
    WHERE case_id IS NULL AND direction = 'outbound' AND thread_id <> '' AND thread_id <> external_id;

-- +goose Down
DROP INDEX mentions_orphan_thread;
DROP INDEX mentions_orphan_reply;
