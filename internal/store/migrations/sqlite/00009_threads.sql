-- +goose Up
-- The case of each conversation thread, for a mention whose thread root
-- is not stored with a case: the case of the first mention stored with
-- that thread id. It replaces the index of every reply's thread id,
-- whose entries landed at random places (a 300,000-mention import spent
-- 6% of its time on them); the ingest batch adds a row only for a
-- thread whose root it does not know with a case.
CREATE TABLE threads (
    platform  TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    case_id   INTEGER NOT NULL REFERENCES cases (id),
    PRIMARY KEY (platform, thread_id)
) WITHOUT ROWID;
-- SQLite takes the other columns from the row with the smallest id.
INSERT INTO threads (platform, thread_id, case_id)
    SELECT platform, thread_id, case_id FROM (
        SELECT platform, thread_id, case_id, MIN(id) FROM mentions
        WHERE thread_id <> '' AND case_id IS NOT NULL
        GROUP BY platform, thread_id);
DROP INDEX mentions_thread;

-- +goose Down
CREATE INDEX mentions_thread ON mentions (platform, thread_id) WHERE thread_id <> '';
DROP TABLE threads;
