-- +goose Up
-- The answering loop. delivery_round counts the times an agent sent a
-- reply again after it failed or its fate was unknown: each round has a
-- job of its own (dedupe key deliver_reply:<id>/<round>), so the outbox
-- sends it once more, and once. mention_id is our own post that a poll or
-- webhook brought back for a sent reply (found by platform_id);
-- sent_by_hand marks a reply an agent posted (or saw go out) themselves. A
-- mention's content_hash (its text and rating) tells an edited mention
-- from a copy sent again without reading its text; edited_at is when
-- the last edit came.
ALTER TABLE replies ADD COLUMN delivery_round INTEGER NOT NULL DEFAULT 0;
ALTER TABLE replies ADD COLUMN sent_by_hand INTEGER NOT NULL DEFAULT 0;
ALTER TABLE replies ADD COLUMN mention_id INTEGER;
CREATE INDEX replies_platform_id ON replies (platform_id) WHERE platform_id <> '';
ALTER TABLE mentions ADD COLUMN edited_at TEXT;
ALTER TABLE mentions ADD COLUMN content_hash INTEGER;

-- +goose Down
ALTER TABLE mentions DROP COLUMN content_hash;
ALTER TABLE mentions DROP COLUMN edited_at;
DROP INDEX replies_platform_id;
ALTER TABLE replies DROP COLUMN mention_id;
ALTER TABLE replies DROP COLUMN sent_by_hand;
ALTER TABLE replies DROP COLUMN delivery_round;
