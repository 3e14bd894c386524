-- +goose Up
-- The full-text index of mention text moves to its own file, search.db,
-- written beside the ingest writer instead of inside its transactions
-- (see searchIndex in search.go). The indexer fills the new file from
-- the mentions table on first start.
DROP TABLE mentions_fts;

-- +goose Down
CREATE VIRTUAL TABLE mentions_fts USING fts5 (text, author, content = '', columnsize = 0, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO mentions_fts (rowid, text, author)
    SELECT m.id, m.text, m.author_handle || ' ' || a.name FROM mentions m JOIN authors a ON a.id = m.author_id;
