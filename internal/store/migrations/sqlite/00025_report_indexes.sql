-- +goose Up
-- The report series count mentions and cases by when they were made:
-- the indexes on created_at carry the columns those counts read, so a
-- month of a million-mention store is counted from the index alone.
DROP INDEX mentions_created;
CREATE INDEX mentions_created ON mentions (created_at, direction, sentiment);
DROP INDEX cases_created;
CREATE INDEX cases_created ON cases (created_at, first_response_due, first_response_at);

-- +goose Down
DROP INDEX cases_created;
CREATE INDEX cases_created ON cases (created_at);
DROP INDEX mentions_created;
CREATE INDEX mentions_created ON mentions (created_at);
