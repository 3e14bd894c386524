-- +goose Up
-- The full-text index in search.db follows edited mentions: each edit of
-- a mention's text numbers it with search_edit, one more than any before,
-- in the edit's own transaction, and the index replaces the words of the
-- mentions numbered above its mark (see ftsindex). PostgreSQL's index is
-- part of the mentions table and needs none of this.
ALTER TABLE mentions ADD COLUMN search_edit INTEGER;
CREATE UNIQUE INDEX mentions_search_edit ON mentions (search_edit) WHERE search_edit IS NOT NULL;

-- +goose Down
DROP INDEX mentions_search_edit;
ALTER TABLE mentions DROP COLUMN search_edit;
