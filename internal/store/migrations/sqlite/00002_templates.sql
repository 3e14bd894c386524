-- +goose Up
-- Reply templates the composer offers; the organisation file sets them.
CREATE TABLE templates (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    text TEXT NOT NULL
);

-- +goose Down
DROP TABLE templates;
