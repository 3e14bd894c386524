-- +goose Up
-- The case of each conversation thread, for a mention whose thread root
-- is not stored with a case: the case of the first mention stored with
-- that thread id. It replaces the index of every reply's thread id; the
-- ingest batch adds a row only for a thread whose root it does not know
-- with a case.
CREATE TABLE threads (
    platform  TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    case_id   BIGINT NOT NULL REFERENCES cases (id),
    PRIMARY KEY (platform, thread_id)
);
INSERT INTO threads (platform, thread_id, case_id)
    SELECT DISTINCT ON (platform, thread_id) platform, thread_id, case_id FROM mentions
    WHERE thread_id <> '' AND case_id IS NOT NULL
    ORDER BY platform, thread_id, id;
DROP INDEX mentions_thread;

-- +goose Down
CREATE INDEX mentions_thread ON mentions (platform, thread_id) WHERE thread_id <> '';
DROP TABLE threads;
