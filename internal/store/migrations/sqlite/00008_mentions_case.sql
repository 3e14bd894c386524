-- +goose Up
-- A case's mentions are found by case id alone and sorted by time when
-- read (a case has a handful). Without the 27-byte time in every entry
-- the index is about a quarter of the size, so the mentions that join
-- older cases, which land at random places in it, dirty far fewer pages
-- per ingest transaction (300,000-mention import: 12% fewer pages
-- written to the log).
DROP INDEX mentions_case;
CREATE INDEX mentions_case ON mentions (case_id);

-- +goose Down
DROP INDEX mentions_case;
CREATE INDEX mentions_case ON mentions (case_id, created_at);
